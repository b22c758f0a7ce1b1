import PluginAPI

/// Reads a menu document (`categories` and shared `option_groups`), collecting every problem.
///
/// ```yaml
/// option_groups:
///   - id: pizza-size
///     name: Size
///     min: 1            # required: choose at least one
///     max: 1
///     options:
///       - { id: regular, name: Regular 12 inch, price: 0 }
///       - { id: large, name: Large 16 inch, price: 3.00, synonyms: [big] }
/// categories:
///   - id: pizza
///     name: Pizza
///     items:
///       - id: pepperoni-pizza
///         name: Pepperoni Pizza
///         synonyms: [pep, pepperoni pie]
///         price: 16.00
///         tags: [spicy]
///         prep_minutes: 15
///         options: [pizza-size]
/// ```
struct MenuParser {
    private(set) var issues: [ConfigIssue] = []

    mutating func parse(_ node: ConfigNode) -> Menu {
        var reader = ConfigReader(node)
        var groups: [String: OptionGroup] = [:]
        for groupNode in reader.list("option_groups") {
            guard let group = optionGroup(groupNode) else { continue }
            if groups[group.id] != nil {
                issues.append(ConfigIssue(node: groupNode, "duplicate option group id '\(group.id)'"))
            }
            groups[group.id] = group
        }
        var categories: [MenuCategory] = []
        var itemIDs = Set<String>()
        let categoryNodes = reader.list("categories")
        if categoryNodes.isEmpty { reader.report("the menu needs at least one entry under 'categories'") }
        for categoryNode in categoryNodes {
            var category = ConfigReader(categoryNode)
            let id = category.identifier("id") ?? ""
            let name = category.string("name") ?? id
            var items: [MenuItem] = []
            for itemNode in category.list("items") {
                guard let item = item(itemNode, categoryID: id, groups: groups) else { continue }
                if !itemIDs.insert(item.id).inserted {
                    issues.append(ConfigIssue(node: itemNode, "duplicate item id '\(item.id)'"))
                }
                items.append(item)
            }
            category.finish()
            issues += category.issues
            categories.append(MenuCategory(id: id, name: name, items: items))
        }
        reader.finish()
        issues += reader.issues
        return Menu(categories: categories)
    }

    private mutating func item(_ node: ConfigNode, categoryID: String, groups: [String: OptionGroup]) -> MenuItem? {
        var reader = ConfigReader(node)
        let id = reader.identifier("id")
        let name = reader.string("name")
        let synonyms = reader.strings("synonyms")
        let description = reader.string("description", default: nil)
        let price = reader.money("price", default: nil)
        if let price, price.minor < 0 { reader.report("a price cannot be negative", at: node["price"]) }
        let tags = reader.strings("tags")
        let available = reader.bool("available", default: true)
        let prep = reader.int("prep_minutes", default: 10, in: 0...240) ?? 10
        var itemGroups: [OptionGroup] = []
        let groupIDs = reader.strings("options")
        for (index, groupID) in groupIDs.enumerated() {
            if let group = groups[groupID] {
                itemGroups.append(group)
            } else {
                reader.report("no option group '\(groupID)'" + ConfigReader.suggestion(for: groupID, among: Array(groups.keys)), at: optionNode(node, index))
            }
        }
        reader.finish()
        issues += reader.issues
        guard let id, let name, let price else { return nil }
        return MenuItem(
            id: id, name: name, categoryID: categoryID, synonyms: synonyms, description: description, price: price, tags: tags,
            available: available, prepMinutes: prep, optionGroups: itemGroups)
    }

    private func optionNode(_ item: ConfigNode, _ index: Int) -> ConfigNode? {
        guard case .sequence(let entries)? = item["options"]?.value, entries.indices.contains(index) else { return item["options"] }
        return entries[index]
    }

    private mutating func optionGroup(_ node: ConfigNode) -> OptionGroup? {
        var reader = ConfigReader(node)
        let id = reader.identifier("id")
        let name = reader.string("name")
        let minimum = reader.int("min", default: 0, in: 0...20) ?? 0
        let maximum = reader.int("max", default: max(minimum, 1), in: 1...20) ?? max(minimum, 1)
        if maximum < minimum { reader.report("max (\(maximum)) is less than min (\(minimum))", at: node["max"]) }
        var options: [MenuOption] = []
        var optionIDs = Set<String>()
        for optionNode in reader.list("options") {
            var option = ConfigReader(optionNode)
            let optionID = option.identifier("id")
            let optionName = option.string("name")
            let synonyms = option.strings("synonyms")
            let price = option.money("price", default: .zero) ?? .zero
            option.finish()
            reader.absorb(option.issues)
            guard let optionID, let optionName else { continue }
            if !optionIDs.insert(optionID).inserted { reader.report("duplicate option id '\(optionID)'", at: optionNode) }
            options.append(MenuOption(id: optionID, name: optionName, synonyms: synonyms, price: price))
        }
        if options.isEmpty { reader.report("an option group needs at least one entry under 'options'") }
        if minimum > options.count, !options.isEmpty {
            reader.report("min (\(minimum)) is more than the \(options.count) options offered", at: node["min"])
        }
        reader.finish()
        issues += reader.issues
        guard let id, let name else { return nil }
        return OptionGroup(id: id, name: name, min: minimum, max: maximum, options: options)
    }
}
