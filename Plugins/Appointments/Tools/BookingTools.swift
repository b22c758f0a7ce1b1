import Foundation
import PluginAPI

/// book_appointment, reschedule_appointment and cancel_appointment. They run in the tool's transaction
/// (the router's), so the check that a slot is free and the write that takes it are one step.
extension AppointmentsSkill {
    /// The exact start a `when` argument names, or the tool result to answer instead.
    func exactStart(_ text: String, now: Date) -> Result<Date, ToolFailure> {
        switch interpret(text, now: now) {
        case .exact(let instant):
            return .success(instant)
        case .phrase(let resolution):
            guard resolution.candidates.count == 1, let candidate = resolution.candidates.first else {
                return .failure(ToolFailure(clarification(resolution)))
            }
            guard let date = candidate.date, let time = candidate.time, let instant = date.instant(atMinute: time.minutes, in: zone) else {
                return .failure(ToolFailure(.failure("Für die Buchung brauche ich Tag und Uhrzeit, z. B. \"am Dienstag, dem 3. März, um 14:30 Uhr\".")))
            }
            return .success(instant)
        }
    }

    /// "Dieser Termin ist leider nicht frei. Ich kann Ihnen … anbieten." with the alternatives.
    func alternatives(
        service: Service, staffIDs: [String], start: Date, excluding: String? = nil, context: ToolContext, lead: String
    ) async throws -> ToolResult {
        let now = context.clock.now()
        let today = LocalDate(now, in: zone)
        let request = SlotRequest(date: LocalDate(start, in: zone), time: LocalTime(start, in: zone))
        let slots = try await freeSlots(
            service: service, staffIDs: staffIDs, from: request.firstDay(today: today), excluding: excluding, now: now, db: context.db,
            context: context)
        let offers = SlotSearch.offers(for: request, among: slots).offers.filter { $0.start != start }
        let message = offers.isEmpty
            ? "\(lead) In den nächsten \(settings.searchDays) Tagen ist leider nichts frei."
            : "\(lead) Ich kann Ihnen \(SlotSearch.spoken(offers, currentYear: today.year)) anbieten."
        return ToolResult(
            ["error": .string(message), "alternatives": .array(offers.map { describe($0, currentYear: today.year) })], text: message,
            isError: true)
    }

    /// An appointment id that is the same when the same invocation runs again (PostgreSQL re-runs a
    /// transaction after a serialization failure), so a Cal.com booking made by the first run is found
    /// by its `metadata.localId` instead of being made twice.
    static func appointmentID(callID: String, toolCallID: String, turnIndex: Int?, arguments: JSONValue) -> String {
        let material = [callID, toolCallID, turnIndex.map(String.init) ?? "-", arguments.canonicalJSON].joined(separator: "\u{1F}")
        var first: UInt64 = 0xcbf2_9ce4_8422_2325, second: UInt64 = 0x84222325_cbf29ce4
        for byte in material.utf8 {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            second = (second &+ UInt64(byte)) &* 0x9e37_79b9_7f4a_7c15
            second ^= second >> 29
        }
        let hex = { (value: UInt64) in String(value, radix: 16).leftPadded(to: 16) }
        return "apt_" + hex(first) + hex(second).prefix(8)
    }

