import Foundation

/// Opening (or working) hours: for each weekday (1 = Monday … 7 = Sunday) the intervals in minutes after
/// midnight; the gaps between intervals are breaks, a missing weekday is closed.
public struct WeeklyHours: Sendable, Hashable {
    public struct Interval: Sendable, Hashable {
        public var start: Int
        public var end: Int
        public init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }
        /// `08:00-12:00`.
        public var description: String { "\(LocalTime(minutes: start))-\(LocalTime(minutes: end))" }
    }

    public var days: [Int: [Interval]]

    public init(days: [Int: [Interval]]) { self.days = days }

    /// The intervals of `weekday` (empty when closed).
    public func intervals(_ weekday: Int) -> [Interval] { days[weekday] ?? [] }

    /// First opening to last closing per open weekday, for the date/time resolver.
    public var spans: [Int: DateTimeResolver.DaySpan] {
        days.compactMapValues { intervals in
            guard let open = intervals.map(\.start).min(), let close = intervals.map(\.end).max() else { return nil }
            return DateTimeResolver.DaySpan(open: open, close: close)
        }
    }
}

/// Days on which the business (or one person) does not work, inclusive.
public struct ClosedPeriod: Sendable, Hashable {
    public var from: LocalDate
    public var to: LocalDate
    public var reason: String?

    public init(from: LocalDate, to: LocalDate, reason: String? = nil) {
        self.from = from
        self.to = to
        self.reason = reason
    }

    public func contains(_ date: LocalDate) -> Bool { from <= date && date <= to }
}

/// Something a caller can book.
public struct Service: Sendable, Hashable {
    public var id: String
    /// The German name the agent says.
    public var name: String
    /// Other words callers use for it ("Kontrolle", "Check-up").
    public var synonyms: [String]
    /// Minutes.
    public var duration: Int
    /// Minutes kept free after it.
    public var buffer: Int
    /// Staff ids who provide it (empty = everyone, or the business itself when there is no staff).
    public var staff: [String]
    /// The Cal.com event type that books it (`calendar: calcom`).
    public var calcomEventTypeID: Int?
}

/// A person whose calendar holds appointments.
public struct StaffMember: Sendable, Hashable {
    public var id: String
    public var name: String
    /// Their own working hours (`nil` = the business's).
    public var hours: WeeklyHours?
    public var absences: [ClosedPeriod]
}

/// Everything the calendar knows about one business, read from its YAML data files.
public struct Business: Sendable {
    public var name: String
    public var timeZone: TimeZone
    /// Bundesland code (`BY`) for regional holidays; `nil` = nationwide holidays only.
    public var state: String?
    public var phone: String?
    public var address: String?
    public var hours: WeeklyHours
    public var closed: [ClosedPeriod]
    public var services: [Service]
    public var staff: [StaffMember]

    /// The service `text` names: its id, name or a synonym, ignoring case and umlaut spelling.
    public func service(matching text: String) -> Service? {
        let wanted = GermanText.fold(text.trimmingCharacters(in: .whitespaces))
        guard !wanted.isEmpty else { return nil }
        if let exact = services.first(where: { service in
            ([service.id, service.name] + service.synonyms).contains { GermanText.fold($0) == wanted }
        }) {
            return exact
        }
        return services.first { service in
            ([service.name] + service.synonyms).contains { name in
                let folded = GermanText.fold(name)
                return folded.count >= 4 && (wanted.contains(folded) || folded.contains(wanted) && wanted.count >= 4)
            }
        }
    }

    /// The staff member `text` names (id or name, or a part of the name such as the surname).
    public func staffMember(matching text: String) -> StaffMember? {
        let wanted = GermanText.fold(text.trimmingCharacters(in: .whitespaces))
        guard !wanted.isEmpty else { return nil }
        return staff.first { GermanText.fold($0.id) == wanted || GermanText.fold($0.name) == wanted }
            ?? staff.first { member in
                GermanText.fold(member.name).split(separator: " ").contains { $0.count >= 3 && wanted.contains($0) }
            }
    }

    /// Who provides `service` (every staff member when the service names nobody).
    public func providers(of service: Service) -> [StaffMember] {
        service.staff.isEmpty ? staff : staff.filter { service.staff.contains($0.id) }
    }

    /// Why the business is closed on `date` (a holiday or a closed day), if it is.
    public func closure(on date: LocalDate) -> String? {
        if let period = closed.first(where: { $0.contains(date) }) { return period.reason ?? "geschlossen" }
        if let holiday = GermanHoliday.holiday(on: date, state: state) { return holiday.kind.name }
        return nil
    }

    /// The resolver for callers' date and time phrases, using these opening hours.
    public var resolver: DateTimeResolver { DateTimeResolver(timeZone: timeZone, spans: hours.spans) }
}
