import Foundation

/// The rules for taking a booking: when it may start, and whether a table (or seats) is free,
/// given the bookings that overlap. Pure logic; the tool reads and writes inside one transaction.
struct ReservationBook {
    let settings: ReservationSettings
    let hours: OpeningHours
    let calendar: RestaurantCalendar

    /// Why a start time cannot be booked at all (independent of other bookings).
    enum Refusal: Equatable {
        case partyTooLarge(max: Int)
        case tooSoon(earliest: Date)
        case tooFarAhead(days: Int)
        case closed
        case afterLastSeating(last: Date)
        case offSlot(minutes: Int)
    }

    /// What a party gets.
    enum Assignment: Equatable {
        case table(String)
        case seats
    }

    func end(of start: Date) -> Date { start.addingTimeInterval(Double(settings.durationMinutes) * 60) }

    /// Checks the start time against the rules.
    func refusal(start: Date, partySize: Int, now: Date) -> Refusal? {
        if partySize > settings.maxPartySize { return .partyTooLarge(max: settings.maxPartySize) }
        let earliest = now.addingTimeInterval(Double(settings.leadMinutes) * 60)
        if start < earliest { return .tooSoon(earliest: earliest) }
        if start > now.addingTimeInterval(Double(settings.horizonDays) * 86_400) { return .tooFarAhead(days: settings.horizonDays) }
        if calendar.minutes(of: start) % settings.slotMinutes != 0 { return .offSlot(minutes: settings.slotMinutes) }
        guard let interval = hours.interval(containing: start, calendar: calendar) else { return .closed }
        let last = interval.end.addingTimeInterval(-Double(settings.lastSeatingMinutes) * 60)
        if start > last { return .afterLastSeating(last: last) }
        return nil
    }

    /// The table or seats a party of `partySize` gets beside the overlapping `bookings`, if any.
    func assignment(partySize: Int, overlapping bookings: [ReservationRecord]) -> Assignment? {
        switch settings.capacity {
        case .tables(let tables):
            let taken = Set(bookings.compactMap(\.tableID))
            return tables.filter { $0.seats >= partySize && !taken.contains($0.id) }
                .min { ($0.seats, $0.id) < ($1.seats, $1.id) }
                .map { .table($0.id) }
        case .seats(let capacity):
            let used = bookings.reduce(0) { $0 + $1.partySize }
            return used + partySize <= capacity ? .seats : nil
        }
    }

    /// Bookable start times within four hours of `start`, nearest first (earlier first on a tie), that pass the rules.
    func candidateStarts(around start: Date, partySize: Int, now: Date) -> [Date] {
        let day = calendar.date(of: start)
        var candidates: [Date] = []
        for serviceDay in [calendar.adding(days: -1, to: day), day] {
            for range in hours.ranges(on: serviceDay, calendar: calendar) {
                var minute = (range.start + settings.slotMinutes - 1) / settings.slotMinutes * settings.slotMinutes
                while minute < range.end {
                    let candidate = calendar.instant(serviceDay, minutes: minute)
                    if refusal(start: candidate, partySize: partySize, now: now) == nil, abs(candidate.timeIntervalSince(start)) <= 4 * 3600 {
                        candidates.append(candidate)
                    }
                    minute += settings.slotMinutes
                }
            }
        }
        return candidates.sorted { (abs($0.timeIntervalSince(start)), $0) < (abs($1.timeIntervalSince(start)), $1) }
    }
}
