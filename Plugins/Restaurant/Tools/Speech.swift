import Foundation
import PluginAPI

/// Formats money, times and dates the way the agent speaks (`$16.50`, `7:30 PM` / `16,50 €`, `19:30 Uhr`).
struct Speech {
    let profile: RestaurantProfile
    let german: Bool
    let money: MoneyFormat

    init(profile: RestaurantProfile, language: String) {
        self.profile = profile
        self.german = language.lowercased().hasPrefix("de")
        self.money = MoneyFormat(currency: profile.currency, language: language)
    }

    var calendar: RestaurantCalendar { profile.calendar }

    func price(_ amount: Money) -> String { money.format(amount) }

    /// `+$3.00` for an option's surcharge, empty when free.
    func surcharge(_ amount: Money) -> String { amount.minor == 0 ? "" : (amount.minor > 0 ? "+" : "") + money.format(amount) }

    /// The wall-clock time of `instant` (`7:30 PM`).
    func time(_ instant: Date) -> String { ClockTime.spoken(calendar.minutes(of: instant), german: german) }

    /// `today`/`tomorrow`/`Friday, March 6` plus the time.
    func when(_ instant: Date, now: Date) -> String {
        let day = calendar.date(of: instant), today = calendar.date(of: now)
        let dayText: String
        if day == today {
            dayText = german ? "heute" : "today"
        } else if day == calendar.adding(days: 1, to: today) {
            dayText = german ? "morgen" : "tomorrow"
        } else {
            dayText = (german ? "" : "on ") + calendar.spokenDate(day, german: german)
        }
        return german ? "\(dayText) um \(time(instant))" : "\(dayText) at \(time(instant))"
    }

    /// The local ISO form `2026-03-06T19:30` (restaurant time), for structured results.
    func localISO(_ instant: Date) -> String {
        "\(calendar.date(of: instant))T\(ClockTime.text(calendar.minutes(of: instant)))"
    }

    /// The day's opening hours as a phrase ("11:30 AM to 2:30 PM and 5 PM to 10 PM" / "closed").
    func hours(on date: LocalDate) -> String {
        let ranges = profile.hours.ranges(on: date, calendar: calendar)
        guard !ranges.isEmpty else { return german ? "geschlossen" : "closed" }
        return ranges.map { $0.spoken(german: german) }.joined(separator: german ? " und " : " and ")
    }

    /// "Pepperoni Pizza, $16.00".
    func itemLine(_ item: MenuItem) -> String { "\(item.name), \(price(item.price))" }
}