    func book(_ arguments: ToolArguments, invocation: ToolCall, context: ToolContext) async throws -> ToolResult {
        let state = try await collected(context)
        guard let name = arguments.name ?? state["name"]?.stringValue else {
            return .failure("Für die Buchung fehlt noch der Name. Bitte fragen: Auf welchen Namen darf ich den Termin eintragen?")
        }
        let rawPhone = arguments.phone ?? state["phone"]?.stringValue ?? context.call.callerNumber
        var phone: String?
        if let rawPhone {
            guard let number = PhoneNumber.e164(rawPhone) else {
                return .failure("Die Telefonnummer \(rawPhone) ist unvollständig. Bitte die Nummer mit Vorwahl erfragen.")
            }
            phone = number
        }
        guard let found = service(arguments, state: state) else {
            return .failure("Welche Leistung soll gebucht werden? Angebot: \(business.services.map(\.name).joined(separator: ", ")).")
        }
        let service = withDuration(found, arguments.int("duration"))
        var staffID: String?
        if let staffText = arguments.staff ?? state["staff"]?.stringValue {
            guard let member = business.staffMember(matching: staffText) else {
                return .failure("\(staffText) arbeitet hier nicht. Zur Auswahl: \(business.staff.map(\.name).joined(separator: ", ")).")
            }
            staffID = member.id
        }
        let staffIDs = finder.candidates(for: service, staffID: staffID)
        guard !staffIDs.isEmpty else { return .failure("\(service.name) bietet diese Person nicht an.") }
        guard let when = arguments.when ?? state["date_time"]?.stringValue else {
            return .failure("Für die Buchung fehlt der Zeitpunkt. Bitte einen freien Termin aus check_availability übergeben.")
        }
        let now = context.clock.now()
        let start: Date
        switch exactStart(when, now: now) {
        case .success(let instant): start = instant
        case .failure(let failure): return failure.result
        }
        let day = LocalDate(start, in: zone)
        let id = Self.appointmentID(callID: context.call.callID, toolCallID: invocation.id, turnIndex: context.turnIndex, arguments: invocation.arguments)
        let slots = try await freeSlots(service: service, staffIDs: staffIDs, from: day, days: 1, now: now, db: context.db, context: context)
        var adopted: CalcomBooking?
        if slots.first(where: { $0.start == start }) == nil, settings.calcom != nil {
            adopted = try await ownCalcomBooking(localID: id, start: start, context: context)
        }
        let end = start.addingTimeInterval(Double(service.duration * 60))
        guard let slot = slots.first(where: { $0.start == start })
            ?? adopted.map({ _ in Slot(start: start, end: end, date: day, time: LocalTime(start, in: zone), staffID: staffIDs[0]) })
        else {
            return try await alternatives(
                service: service, staffIDs: staffIDs, start: start, context: context, lead: "Dieser Termin ist leider nicht frei.")
        }
        var appointment = Appointment(
            id: id,
            agentID: settings.agentID, serviceID: service.id, staffID: slot.staffID, start: slot.start, end: slot.end,
            blockedUntil: slot.end.addingTimeInterval(Double(service.buffer * 60)), timeZone: zone.identifier, status: "booked",
            customerName: name, customerPhone: phone, customerEmail: arguments.email ?? state["email"]?.stringValue,
            callID: context.call.callID, calcomUID: nil, calcomID: nil, previousUID: nil, syncStatus: "local")
        if let adopted {
            appointment.calcomUID = adopted.uid
            appointment.calcomID = adopted.id
            appointment.syncStatus = "synced"
        } else if settings.calcom != nil {
            switch try await pushNewBooking(&appointment, service: service, context: context) {
            case .pushed, .held: break
            case .taken:
                return try await alternatives(
                    service: service, staffIDs: staffIDs, start: start, context: context,
                    lead: "Dieser Termin ist leider gerade vergeben worden.")
            }
        }
        try await AppointmentStore.insert(appointment, now: now, on: context.db)
        try await context.state.set("request", nil)
        let spoken = GermanSpeech.slot(slot.date, slot.time, currentYear: LocalDate(now, in: zone).year)
        let confirmation = "Termin gebucht für \(slot.date.german) \(slot.time) Uhr"
        var result: [String: JSONValue] = [
            "success": true,
            "appointment_id": .string(appointment.id),
            "confirmation": .string(confirmation),
            "spoken": .string(spoken),
            "appointment": describe(appointment),
        ]
        if appointment.syncStatus == "pending" { result["note"] = "Der Kalender ist gerade nicht erreichbar; der Termin ist vorgemerkt und wird übertragen." }
        return ToolResult(.object(result), text: "\(confirmation) (\(service.name), \(name)).")
    }

    /// The appointment the arguments point at: by id, else the caller's (the one on `when` when they have several).
    func target(_ arguments: ToolArguments, when: String?, context: ToolContext) async throws -> Result<Appointment, ToolFailure> {
        if let id = arguments.appointmentID {
            guard let appointment = try await AppointmentStore.find(id: id, agentID: settings.agentID, on: context.db), appointment.status == "booked" else {
                return .failure(ToolFailure(.failure("Einen Termin mit der Nummer \(id) finde ich nicht.")))
            }
            return .success(appointment)
        }
        guard let raw = arguments.phone ?? context.call.callerNumber, let phone = PhoneNumber.e164(raw) else {
            return .failure(ToolFailure(.failure("Ohne Telefonnummer oder Termin-ID finde ich den Termin nicht. Bitte nach der Nummer fragen.")))
        }
        var found = try await AppointmentStore.upcoming(phone: phone, agentID: settings.agentID, after: context.clock.now(), on: context.db)
        if found.count > 1, let when, case .phrase(let resolution) = interpret(when, now: context.clock.now()) {
            let dates = Set(resolution.candidates.compactMap(\.date))
            let narrowed = found.filter { dates.contains(LocalDate($0.start, in: zone)) }
            if !narrowed.isEmpty { found = narrowed }
        }
        switch found.count {
        case 0:
            return .failure(ToolFailure(.failure("Unter dieser Nummer finde ich keinen kommenden Termin.")))
        case 1:
            return .success(found[0])
        default:
            let year = LocalDate(context.clock.now(), in: zone).year
            let list = found.map { GermanSpeech.slot(LocalDate($0.start, in: zone), LocalTime($0.start, in: zone), currentYear: year) }
            return .failure(ToolFailure(ToolResult(
                ["error": .string("Es gibt mehrere Termine: \(list.joined(separator: "; ")). Welcher ist gemeint?"),
                 "appointments": .array(found.map(describe))], isError: true)))
        }
    }

