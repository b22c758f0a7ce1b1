import PluginAPI

/// The restaurant skill's tool definitions (names, descriptions for the LLM, argument schemas).
enum RestaurantTools {
    static let menu: [ToolDefinition] = [
        ToolDefinition(
            name: "search_menu",
            description: "Find menu items matching what the caller said (tolerant of misheard words). Use before adding anything to the order; never guess items or prices.",
            parameters: .object([
                .init("query", .string("The caller's words for the dish, e.g. 'a large pepperoni'.", minLength: 1, maxLength: 200), required: true),
                .init("limit", .integer("How many matches to return (default 3).", minimum: 1, maximum: 10)),
            ]),
            effect: .readOnly),
        ToolDefinition(
            name: "get_item_details",
            description: "Description, price, dietary tags and option choices (sizes, extras) of one menu item.",
            parameters: .object([
                .init("item", .string("The item id from search_menu, or its name.", minLength: 1, maxLength: 200), required: true),
            ]),
            effect: .readOnly),
    ]

    static let orders: [ToolDefinition] = [
        ToolDefinition(
            name: "add_to_order",
            description: "Add an item to the caller's order. Says which required choices (e.g. size) are still missing.",
            parameters: .object([
                .init("item", .string("The item id from search_menu, or its name.", minLength: 1, maxLength: 200), required: true),
                .init("quantity", .integer("How many (default 1).", minimum: 1, maximum: 50)),
                .init("options", .array(of: .string(minLength: 1, maxLength: 100), "Chosen options by name, e.g. ['large', 'extra cheese'].", maxItems: 20)),
                .init("notes", .string("Special requests for the kitchen, e.g. 'well done'.", maxLength: 300)),
            ]),
            effect: .mutating),
        ToolDefinition(
            name: "update_order_item",
            description: "Change a line of the order (quantity, options or notes). Lines are numbered as view_order shows them.",
            parameters: .object([
                .init("line", .integer("The line number from view_order.", minimum: 1, maximum: 100), required: true),
                .init("quantity", .integer("The new quantity.", minimum: 1, maximum: 50)),
                .init("options", .array(of: .string(minLength: 1, maxLength: 100), "The full new list of options (replaces the old ones).", maxItems: 20)),
                .init("notes", .string("New kitchen notes (empty to clear).", maxLength: 300)),
            ]),
            effect: .mutating),
        ToolDefinition(
            name: "remove_from_order",
            description: "Remove a line from the order. Lines are numbered as view_order shows them.",
            parameters: .object([
                .init("line", .integer("The line number from view_order.", minimum: 1, maximum: 100), required: true),
            ]),
            effect: .mutating),
        ToolDefinition(
            name: "view_order",
            description: "The order so far: numbered lines, subtotal, tax and total. Use to read the order back before confirming.",
            parameters: .empty,
            effect: .readOnly),
        ToolDefinition(
            name: "confirm_order",
            description: "Place the order once the caller agreed to it. Returns the order number and when it will be ready.",
            parameters: .object([
                .init("name", .string("The caller's name for the order.", minLength: 1, maxLength: 100), required: true),
                .init("fulfilment", .string("Pickup or delivery.", enum: ["pickup", "delivery"]), required: true),
                .init("phone", .string("Callback number; defaults to the number the caller is calling from.", maxLength: 40)),
                .init("address", .string("Street address, for delivery.", maxLength: 300)),
                .init("postcode", .string("Postal code, for delivery.", maxLength: 20)),
                .init("time", .string("When the caller wants it: 'asap' (default) or a time HH:mm today, or YYYY-MM-DDTHH:mm.", maxLength: 20)),
            ]),
            effect: .mutating),
    ]

    static let checkHours = ToolDefinition(
        name: "check_hours",
        description: "Opening hours: whether the restaurant is open now or at a given day and time, and when it next opens.",
        parameters: .object([
            .init("date", .string("A day as YYYY-MM-DD, or 'today' / 'tomorrow' (default today).", maxLength: 10)),
            .init("time", .string("A time HH:mm on that day (default: now).", maxLength: 5)),
        ]),
        effect: .readOnly)

    static let reservations: [ToolDefinition] = [
        ToolDefinition(
            name: "make_reservation",
            description: "Book a table. Offers nearby times when the requested one is full.",
            parameters: .object([
                .init("name", .string("The name for the booking.", minLength: 1, maxLength: 100), required: true),
                .init("party_size", .integer("How many people.", minimum: 1, maximum: 1000), required: true),
                .init("date", .string("YYYY-MM-DD, or 'today' / 'tomorrow'.", minLength: 5, maxLength: 10), required: true),
                .init("time", .string("HH:mm (24-hour).", minLength: 4, maxLength: 5), required: true),
                .init("phone", .string("Callback number; defaults to the caller's number.", maxLength: 40)),
                .init("notes", .string("e.g. 'birthday', 'high chair'.", maxLength: 300)),
            ]),
            effect: .mutating),
        ToolDefinition(
            name: "find_reservation",
            description: "Look up a reservation by its number, or the caller's upcoming reservations by phone number.",
            parameters: .object([
                .init("reservation_number", .string("The number given when booking.", maxLength: 20)),
                .init("phone", .string("Defaults to the caller's number.", maxLength: 40)),
            ]),
            effect: .readOnly),
        ToolDefinition(
            name: "cancel_reservation",
            description: "Cancel a reservation by its number (find it first and confirm with the caller).",
            parameters: .object([
                .init("reservation_number", .string("The number given when booking.", minLength: 1, maxLength: 20), required: true),
            ]),
            effect: .mutating),
    ]
}
