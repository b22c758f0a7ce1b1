import Foundation

/// What a caller asked for, as far as it narrows the search.
struct SlotRequest: Sendable, Hashable {
    var date: LocalDate?
    var time: LocalTime?
    /// Times of day (`Vormittag`, `ab 16 Uhr`).
    var timeWindow: (start: LocalTime, end: LocalTime?)?
    /// Days (`Anfang nächster Woche`).
    var dateRange: (start: LocalDate, end: LocalDate)?

    static func == (lhs: SlotRequest, rhs: SlotRequest) -> Bool {
        lhs.date == rhs.date && lhs.time == rhs.time && lhs.timeWindow?.start == rhs.timeWindow?.start
            && lhs.timeWindow?.end == rhs.timeWindow?.end && lhs.dateRange?.start == rhs.dateRange?.start
            && lhs.dateRange?.end == rhs.dateRange?.end
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(date)
        hasher.combine(time)
    }

    /// The request a resolver candidate describes.
    init(_ candidate: DateTimeResolution.Candidate) {
        date = candidate.date
        time = candidate.time
        switch candidate.window {
        case .time(let start, let end)?: timeWindow = (start, end)
        case .date(let start, let end)?: dateRange = (start, end ?? start)
        case nil: break
        }
    }

    init(date: LocalDate? = nil, time: LocalTime? = nil) {
        self.date = date
        self.time = time
    }

    /// The first day worth searching.
    func firstDay(today: LocalDate) -> LocalDate { max(today, dateRange?.start ?? date ?? today) }
}

/// Picks the free slots to offer: the requested one when free, else the nearest ones.
enum SlotSearch {
    /// The exact slot asked for (when free) and up to `limit` slots to offer, in time order.
    static func offers(for request: SlotRequest, among slots: [Slot], limit: Int = 3) -> (exact: Slot?, offers: [Slot]) {
        let exact = request.date.flatMap { date in request.time.flatMap { time in slots.first { $0.date == date && $0.time == time } } }
        if let exact { return (exact, [exact]) }
        func inWindow(_ slot: Slot) -> Bool {
            guard let window = request.timeWindow else { return true }
            return slot.time >= window.start && (window.end.map { slot.time < $0 } ?? true)
        }
        func inRange(_ slot: Slot) -> Bool {
            guard let range = request.dateRange else { return true }
            return range.start <= slot.date && slot.date <= range.end
        }
        func distance(_ slot: Slot) -> Int { request.time.map { abs(slot.time.minutes - $0.minutes) } ?? 0 }
        let byNearness: (Slot, Slot) -> Bool = { lhs, rhs in
            if lhs.date != rhs.date { return lhs.date < rhs.date }
            let (left, right) = (distance(lhs), distance(rhs))
            return left != right ? left < right : lhs.start < rhs.start
        }
        var chosen: [Slot] = []
        func take(_ pool: [Slot]) {
            for slot in pool.sorted(by: byNearness) where chosen.count < limit && !chosen.contains(where: { $0.start == slot.start }) {
                chosen.append(slot)
            }
        }
        let sameDay = slots.filter { slot in inWindow(slot) && inRange(slot) && (request.date.map { slot.date == $0 } ?? true) }
        take(sameDay)
        if chosen.isEmpty {
            let lastAsked = request.dateRange?.end ?? request.date
            take(slots.filter { slot in inWindow(slot) && (lastAsked.map { slot.date > $0 } ?? true) })
        }
        if chosen.isEmpty { take(slots) }
        return (nil, chosen.sorted { $0.start < $1.start })
    }

    /// "am Dienstag, dem 3. März, um 9:30 Uhr oder um 14:30 Uhr oder am Mittwoch, dem 4. März, um 10 Uhr".
    static func spoken(_ slots: [Slot], currentYear: Int) -> String {
        var parts: [String] = []
        var lastDate: LocalDate?
        for slot in slots {
            if slot.date == lastDate {
                parts.append("um \(slot.time.spoken) Uhr")
            } else {
                parts.append(GermanSpeech.slot(slot.date, slot.time, currentYear: currentYear))
                lastDate = slot.date
            }
        }
        return parts.joined(separator: " oder ")
    }
}