    func reschedule(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        guard let when = arguments.string("new_slot", "new_date_time", "start_time", "slot") else {
            return .failure("Auf wann soll der Termin verschoben werden?")
        }
        var appointment: Appointment
        switch try await target(arguments, when: nil, context: context) {
        case .success(let found): appointment = found
        case .failure(let failure): return failure.result
        }
        let now = context.clock.now()
        let start: Date
        switch exactStart(when, now: now) {
        case .success(let instant): start = instant
        case .failure(let failure): return failure.result
        }
        let base = business.services.first { $0.id == appointment.serviceID }
            ?? Service(id: appointment.serviceID, name: appointment.serviceID, synonyms: [], duration: Int(appointment.end.timeIntervalSince(appointment.start) / 60),
                       buffer: 0, staff: [], calcomEventTypeID: nil)
        let service = withDuration(base, Int(appointment.end.timeIntervalSince(appointment.start) / 60))
        let others = finder.candidates(for: service, staffID: nil).filter { $0 != appointment.staffID }
        let staffIDs = [appointment.staffID] + others
        let slots = try await freeSlots(
            service: service, staffIDs: staffIDs, from: LocalDate(start, in: zone), days: 1, excluding: appointment.id, now: now,
            db: context.db, context: context)
        guard let slot = slots.first(where: { $0.start == start }) else {
            return try await alternatives(
                service: service, staffIDs: staffIDs, start: start, excluding: appointment.id, context: context,
                lead: "Dieser Termin ist leider nicht frei.")
        }
        let old = appointment
        appointment.start = slot.start
        appointment.end = slot.end
        appointment.blockedUntil = slot.end.addingTimeInterval(Double(service.buffer * 60))
        appointment.staffID = slot.staffID
        if settings.calcom != nil {
            if case .taken = try await pushReschedule(&appointment, context: context) {
                return try await alternatives(
                    service: service, staffIDs: staffIDs, start: start, excluding: appointment.id, context: context,
                    lead: "Dieser Termin ist leider gerade vergeben worden.")
            }
        }
        try await AppointmentStore.update(appointment, now: now, on: context.db)
        let year = LocalDate(now, in: zone).year
        let spoken = GermanSpeech.slot(slot.date, slot.time, currentYear: year)
        let was = GermanSpeech.slot(LocalDate(old.start, in: zone), LocalTime(old.start, in: zone), currentYear: year)
        let confirmation = "Termin verschoben auf \(slot.date.german) \(slot.time) Uhr"
        return ToolResult([
            "success": true, "appointment_id": .string(appointment.id), "confirmation": .string(confirmation),
            "spoken": .string(spoken), "previous": .string(was), "appointment": describe(appointment),
        ], text: "\(confirmation) (vorher \(was)).")
    }

    func cancel(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        var appointment: Appointment
        switch try await target(arguments, when: arguments.string("date_time", "when"), context: context) {
        case .success(let found): appointment = found
        case .failure(let failure): return failure.result
        }
        let now = context.clock.now()
        appointment.status = "cancelled"
        if settings.calcom != nil { try await pushCancel(&appointment, reason: arguments.string("reason"), context: context) }
        try await AppointmentStore.update(appointment, now: now, on: context.db)
        let spoken = GermanSpeech.slot(LocalDate(appointment.start, in: zone), LocalTime(appointment.start, in: zone), currentYear: LocalDate(now, in: zone).year)
        let message = "Der Termin \(spoken) ist storniert."
        return ToolResult(["success": true, "appointment_id": .string(appointment.id), "message": .string(message)], text: message)
    }
}

extension String {
    /// The string with leading zeros up to `length` characters.
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}

/// A tool result to return early, carried through `Result`.
struct ToolFailure: Error {
    var result: ToolResult
    init(_ result: ToolResult) { self.result = result }
}
