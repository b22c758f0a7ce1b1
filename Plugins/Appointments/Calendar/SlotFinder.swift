import Foundation

/// A bookable start time.
public struct Slot: Sendable, Hashable {
    public var start: Date
    public var end: Date
    public var date: LocalDate
    public var time: LocalTime
    /// `""` when the business books without staff.
    public var staffID: String
}

/// Computes free slots of the built-in calendar from opening hours, breaks, closed days, holidays, staff
/// hours and absences and existing bookings. Wall times are turned into instants through the timezone
/// database day by day, so slots on either side of a DST change are right and the skipped hour has none.
public struct SlotFinder: Sendable {
    public var business: Business
    /// Minutes between possible start times.
    public var interval: Int
    /// Minutes from now before the first bookable start.
    public var minimumNotice: Int

    public init(business: Business, interval: Int = 15, minimumNotice: Int = 60) {
        self.business = business
        self.interval = interval
        self.minimumNotice = minimumNotice
    }

    /// Who can do `service` (`""` stands for the business itself when it has no staff), optionally only `staffID`.
    public func candidates(for service: Service, staffID: String?) -> [String] {
        if business.staff.isEmpty { return [""] }
        let providers = business.providers(of: service).map(\.id)
        guard let staffID else { return providers }
        return providers.contains(staffID) ? [staffID] : []
    }

    /// The working intervals of `staffID` on `date` (business hours, narrowed by the person's hours and absences).
    public func workingIntervals(staffID: String, on date: LocalDate) -> [WeeklyHours.Interval] {
        guard business.closure(on: date) == nil else { return [] }
        let open = business.hours.intervals(date.weekday)
        guard let member = business.staff.first(where: { $0.id == staffID }) else { return open }
        if member.absences.contains(where: { $0.contains(date) }) { return [] }
        guard let own = member.hours?.intervals(date.weekday) else { return open }
        var result: [WeeklyHours.Interval] = []
        for first in open {
            for second in own {
                let start = max(first.start, second.start), end = min(first.end, second.end)
                if start < end { result.append(.init(start: start, end: end)) }
            }
        }
        return result.sorted { $0.start < $1.start }
    }

    /// Free slots for `service` on `date`, for `staffIDs` (first listed wins a time several can do),
    /// given the `booked` appointments (of any staff) around that day.
    public func freeSlots(for service: Service, on date: LocalDate, staffIDs: [String], booked: [Appointment], now: Date) -> [Slot] {
        let earliest = now.addingTimeInterval(Double(minimumNotice * 60))
        let zone = business.timeZone
        var byStart: [Date: Slot] = [:]
        for staffID in staffIDs {
            let busy = booked.filter { $0.staffID == staffID }
            for window in workingIntervals(staffID: staffID, on: date) {
                var minute = window.start
                while minute + service.duration <= window.end {
                    defer { minute += interval }
                    guard let start = date.instant(atMinute: minute, in: zone), start >= earliest else { continue }
                    let end = start.addingTimeInterval(Double(service.duration * 60))
                    let blocked = end.addingTimeInterval(Double(service.buffer * 60))
                    if busy.contains(where: { $0.start < blocked && $0.blockedUntil > start }) { continue }
                    if byStart[start] == nil {
                        byStart[start] = Slot(start: start, end: end, date: date, time: LocalTime(minutes: minute), staffID: staffID)
                    }
                }
            }
        }
        return byStart.values.sorted { $0.start < $1.start }
    }

    /// Midnight to midnight of `date` as instants (23 or 25 hours long on DST days).
    public func dayBounds(_ date: LocalDate) -> (Date, Date) {
        let zone = business.timeZone
        let start = date.instant(atMinute: 0, in: zone) ?? date.instant(atMinute: 60, in: zone) ?? Date(timeIntervalSince1970: Double(date.dayNumber) * 86400)
        let next = date.adding(days: 1)
        let end = next.instant(atMinute: 0, in: zone) ?? next.instant(atMinute: 60, in: zone) ?? start.addingTimeInterval(86400)
        return (start, end)
    }
}
