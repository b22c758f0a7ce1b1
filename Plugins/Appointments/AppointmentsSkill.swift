import Foundation
import PluginAPI
import SQLKit

/// One business's booking skill: tools, prompt variables, the Cal.com sync job and the read API.
struct AppointmentsSkill: Skill {
    let business: Business
    let settings: AppointmentsSettings
    let finder: SlotFinder

    init(business: Business, settings: AppointmentsSettings) {
        self.business = business
        self.settings = settings
        self.finder = SlotFinder(business: business, interval: settings.slotInterval, minimumNotice: settings.minimumNotice)
    }

    var timeZone: TimeZone? { business.timeZone }
    var tools: [ToolDefinition] { AppointmentTools.all }
    var zone: TimeZone { business.timeZone }

    func handle(_ call: ToolCall, context: ToolContext) async throws -> ToolResult {
        let arguments = ToolArguments(call.arguments)
        switch call.name {
        case AppointmentTools.resolveDatetime.name: return resolveDatetime(arguments, context: context)
        case AppointmentTools.collectInfo.name: return try await collectInfo(arguments, context: context)
        case AppointmentTools.checkAvailability.name: return try await checkAvailability(arguments, context: context)
        case AppointmentTools.book.name: return try await book(arguments, invocation: call, context: context)
        case AppointmentTools.reschedule.name: return try await reschedule(arguments, context: context)
        case AppointmentTools.cancel.name: return try await cancel(arguments, context: context)
        case AppointmentTools.find.name: return try await find(arguments, context: context)
        default: throw ToolError.unknownTool(call.name)
        }
    }

    // MARK: - Prompt

    func promptVariables(for call: CallInfo, context: HookContext) async throws -> JSONValue {
        let today = LocalDate(context.clock.now(), in: zone)
        return [
            "name": .string(business.name),
            "phone": business.phone.map(JSONValue.string) ?? .null,
            "address": business.address.map(JSONValue.string) ?? .null,
            "services": .string(business.services.map { "\($0.name) (\($0.duration) Minuten)" }.joined(separator: ", ")),
            "services_list": .array(business.services.map { ["id": .string($0.id), "name": .string($0.name), "duration": .int($0.duration)] }),
            "staff": .string(business.staff.map(\.name).joined(separator: ", ")),
            "opening_hours": .string(openingHoursText),
            "today": .string("\(GermanSpeech.weekday(today)), \(today.day). \(GermanSpeech.monthNames[today.month - 1]) \(today.year)"),
            "today_iso": .string(today.description),
        ]
    }

    /// "Montag: 08:00–12:00 und 14:00–18:00; …; Samstag und Sonntag: geschlossen".
    var openingHoursText: String {
        (1...7).map { weekday in
            let intervals = business.hours.intervals(weekday)
            let text = intervals.isEmpty ? "geschlossen" : intervals.map { "\(LocalTime(minutes: $0.start))–\(LocalTime(minutes: $0.end))" }.joined(separator: " und ")
            return "\(GermanSpeech.weekdayNames[weekday - 1]): \(text)"
        }.joined(separator: "; ")
    }

    // MARK: - Read API

    /// `GET /api/appointments?agent=…&since=…&limit=…`: `since` in milliseconds, ISO 8601 or a date.
    var readEndpoints: [ReadEndpoint] {
        let zone = self.zone
        let business = self.business
        return [
            ReadEndpoint(name: "appointments") { query, storage in
                let limit = min(max(Int(query["limit"] ?? "") ?? 100, 1), 1000)
                let since = query["since"].flatMap { text in
                    Int64(text).map(AppointmentStore.date) ?? ISO8601.parse(text) ?? LocalDate(iso: text)?.instant(atMinute: 0, in: zone)
                }
                let rows = try await AppointmentStore.list(agentID: query["agent"], since: since, limit: limit, on: storage.sql)
                return ["appointments": .array(rows.map { row in
                    row.json(timeZone: zone, serviceName: business.services.first { $0.id == row.serviceID }?.name,
                             staffName: business.staff.first { $0.id == row.staffID }?.name)
                })]
            },
        ]
    }

    // MARK: - Shared helpers

