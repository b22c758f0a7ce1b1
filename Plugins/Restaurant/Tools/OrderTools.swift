import Foundation
import PluginAPI

extension RestaurantSkill {
    /// The options named for an item, checked against its groups.
    struct OptionChoice {
        var chosen: [ChosenOption] = []
        var unknown: [String] = []
        var missing: [OptionGroup] = []
        var tooMany: [OptionGroup] = []

        var isValid: Bool { unknown.isEmpty && missing.isEmpty && tooMany.isEmpty }
    }

    /// Resolves option names ("large", "extra cheese") and checks every group's min and max.
    func choose(_ names: [String], for item: MenuItem) -> OptionChoice {
        var choice = OptionChoice()
        for name in names {
            let words = SpokenText.words(name)
            let exact = item.optionGroups.lazy.flatMap { group in group.options.map { (group, $0) } }.first { _, option in
                option.id == name || SpokenText.words(option.name) == words || option.synonyms.contains { SpokenText.words($0) == words }
            }
            let found = exact ?? matcher.option(name, of: item).flatMap { option in
                item.optionGroups.first { $0.options.contains { $0.id == option.id } }.map { ($0, option) }
            }
            guard let (group, option) = found else {
                choice.unknown.append(name)
                continue
            }
            if choice.chosen.contains(where: { $0.group == group.id && $0.id == option.id }) { continue }
            choice.chosen.append(ChosenOption(group: group.id, id: option.id, name: option.name, priceMinor: option.price.minor))
        }
        for group in item.optionGroups {
            let count = choice.chosen.filter { $0.group == group.id }.count
            if count < group.min { choice.missing.append(group) }
            if count > group.max { choice.tooMany.append(group) }
        }
        return choice
    }

    /// The failure explaining what is wrong with the options.
    func optionFailure(_ choice: OptionChoice, item: MenuItem, speech: Speech) -> ToolResult {
        var sentences: [String] = []
        var value: [String: JSONValue] = ["error": "options", "item": .string(item.name)]
        if !choice.unknown.isEmpty {
            let offered = item.optionGroups.flatMap(\.options).map(\.name)
            value["unknown_options"] = .array(choice.unknown.map(JSONValue.string))
            let unknown = Self.list(choice.unknown.map { "'\($0)'" }, or: false)
            let rest = offered.isEmpty ? "; it comes as is." : "; offered: \(offered.joined(separator: ", "))."
            sentences.append("\(item.name) has no option \(unknown)" + rest)
        }
        if !choice.missing.isEmpty {
            value["missing"] = .array(choice.missing.map { group in
                ["group": .string(group.name), "min": .int(group.min),
                 "choices": .array(group.options.map { .string($0.name + ($0.price.minor == 0 ? "" : " " + speech.surcharge($0.price))) })]
            })
            sentences += choice.missing.map { group in
                "Still needed — \(group.name)\(group.min > 1 ? " (choose \(group.min))" : ""): \(Self.list(group.options.map(\.name), or: true))."
            }
        }
        if !choice.tooMany.isEmpty {
            value["too_many"] = .array(choice.tooMany.map { ["group": .string($0.name), "max": .int($0.max)] })
            sentences += choice.tooMany.map { "At most \($0.max) for \($0.name)." }
        }
        return ToolResult(.object(value), text: "Nothing was added. " + sentences.joined(separator: " "), isError: true)
    }

    func addToOrder(_ arguments: ToolArguments, context: ToolContext, speech: Speech) async throws -> ToolResult {
        let reference = arguments.string("item") ?? ""
        let lookup = lookUpItem(reference)
        guard case .found(let item) = lookup else { return itemFailure(reference, lookup, speech: speech) }
        guard item.available else {
            return ToolResult(["error": "sold_out", "item": .string(item.name)], text: "Sorry, \(item.name) is sold out today.", isError: true)
        }
        let choice = choose(arguments.strings("options") ?? [], for: item)
        guard choice.isValid else { return optionFailure(choice, item: item, speech: speech) }
        let quantity = arguments.int("quantity") ?? 1
        let store = OrderStore(db: context.db)
        let now = context.clock.now()
        let orderID = try await store.openOrCreate(callID: context.call.callID, agentID: agentID, currency: profile.currency, now: now)
        try await store.addLine(orderID: orderID, item: item, quantity: quantity, options: choice.chosen, notes: arguments.string("notes"))
        let lines = try await store.lines(orderID: orderID)
        let totals = OrderTotals.of(lines, tax: profile.tax, deliveryFee: nil)
        try await store.saveTotals(orderID: orderID, totals, now: now)
        let added = lines.last!
        return ToolResult(
            ["added": lineJSON(added, number: lines.count, speech: speech), "order": orderJSON(lines, totals, speech: speech)],
            text: "Added \(added.quantity) × \(added.label), \(speech.price(added.total)). Order total so far \(speech.price(totals.total)).")
    }

