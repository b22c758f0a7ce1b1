/// The menu: categories of items, each item with its option groups.
public struct Menu: Sendable {
    public var categories: [MenuCategory]

    public init(categories: [MenuCategory]) { self.categories = categories }

    /// Every item in menu order.
    public var items: [MenuItem] { categories.flatMap(\.items) }

    /// The item with `id`.
    public func item(id: String) -> MenuItem? { items.first { $0.id == id } }
}

/// A section of the menu ("Pizza", "Desserts").
public struct MenuCategory: Sendable {
    public var id: String
    public var name: String
    public var items: [MenuItem]

    public init(id: String, name: String, items: [MenuItem]) {
        self.id = id
        self.name = name
        self.items = items
    }
}

/// Something a caller can order.
public struct MenuItem: Sendable {
    public var id: String
    public var name: String
    public var categoryID: String
    /// Other ways callers say it ("pep", "pepperoni pie").
    public var synonyms: [String]
    public var description: String?
    /// The base price, before options.
    public var price: Money
    /// Dietary tags (`vegetarian`, `vegan`, `gluten-free`, `spicy`, …).
    public var tags: [String]
    /// False when sold out or off the menu for now.
    public var available: Bool
    /// Kitchen minutes to prepare it.
    public var prepMinutes: Int
    public var optionGroups: [OptionGroup]

    public init(
        id: String, name: String, categoryID: String, synonyms: [String], description: String?, price: Money,
        tags: [String], available: Bool, prepMinutes: Int, optionGroups: [OptionGroup]
    ) {
        self.id = id
        self.name = name
        self.categoryID = categoryID
        self.synonyms = synonyms
        self.description = description
        self.price = price
        self.tags = tags
        self.available = available
        self.prepMinutes = prepMinutes
        self.optionGroups = optionGroups
    }
}

/// A choice to make for an item ("Size": pick exactly one; "Extra toppings": up to five).
public struct OptionGroup: Sendable {
    public var id: String
    public var name: String
    /// At least this many options must be chosen (≥ 1 makes the group required).
    public var min: Int
    /// At most this many options may be chosen.
    public var max: Int
    public var options: [MenuOption]

    public init(id: String, name: String, min: Int, max: Int, options: [MenuOption]) {
        self.id = id
        self.name = name
        self.min = min
        self.max = max
        self.options = options
    }

    public var isRequired: Bool { min > 0 }
}

/// One choice in a group, with what it adds to the price ("Large +3.00").
public struct MenuOption: Sendable {
    public var id: String
    public var name: String
    public var synonyms: [String]
    public var price: Money

    public init(id: String, name: String, synonyms: [String], price: Money) {
        self.id = id
        self.name = name
        self.synonyms = synonyms
        self.price = price
    }
}