    /// The JSON of `appointment` with names filled in.
    func describe(_ appointment: Appointment) -> JSONValue {
        var json = appointment.json(
            timeZone: zone, serviceName: business.services.first { $0.id == appointment.serviceID }?.name,
            staffName: business.staff.first { $0.id == appointment.staffID }?.name)
        let date = LocalDate(appointment.start, in: zone)
        if case .object(var members) = json {
            members["spoken"] = .string(GermanSpeech.slot(date, LocalTime(appointment.start, in: zone), currentYear: date.year))
            json = .object(members)
        }
        return json
    }

    /// A slot as JSON, ready to pass to book_appointment.
    func describe(_ slot: Slot, currentYear: Int) -> JSONValue {
        [
            "start": .string(localISO(slot.start)),
            "date": .string(slot.date.description),
            "time": .string(slot.time.description),
            "staff_id": slot.staffID.isEmpty ? .null : .string(slot.staffID),
            "staff": business.staff.first { $0.id == slot.staffID }.map { .string($0.name) } ?? .null,
            "spoken": .string(GermanSpeech.slot(slot.date, slot.time, currentYear: currentYear)),
        ]
    }

    /// `2026-03-03T14:30:00+01:00` in the business's timezone.
    func localISO(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// The service named by the arguments, else the one collected earlier in the call.
    func service(_ arguments: ToolArguments, state: [String: JSONValue]) -> Service? {
        if let text = arguments.service ?? state["service"]?.stringValue { return business.service(matching: text) }
        return business.services.count == 1 ? business.services[0] : nil
    }

    /// The service with `duration` minutes instead, when the caller's system passes one (the seed's `duration`).
    func withDuration(_ service: Service, _ minutes: Int?) -> Service {
        guard let minutes, (5...480).contains(minutes) else { return service }
        var copy = service
        copy.duration = minutes
        return copy
    }

    /// Free slots for `service` from `first` over the search horizon, for `staffIDs`, ignoring `excluding`.
    func freeSlots(
        service: Service, staffIDs: [String], from first: LocalDate, days: Int? = nil, excluding: String? = nil,
        now: Date, db: any SQLDatabase, context: ToolContext? = nil
    ) async throws -> [Slot] {
        let last = first.adding(days: (days ?? settings.searchDays) - 1)
        let (start, _) = finder.dayBounds(first)
        let (_, end) = finder.dayBounds(last)
        let booked = try await AppointmentStore.booked(agentID: settings.agentID, from: start, to: end, on: db)
            .filter { $0.id != excluding }
        if let calcom = settings.calcom, let context, let eventType = service.calcomEventTypeID {
            let client = try CalcomClient(settings: calcom, services: context.services, deadline: context.deadline)
            let remote: [Date]
            do {
                remote = try await client.slots(eventTypeID: eventType, from: start, to: end, timeZone: zone, duration: service.duration)
            } catch CalcomError.unreachable(let detail) {
                // Keep booking while Cal.com is down: the opening hours and the local mirror decide, the outbox syncs later.
                context.logger.warning("Cal.com slots unreachable; using the built-in calendar", metadata: ["error": "\(detail)"])
                return builtinSlots(service: service, staffIDs: staffIDs, from: first, through: last, booked: booked, now: now)
            }
            return remote.compactMap { instant -> Slot? in
                let blocked = instant.addingTimeInterval(Double((service.duration + service.buffer) * 60))
                guard instant >= now.addingTimeInterval(Double(settings.minimumNotice * 60)),
                    !booked.contains(where: { $0.start < blocked && $0.blockedUntil > instant })
                else { return nil }
                return Slot(start: instant, end: instant.addingTimeInterval(Double(service.duration * 60)),
                            date: LocalDate(instant, in: zone), time: LocalTime(instant, in: zone), staffID: staffIDs.first ?? "")
            }
        }
        return builtinSlots(service: service, staffIDs: staffIDs, from: first, through: last, booked: booked, now: now)
    }

    private func builtinSlots(service: Service, staffIDs: [String], from first: LocalDate, through last: LocalDate, booked: [Appointment], now: Date) -> [Slot] {
        var slots: [Slot] = []
        var day = first
        while day <= last {
            slots += finder.freeSlots(for: service, on: day, staffIDs: staffIDs, booked: booked, now: now)
            day = day.adding(days: 1)
        }
        return slots
    }

    /// The state collected by collect_appointment_info in this call.
    func collected(_ context: ToolContext) async throws -> [String: JSONValue] {
        try await context.state.get("request")?.objectValue ?? [:]
    }
}
