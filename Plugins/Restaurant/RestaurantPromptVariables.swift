import Foundation
import PluginAPI

extension RestaurantSkill {
    /// `{{restaurant.*}}`: `name`, `address`, `phone`, `language`, `currency`, `hours_today`,
    /// `open_now` (boolean), `open_now_text`, `specials` (list of `{name, price, note}`),
    /// `specials_text`, `menu_summary` (one line per category with names and prices), `delivers`,
    /// `delivery_text`, `takes_reservations`, `prices_include_tax`.
    public func promptVariables(for call: CallInfo, context: HookContext) async throws -> JSONValue {
        variables(now: context.clock.now())
    }

    /// The variables at `now` (in the profile's language).
    func variables(now: Date) -> JSONValue {
        let speech = Speech(profile: profile, language: profile.language)
        let calendar = profile.calendar
        let today = calendar.date(of: now)
        let german = speech.german
        let interval = profile.hours.interval(containing: now, calendar: calendar)
        let openText: String
        if let interval {
            openText = german ? "Jetzt geöffnet bis \(speech.time(interval.end))." : "Open now until \(speech.time(interval.end))."
        } else if let next = profile.hours.nextOpening(after: now, calendar: calendar) {
            openText = german ? "Jetzt geschlossen; wir öffnen \(speech.when(next, now: now))." : "Closed now; we open \(speech.when(next, now: now))."
        } else {
            openText = german ? "Derzeit geschlossen." : "Closed for now."
        }
        let weekday = calendar.weekday(of: today)
        let specials = profile.specials.filter { $0.weekdays.isEmpty || $0.weekdays.contains(weekday) }.compactMap { special -> JSONValue? in
            guard let item = profile.menu.item(id: special.itemID), item.available else { return nil }
            var value: [String: JSONValue] = ["name": .string(item.name), "price": .string(speech.price(item.price))]
            if let note = special.note { value["note"] = .string(note) }
            return .object(value)
        }
        let specialsText = specials.map { special in
            [special["name"]?.stringValue, special["price"]?.stringValue, special["note"]?.stringValue].compactMap { $0 }.joined(separator: ", ")
        }.joined(separator: "; ")
        let menuSummary = profile.menu.categories.map { category in
            "\(category.name): " + category.items.filter(\.available).map { "\($0.name) \(speech.price($0.price))" }.joined(separator: ", ")
        }.joined(separator: "\n")
        var deliveryText = german ? "Nur Abholung." : "Pickup only."
        if let delivery = profile.ordering.delivery {
            deliveryText = german
                ? "Lieferung in \(delivery.postcodes.joined(separator: ", ")); Mindestbestellwert \(speech.price(delivery.minimumOrder)), Liefergebühr \(speech.price(delivery.fee))."
                : "Delivery to \(delivery.postcodes.joined(separator: ", ")); minimum order \(speech.price(delivery.minimumOrder)), fee \(speech.price(delivery.fee))."
        }
        return [
            "name": .string(profile.name), "address": profile.address.map(JSONValue.string) ?? .null,
            "phone": profile.phone.map(JSONValue.string) ?? .null, "language": .string(profile.language),
            "currency": .string(profile.currency), "hours_today": .string(speech.hours(on: today)),
            "open_now": .bool(interval != nil), "open_now_text": .string(openText),
            "specials": .array(specials), "specials_text": .string(specialsText), "menu_summary": .string(menuSummary),
            "delivers": .bool(profile.ordering.delivery != nil), "delivery_text": .string(deliveryText),
            "takes_reservations": .bool(profile.reservations != nil), "prices_include_tax": .bool(profile.tax.included),
        ]
    }
}