    func updateOrderItem(_ arguments: ToolArguments, context: ToolContext, speech: Speech) async throws -> ToolResult {
        let store = OrderStore(db: context.db)
        guard let orderID = try await store.openOrderID(callID: context.call.callID, agentID: agentID) else { return Self.noOrder }
        var lines = try await store.lines(orderID: orderID)
        let number = arguments.int("line") ?? 0
        guard lines.indices.contains(number - 1) else { return lineFailure(number, count: lines.count) }
        var line = lines[number - 1]
        if let quantity = arguments.int("quantity") { line.quantity = quantity }
        if let notes = arguments.json["notes"]?.stringValue { line.notes = notes.isEmpty ? nil : notes }
        if let names = arguments.strings("options") {
            guard let item = profile.menu.item(id: line.itemID) else {
                return .failure("\(line.itemName) is no longer on the menu; remove the line and add something else.")
            }
            let choice = choose(names, for: item)
            guard choice.isValid else { return optionFailure(choice, item: item, speech: speech) }
            line.options = choice.chosen
            line.unitPrice = Money(minor: choice.chosen.reduce(item.price.minor) { $0 + $1.priceMinor })
        }
        try await store.updateLine(line)
        lines[number - 1] = line
        let totals = OrderTotals.of(lines, tax: profile.tax, deliveryFee: nil)
        try await store.saveTotals(orderID: orderID, totals, now: context.clock.now())
        return ToolResult(
            ["updated": lineJSON(line, number: number, speech: speech), "order": orderJSON(lines, totals, speech: speech)],
            text: "Line \(number) is now \(line.quantity) × \(line.label), \(speech.price(line.total)). Total \(speech.price(totals.total)).")
    }

    func removeFromOrder(_ arguments: ToolArguments, context: ToolContext, speech: Speech) async throws -> ToolResult {
        let store = OrderStore(db: context.db)
        guard let orderID = try await store.openOrderID(callID: context.call.callID, agentID: agentID) else { return Self.noOrder }
        var lines = try await store.lines(orderID: orderID)
        let number = arguments.int("line") ?? 0
        guard lines.indices.contains(number - 1) else { return lineFailure(number, count: lines.count) }
        let removed = lines.remove(at: number - 1)
        try await store.deleteLine(id: removed.id)
        let totals = OrderTotals.of(lines, tax: profile.tax, deliveryFee: nil)
        try await store.saveTotals(orderID: orderID, totals, now: context.clock.now())
        let rest = lines.isEmpty ? "The order is now empty." : "Total now \(speech.price(totals.total))."
        return ToolResult(
            ["removed": .string(removed.label), "order": orderJSON(lines, totals, speech: speech)],
            text: "Removed \(removed.quantity) × \(removed.label). \(rest)")
    }

    func viewOrder(context: ToolContext, speech: Speech) async throws -> ToolResult {
        let store = OrderStore(db: context.db)
        guard let orderID = try await store.openOrderID(callID: context.call.callID, agentID: agentID) else {
            return ToolResult(["lines": [], "empty": true], text: "The order is empty.")
        }
        let lines = try await store.lines(orderID: orderID)
        let totals = OrderTotals.of(lines, tax: profile.tax, deliveryFee: nil)
        guard !lines.isEmpty else { return ToolResult(["lines": [], "empty": true], text: "The order is empty.") }
        let spoken = lines.enumerated().map { "\($0.offset + 1)) \($0.element.quantity) × \($0.element.label) \(speech.price($0.element.total))" }
        return ToolResult(orderJSON(lines, totals, speech: speech), text: spoken.joined(separator: "; ") + ". " + totalsText(totals, speech: speech))
    }

    /// "Subtotal $38.00, tax $3.28, total $41.28." (tax-inclusive menus: "Total 38,00 € incl. 2,49 € tax.")
    func totalsText(_ totals: OrderTotals, speech: Speech) -> String {
        let fee = totals.deliveryFee.minor > 0 ? ", delivery \(speech.price(totals.deliveryFee))" : ""
        if totals.taxIncluded {
            return "Total \(speech.price(totals.total))\(fee.isEmpty ? "" : " (\(fee.dropFirst(2)))"), including \(speech.price(totals.tax)) tax."
        }
        return "Subtotal \(speech.price(totals.subtotal)), tax \(speech.price(totals.tax))\(fee), total \(speech.price(totals.total))."
    }

    func lineJSON(_ line: OrderLine, number: Int, speech: Speech) -> JSONValue {
        var value: [String: JSONValue] = [
            "line": .int(number), "item_id": .string(line.itemID), "item": .string(line.itemName), "quantity": .int(line.quantity),
            "options": .array(line.options.map { .string($0.name) }), "unit_price_minor": .int(line.unitPrice.minor),
            "total": .string(speech.price(line.total)), "total_minor": .int(line.total.minor),
        ]
        if let notes = line.notes { value["notes"] = .string(notes) }
        return .object(value)
    }

    func orderJSON(_ lines: [OrderLine], _ totals: OrderTotals, speech: Speech) -> JSONValue {
        [
            "lines": .array(lines.enumerated().map { lineJSON($0.element, number: $0.offset + 1, speech: speech) }),
            "currency": .string(profile.currency),
            "subtotal": .string(speech.price(totals.subtotal)), "subtotal_minor": .int(totals.subtotal.minor),
            "tax": .string(speech.price(totals.tax)), "tax_minor": .int(totals.tax.minor), "tax_included": .bool(totals.taxIncluded),
            "delivery_fee_minor": .int(totals.deliveryFee.minor),
            "total": .string(speech.price(totals.total)), "total_minor": .int(totals.total.minor),
        ]
    }

    static let noOrder = ToolResult(["error": "no_open_order"], text: "There is no open order in this call yet.", isError: true)

    func lineFailure(_ number: Int, count: Int) -> ToolResult {
        ToolResult(["error": "no_such_line", "line": .int(number), "lines": .int(count)],
                   text: count == 0 ? "The order is empty." : "There is no line \(number); the order has \(count) line\(count == 1 ? "" : "s").",
                   isError: true)
    }
}
