import Foundation
import PluginAPI

extension RestaurantSkill {
    /// Books a table. Runs inside the tool's transaction, so the capacity check and the insert see
    /// and change the same state: concurrent bookings for the last table cannot both succeed.
    func makeReservation(_ arguments: ToolArguments, context: ToolContext, speech: Speech) async throws -> ToolResult {
        guard let settings = profile.reservations else { return .failure("\(profile.name) does not take reservations by phone.") }
        let now = context.clock.now()
        let calendar = profile.calendar
        guard let day = parseDay(arguments.string("date"), now: now) else {
            return ToolResult(["error": "bad_date"], text: "Give the date as YYYY-MM-DD, today or tomorrow.", isError: true)
        }
        guard let minutes = arguments.string("time").flatMap(ClockTime.parse), minutes < 1440 else {
            return ToolResult(["error": "bad_time"], text: "Give the time as HH:mm (24-hour).", isError: true)
        }
        let partySize = arguments.int("party_size") ?? 2
        let start = calendar.instant(day, minutes: minutes)
        let book = ReservationBook(settings: settings, hours: profile.hours, calendar: calendar)
        let store = ReservationStore(db: context.db)
        if let refusal = book.refusal(start: start, partySize: partySize, now: now) {
            var result = refusalResult(refusal, start: start, now: now, speech: speech)
            if refusal != .partyTooLarge(max: settings.maxPartySize), refusal != .tooFarAhead(days: settings.horizonDays) {
                try await offerAlternatives(&result, book: book, store: store, start: start, partySize: partySize, now: now, speech: speech)
            }
            return result
        }
        let end = book.end(of: start)
        let overlapping = try await store.booked(agentID: agentID, overlapping: start, end)
        guard let assignment = book.assignment(partySize: partySize, overlapping: overlapping) else {
            var result = ToolResult(["error": "fully_booked", "requested": .string(speech.localISO(start))],
                                    text: "Fully booked \(speech.when(start, now: now)) for \(partySize).", isError: true)
            try await offerAlternatives(&result, book: book, store: store, start: start, partySize: partySize, now: now, speech: speech)
            return result
        }
        var tableID: String?
        if case .table(let id) = assignment { tableID = id }
        let name = arguments.string("name") ?? ""
        let phone = arguments.string("phone") ?? context.call.callerNumber
        let record = try await store.insert(
            agentID: agentID, callID: context.call.callID, name: name, phone: phone, partySize: partySize, start: start, end: end,
            tableID: tableID, notes: arguments.string("notes"), now: now)
        return ToolResult(
            reservationJSON(record, speech: speech, now: now),
            text: "Booked: \(partySize) \(partySize == 1 ? "person" : "people") \(speech.when(start, now: now)), name \(name). Reservation number \(record.number).")
    }

    func findReservation(_ arguments: ToolArguments, context: ToolContext, speech: Speech) async throws -> ToolResult {
        let now = context.clock.now()
        let store = ReservationStore(db: context.db)
        if let numberText = arguments.string("reservation_number") {
            guard let id = ReservationRecord.id(fromNumber: numberText), let record = try await store.reservation(id: id, agentID: agentID) else {
                return ToolResult(["error": "not_found", "reservation_number": .string(numberText)],
                                  text: "No reservation \(numberText). Ask the caller to check the number.", isError: true)
            }
            let status = record.status == "cancelled" ? " It was cancelled." : ""
            return ToolResult(reservationJSON(record, speech: speech, now: now),
                              text: "Reservation \(record.number): \(record.partySize) \(speech.when(record.startsAt, now: now)), name \(record.name).\(status)")
        }
        guard let phone = arguments.string("phone") ?? context.call.callerNumber else {
            return ToolResult(["error": "number_needed"], text: "Ask for the reservation number.", isError: true)
        }
        let records = try await store.upcoming(agentID: agentID, phone: phone, from: now)
        guard !records.isEmpty else {
            return ToolResult(["reservations": [], "phone": .string(phone)], text: "No upcoming reservation under \(phone). Ask for the reservation number.")
        }
        let spoken = records.map { "\($0.number): \($0.partySize) \(speech.when($0.startsAt, now: now)), name \($0.name)" }
        return ToolResult(["reservations": .array(records.map { reservationJSON($0, speech: speech, now: now) }), "phone": .string(phone)],
                          text: "Upcoming: " + spoken.joined(separator: "; ") + ".")
    }

