import Foundation
import PluginAPI

/// resolve_datetime, collect_appointment_info, check_availability and find_appointments.
extension AppointmentsSkill {
    func resolveDatetime(_ arguments: ToolArguments, context: ToolContext) -> ToolResult {
        guard let phrase = arguments.string("phrase") else { return .failure("Bitte den Wortlaut des Anrufers als phrase übergeben.") }
        return ToolResult(business.resolver.resolve(phrase, now: context.clock.now()).json)
    }

    /// What a `when` argument means: an exact instant, or a caller's phrase resolved against now.
    enum When {
        case exact(Date)
        case phrase(DateTimeResolution)
    }

    func interpret(_ text: String, now: Date) -> When {
        if let instant = RequestedTime.exact(text, timeZone: zone) { return .exact(instant) }
        return .phrase(business.resolver.resolve(text, now: now))
    }

    /// The answer when a phrase has no single reading: the agent asks the caller back.
    func clarification(_ resolution: DateTimeResolution) -> ToolResult {
        if resolution.candidates.isEmpty {
            return .failure("Das Datum habe ich nicht verstanden. Bitte nachfragen: Für welchen Tag und welche Uhrzeit?",
                            details: ["reason": resolution.reason.map(JSONValue.string) ?? .null])
        }
        return ToolResult([
            "needs_clarification": true,
            "question": .string(resolution.reason ?? "Bitte Datum und Uhrzeit genauer erfragen."),
            "candidates": .array(resolution.candidates.map { .string($0.spoken) }),
        ], text: resolution.reason)
    }

    func collectInfo(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        var state = try await collected(context)
        var notes: [String] = []
        if let name = arguments.name { state["name"] = .string(name) }
        if let email = arguments.email { state["email"] = .string(email) }
        if let notesText = arguments.string("notes") { state["notes"] = .string(notesText) }
        if let phone = arguments.phone {
            if let number = PhoneNumber.e164(phone) {
                state["phone"] = .string(number)
                state["phone_source"] = "caller"
            } else {
                notes.append("Die Telefonnummer \(phone) ist unvollständig.")
            }
        }
        if state["phone"] == nil, let caller = context.call.callerNumber, let number = PhoneNumber.e164(caller) {
            state["phone"] = .string(number)
            state["phone_source"] = "caller_id"
        }
        if let text = arguments.service {
            if let service = business.service(matching: text) {
                state["service"] = .string(service.id)
                state["service_name"] = .string(service.name)
            } else {
                notes.append("Die Leistung \"\(text)\" bieten wir nicht an. Angebot: \(business.services.map(\.name).joined(separator: ", ")).")
            }
        }
        if let text = arguments.staff {
            if let member = business.staffMember(matching: text) { state["staff"] = .string(member.id) } else {
                notes.append("\(text) arbeitet hier nicht. Zur Auswahl: \(business.staff.map(\.name).joined(separator: ", ")).")
            }
        }
        if let when = arguments.when {
            state["date_time"] = .string(when)
            if case .phrase(let resolution) = interpret(when, now: context.clock.now()) {
                if resolution.ambiguous || resolution.candidates.isEmpty {
                    notes.append(resolution.reason ?? "Datum bitte genauer erfragen.")
                } else if let first = resolution.candidates.first {
                    state["date_time_spoken"] = .string(first.spoken)
                }
            }
        }
        try await context.state.set("request", .object(state))
        var missing: [String] = []
        if state["service"] == nil { missing.append("service") }
        if state["date_time"] == nil { missing.append("date_time") }
        if state["name"] == nil { missing.append("name") }
        if state["phone"] == nil { missing.append("phone") }
        let questions = [
            "service": "Für welche Leistung möchten Sie einen Termin?",
            "date_time": "Für wann hätten Sie gern einen Termin?",
            "name": "Auf welchen Namen darf ich den Termin eintragen?",
            "phone": "Unter welcher Nummer erreichen wir Sie, falls sich etwas ändert?",
        ]
        var result: [String: JSONValue] = [
            "collected": .object(state),
            "missing": .array(missing.map(JSONValue.string)),
            "complete": .bool(missing.isEmpty),
            "next_question": missing.first.flatMap { questions[$0] }.map(JSONValue.string) ?? .null,
        ]
        if !notes.isEmpty { result["notes"] = .array(notes.map(JSONValue.string)) }
        return ToolResult(.object(result))
    }

