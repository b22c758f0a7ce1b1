import Foundation
import PluginAPI

extension RestaurantSkill {
    /// Places the call's open order.
    ///
    /// Ready time: now (or the requested time, if later) plus the longest preparation time among the
    /// lines, plus `minutes_per_queued_order` for each confirmed order still in the kitchen, plus the
    /// delivery minutes for delivery; a requested time later than that is kept as asked.
    func confirmOrder(_ arguments: ToolArguments, context: ToolContext, speech: Speech) async throws -> ToolResult {
        let store = OrderStore(db: context.db)
        let now = context.clock.now()
        guard let orderID = try await store.openOrderID(callID: context.call.callID, agentID: agentID) else { return Self.noOrder }
        let lines = try await store.lines(orderID: orderID)
        guard !lines.isEmpty else { return ToolResult(["error": "empty_order"], text: "The order is empty; add something first.", isError: true) }
        let name = arguments.string("name") ?? ""
        guard let phone = arguments.string("phone") ?? context.call.callerNumber else {
            return ToolResult(["error": "phone_needed"], text: "Ask for a callback number; the caller's number is unknown.", isError: true)
        }
        let fulfilment = arguments.string("fulfilment") ?? "pickup"
        var address: String?, postcode: String?
        var fee: Money?
        var extraMinutes = 0
        if fulfilment == "delivery" {
            guard let delivery = profile.ordering.delivery else {
                return ToolResult(["error": "no_delivery"], text: "\(profile.name) does not deliver; pickup only.", isError: true)
            }
            guard let street = arguments.string("address") else {
                return ToolResult(["error": "address_needed"], text: "Ask for the delivery address.", isError: true)
            }
            guard let code = arguments.string("postcode") ?? Self.postcode(in: street) else {
                return ToolResult(["error": "postcode_needed"], text: "Ask for the postal code of the address.", isError: true)
            }
            guard delivery.postcodes.contains(code) else {
                return ToolResult(["error": "outside_delivery_area", "postcode": .string(code)],
                                  text: "We don't deliver to \(code). Offer pickup instead.", isError: true)
            }
            let subtotal = OrderTotals.of(lines, tax: profile.tax, deliveryFee: nil).subtotal
            if subtotal < delivery.minimumOrder {
                return ToolResult(
                    ["error": "below_minimum", "minimum": .string(speech.price(delivery.minimumOrder)), "missing": .string(speech.price(delivery.minimumOrder - subtotal))],
                    text: "Delivery needs at least \(speech.price(delivery.minimumOrder)); \(speech.price(delivery.minimumOrder - subtotal)) more, or choose pickup.",
                    isError: true)
            }
            (address, postcode, fee, extraMinutes) = (street, code, delivery.fee, delivery.minutes)
        } else if !profile.ordering.pickup {
            return ToolResult(["error": "no_pickup"], text: "\(profile.name) only delivers; ask for the address.", isError: true)
        }
        // When: as soon as possible, or a time the caller asked for.
        var requested: Date?
        if let timeText = arguments.string("time"), !["asap", "now", "sofort"].contains(timeText.lowercased()) {
            guard let time = parseWhen(timeText, now: now) else {
                return ToolResult(["error": "bad_time"], text: "Give the time as HH:mm or YYYY-MM-DDTHH:mm.", isError: true)
            }
            guard time > now else { return ToolResult(["error": "time_passed"], text: "That time has passed; ask for a later one.", isError: true) }
            requested = time
        }
        if let requested {
            guard profile.hours.isOpen(at: requested, calendar: speech.calendar) else { return closedFailure(at: requested, speech: speech, scheduling: false) }
        } else if !profile.hours.isOpen(at: now, calendar: speech.calendar) {
            return closedFailure(at: now, speech: speech, scheduling: true)
        }
        let queue = try await store.kitchenQueue(agentID: agentID, now: now)
        let minutes = lines.map(\.prepMinutes).max()! + queue * profile.ordering.minutesPerQueuedOrder + extraMinutes
        let earliest = now.addingTimeInterval(Double(minutes) * 60)
        let readyAt = max(earliest, requested ?? earliest)
        let totals = OrderTotals.of(lines, tax: profile.tax, deliveryFee: fee)
        let details = OrderStore.Confirmation(
            name: name, phone: phone, fulfilment: fulfilment, address: address, postcode: postcode, requestedAt: requested,
            readyAt: readyAt, totals: totals)
        guard try await store.confirm(orderID: orderID, details, now: now) else { return Self.noOrder }
        let number = OrderRecord.number(forID: orderID)
        let readyText = speech.when(readyAt, now: now)
        var value = orderJSON(lines, totals, speech: speech).objectValue ?? [:]
        value["order_number"] = .string(number)
        value["status"] = "confirmed"
        value["fulfilment"] = .string(fulfilment)
        value["ready_at"] = .string(speech.localISO(readyAt))
        value["ready_time"] = .string(readyText)
        value["phone"] = .string(phone)
        if let address { value["address"] = .string(address) }
        let verb = fulfilment == "delivery" ? "Delivery expected" : "Ready for pickup"
        return ToolResult(.object(value), text: "Order \(number) confirmed for \(name). \(verb) \(readyText). \(totalsText(totals, speech: speech))")
    }

    private func closedFailure(at instant: Date, speech: Speech, scheduling: Bool) -> ToolResult {
        let next = profile.hours.nextOpening(after: instant, calendar: speech.calendar)
        var value: [String: JSONValue] = ["error": "closed"]
        var text = "\(profile.name) is closed \(scheduling ? "right now" : "at that time")."
        if let next {
            value["next_opening"] = .string(speech.localISO(next))
            text += " We open \(speech.when(next, now: instant))."
        }
        if scheduling { text += " Offer to schedule the order for a later time." }
        return ToolResult(.object(value), text: text, isError: true)
    }

    /// `HH:mm` (today, restaurant time) or `YYYY-MM-DDTHH:mm`.
    func parseWhen(_ text: String, now: Date) -> Date? {
        let calendar = profile.calendar
        if let minutes = ClockTime.parse(text), minutes < 1440 { return calendar.instant(calendar.date(of: now), minutes: minutes) }
        let parts = text.split(separator: "T")
        guard parts.count == 2, let date = LocalDate(iso: String(parts[0])), let minutes = ClockTime.parse(String(parts[1].prefix(5))), minutes < 1440 else {
            return nil
        }
        return calendar.instant(date, minutes: minutes)
    }

    /// `today`, `tomorrow` (or German) or `YYYY-MM-DD`, relative to `now` in restaurant time.
    func parseDay(_ text: String?, now: Date) -> LocalDate? {
        let calendar = profile.calendar
        let today = calendar.date(of: now)
        guard let text else { return today }
        switch text.lowercased() {
        case "today", "heute": return today
        case "tomorrow", "morgen": return calendar.adding(days: 1, to: today)
        default: return LocalDate(iso: text)
        }
    }

    /// A postal code inside a spoken address: the last group of 4–5 digits.
    static func postcode(in address: String) -> String? {
        address.split(whereSeparator: { !($0.isASCII && $0.isNumber) }).last { (4...5).contains($0.count) }.map(String.init)
    }
}
