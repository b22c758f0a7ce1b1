import PluginAPI

extension RestaurantSkill {
    /// The outcome of finding the item a tool argument names.
    enum ItemLookup {
        case found(MenuItem)
        case ambiguous([MenuItem])
        case none
    }

    /// An item by id, by exact name, or by a clear best fuzzy match.
    func lookUpItem(_ reference: String) -> ItemLookup {
        if let item = profile.menu.item(id: reference) { return .found(item) }
        let words = SpokenText.words(reference)
        if let item = profile.menu.items.first(where: { SpokenText.words($0.name) == words }) { return .found(item) }
        let matches = matcher.search(reference, limit: 3)
        guard let best = matches.first else { return .none }
        if best.score >= 0.6, matches.count == 1 || matches[1].score < best.score - 0.1 { return .found(best.item) }
        return .ambiguous(matches.map(\.item))
    }

    /// The failure for an item that could not be pinned down.
    func itemFailure(_ reference: String, _ lookup: ItemLookup, speech: Speech) -> ToolResult {
        if case .ambiguous(let items) = lookup {
            let names = items.map(\.name)
            return ToolResult(
                ["error": "ambiguous", "candidates": .array(items.map { summary($0, speech: speech) })],
                text: "'\(reference)' could mean \(Self.list(names, or: true)). Ask which one.", isError: true)
        }
        return ToolResult(
            ["error": "not_on_menu", "query": .string(reference)],
            text: "Nothing on the menu matches '\(reference)'. Do not invent it; offer to describe a category instead.", isError: true)
    }

    func searchMenu(_ arguments: ToolArguments, speech: Speech) -> ToolResult {
        let query = arguments.string("query") ?? ""
        let matches = matcher.search(query, limit: arguments.int("limit") ?? 3)
        guard let best = matches.first else {
            return ToolResult(["matches": [], "query": .string(query)],
                              text: "Nothing on the menu matches '\(query)'. Do not invent it.")
        }
        let clear = best.score >= 0.6 && (matches.count == 1 || matches[1].score < best.score - 0.1)
        let results: [JSONValue] = matches.map { match in
            var entry = summary(match.item, speech: speech).objectValue ?? [:]
            entry["score"] = .double((match.score * 100).rounded() / 100)
            if !match.options.isEmpty { entry["options_heard"] = .array(match.options.map { .string($0.name) }) }
            return .object(entry)
        }
        var value: [String: JSONValue] = ["matches": .array(results), "query": .string(query)]
        let text: String
        if clear {
            value["best"] = .string(best.item.id)
            let availability = best.item.available ? "" : " — sold out today"
            text = "Best match: \(speech.itemLine(best.item))\(availability)." + requiredChoicesText(best.item, heard: best.options)
        } else {
            text = "Several items match: " + matches.map { speech.itemLine($0.item) }.joined(separator: "; ") + ". Ask which one."
        }
        return ToolResult(.object(value), text: text)
    }

    func itemDetails(_ arguments: ToolArguments, speech: Speech) -> ToolResult {
        let reference = arguments.string("item") ?? ""
        let lookup = lookUpItem(reference)
        guard case .found(let item) = lookup else { return itemFailure(reference, lookup, speech: speech) }
        var value = summary(item, speech: speech).objectValue ?? [:]
        if let description = item.description { value["description"] = .string(description) }
        value["prep_minutes"] = .int(item.prepMinutes)
        value["option_groups"] = .array(item.optionGroups.map { group in
            [
                "id": .string(group.id), "name": .string(group.name), "required": .bool(group.isRequired),
                "min": .int(group.min), "max": .int(group.max),
                "options": .array(group.options.map { option in
                    ["id": .string(option.id), "name": .string(option.name), "price": .string(speech.surcharge(option.price)),
                     "price_minor": .int(option.price.minor)]
                }),
            ]
        })
        var text = speech.itemLine(item) + "."
        if let description = item.description { text += " \(description)" }
        if !item.tags.isEmpty { text += " (\(item.tags.joined(separator: ", ")))" }
        for group in item.optionGroups {
            let options = group.options.map { $0.name + ($0.price.minor == 0 ? "" : " " + speech.surcharge($0.price)) }
            text += " \(group.name)\(group.isRequired ? " (required)" : ""): \(options.joined(separator: ", "))."
        }
        if !item.available { text += " Sold out today." }
        return ToolResult(.object(value), text: text)
    }

    /// The short form of an item used in several results.
    func summary(_ item: MenuItem, speech: Speech) -> JSONValue {
        var value: [String: JSONValue] = [
            "id": .string(item.id), "name": .string(item.name), "price": .string(speech.price(item.price)),
            "price_minor": .int(item.price.minor), "available": .bool(item.available),
        ]
        if let category = profile.menu.categories.first(where: { $0.id == item.categoryID }) { value["category"] = .string(category.name) }
        if !item.tags.isEmpty { value["tags"] = .array(item.tags.map(JSONValue.string)) }
        let required = item.optionGroups.filter(\.isRequired).map(\.name)
        if !required.isEmpty { value["required_choices"] = .array(required.map(JSONValue.string)) }
        return .object(value)
    }

    /// " Choose Size: Regular or Large." for required groups not covered by `heard`.
    func requiredChoicesText(_ item: MenuItem, heard: [MenuOption]) -> String {
        let heardIDs = Set(heard.map(\.id))
        let open = item.optionGroups.filter { $0.isRequired && !$0.options.contains { heardIDs.contains($0.id) } }
        guard !open.isEmpty else { return "" }
        return " Needs a choice of " + open.map { "\($0.name): \(Self.list($0.options.map(\.name), or: true))" }.joined(separator: "; ") + "."
    }

    /// "a, b or c".
    static func list(_ names: [String], or: Bool) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + (or ? " or " : " and ") + names.last!
    }
}