    func checkAvailability(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        let state = try await collected(context)
        guard let found = service(arguments, state: state) else {
            return .failure("Welche Leistung? Angebot: \(business.services.map(\.name).joined(separator: ", ")).")
        }
        let service = withDuration(found, arguments.int("duration"))
        let staffText = arguments.staff ?? state["staff"]?.stringValue
        var staffID: String?
        if let staffText {
            guard let member = business.staffMember(matching: staffText) else {
                return .failure("\(staffText) arbeitet hier nicht. Zur Auswahl: \(business.staff.map(\.name).joined(separator: ", ")).")
            }
            staffID = member.id
        }
        let staffIDs = finder.candidates(for: service, staffID: staffID)
        guard !staffIDs.isEmpty else { return .failure("\(service.name) bietet diese Person nicht an.") }
        let now = context.clock.now()
        let today = LocalDate(now, in: zone)
        var request = SlotRequest()
        if let when = arguments.when ?? state["date_time"]?.stringValue {
            switch interpret(when, now: now) {
            case .exact(let instant):
                request = SlotRequest(date: LocalDate(instant, in: zone), time: LocalTime(instant, in: zone))
            case .phrase(let resolution):
                guard resolution.candidates.count == 1, let candidate = resolution.candidates.first else { return clarification(resolution) }
                request = SlotRequest(candidate)
            }
        }
        let slots = try await freeSlots(service: service, staffIDs: staffIDs, from: request.firstDay(today: today), now: now, db: context.db, context: context)
        let (exact, offers) = SlotSearch.offers(for: request, among: slots)
        var message: String
        if let exact {
            message = "Der Termin \(GermanSpeech.slot(exact.date, exact.time, currentYear: today.year)) ist frei."
        } else if offers.isEmpty {
            message = "In den nächsten \(settings.searchDays) Tagen ist für \(service.name) leider nichts frei."
        } else {
            let spoken = SlotSearch.spoken(offers, currentYear: today.year)
            var prefix = ""
            if let date = request.date, let closure = business.closure(on: date) {
                prefix = "Am \(GermanSpeech.day(date, currentYear: today.year)) ist geschlossen (\(closure)). "
            } else if request.time != nil {
                prefix = "Zu dieser Zeit ist leider nichts frei. "
            }
            message = prefix + "Ich hätte \(spoken) etwas frei."
        }
        return ToolResult([
            "available": .bool(exact != nil || (request.time == nil && !offers.isEmpty)),
            "service": .string(service.name),
            "slots": .array(offers.map { describe($0, currentYear: today.year) }),
            "message": .string(message),
        ], text: message)
    }

    func find(_ arguments: ToolArguments, context: ToolContext) async throws -> ToolResult {
        guard let raw = arguments.phone ?? context.call.callerNumber, let phone = PhoneNumber.e164(raw) else {
            return .failure("Ohne Telefonnummer kann ich keine Termine finden. Bitte nach der Nummer fragen.")
        }
        let now = context.clock.now()
        let found = try await AppointmentStore.upcoming(phone: phone, agentID: settings.agentID, after: now, on: context.db)
        let message: String
        if found.isEmpty {
            message = "Unter dieser Nummer finde ich keinen kommenden Termin."
        } else {
            let year = LocalDate(now, in: zone).year
            message = "Ich sehe " + found.map { appointment in
                let name = business.services.first { $0.id == appointment.serviceID }?.name ?? appointment.serviceID
                return "\(name) \(GermanSpeech.slot(LocalDate(appointment.start, in: zone), LocalTime(appointment.start, in: zone), currentYear: year))"
            }.joined(separator: " und ") + "."
        }
        return ToolResult(["appointments": .array(found.map(describe)), "message": .string(message)], text: message)
    }
}