    func cancelReservation(_ arguments: ToolArguments, context: ToolContext, speech: Speech) async throws -> ToolResult {
        let now = context.clock.now()
        let store = ReservationStore(db: context.db)
        let numberText = arguments.string("reservation_number") ?? ""
        guard let id = ReservationRecord.id(fromNumber: numberText), let record = try await store.reservation(id: id, agentID: agentID) else {
            return ToolResult(["error": "not_found", "reservation_number": .string(numberText)],
                              text: "No reservation \(numberText). Ask the caller to check the number.", isError: true)
        }
        guard record.startsAt > now else {
            return ToolResult(["error": "in_the_past"], text: "Reservation \(record.number) has already started or passed.", isError: true)
        }
        guard try await store.cancel(id: id, now: now) else {
            return ToolResult(["error": "already_cancelled"], text: "Reservation \(record.number) was already cancelled.", isError: true)
        }
        var value = reservationJSON(record, speech: speech, now: now).objectValue ?? [:]
        value["status"] = "cancelled"
        return ToolResult(.object(value), text: "Cancelled reservation \(record.number) (\(record.partySize), \(speech.when(record.startsAt, now: now))).")
    }

    private func refusalResult(_ refusal: ReservationBook.Refusal, start: Date, now: Date, speech: Speech) -> ToolResult {
        let text: String, code: String
        switch refusal {
        case .partyTooLarge(let max):
            (code, text) = ("party_too_large", "We book up to \(max) by phone; for larger groups offer a transfer to the restaurant.")
        case .tooSoon(let earliest):
            (code, text) = ("too_soon", "Bookings need notice; the earliest is \(speech.when(earliest, now: now)).")
        case .tooFarAhead(let days):
            (code, text) = ("too_far_ahead", "We take bookings up to \(days) days ahead.")
        case .closed:
            (code, text) = ("closed", "We're closed then. Hours that day: \(speech.hours(on: speech.calendar.date(of: start))).")
        case .afterLastSeating(let last):
            (code, text) = ("after_last_seating", "The last table that day is at \(speech.time(last)).")
        case .offSlot(let minutes):
            (code, text) = ("off_slot", "Tables are booked every \(minutes) minutes.")
        }
        return ToolResult(["error": .string(code), "requested": .string(speech.localISO(start))], text: text, isError: true)
    }

    /// Adds up to three free nearby times to a refusal.
    private func offerAlternatives(
        _ result: inout ToolResult, book: ReservationBook, store: ReservationStore, start: Date, partySize: Int, now: Date, speech: Speech
    ) async throws {
        let candidates = book.candidateStarts(around: start, partySize: partySize, now: now).filter { $0 != start }
        guard let first = candidates.min(), let last = candidates.max() else { return }
        let bookings = try await store.booked(agentID: agentID, overlapping: first, book.end(of: last))
        let free = candidates.filter { candidate in
            let end = book.end(of: candidate)
            let overlapping = bookings.filter { $0.startsAt < end && $0.endsAt > candidate }
            return book.assignment(partySize: partySize, overlapping: overlapping) != nil
        }.prefix(3).sorted()
        guard !free.isEmpty, var value = result.value.objectValue else { return }
        value["alternatives"] = .array(free.map { .string(speech.localISO($0)) })
        result.value = .object(value)
        result.text = (result.text ?? "") + " Free: " + Self.list(free.map(speech.time), or: true) + "."
    }

    func reservationJSON(_ record: ReservationRecord, speech: Speech, now: Date) -> JSONValue {
        var value: [String: JSONValue] = [
            "reservation_number": .string(record.number), "status": .string(record.status), "name": .string(record.name),
            "party_size": .int(record.partySize), "starts_at": .string(speech.localISO(record.startsAt)),
            "when": .string(speech.when(record.startsAt, now: now)),
        ]
        if let phone = record.phone { value["phone"] = .string(phone) }
        if let table = record.tableID { value["table"] = .string(table) }
        if let notes = record.notes { value["notes"] = .string(notes) }
        return .object(value)
    }
}
