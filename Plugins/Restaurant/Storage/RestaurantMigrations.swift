import PluginAPI
import SQLKit

/// The restaurant plugin's tables. Times are milliseconds since the Unix epoch, money is integer
/// minor units, option lists are JSON text.
enum RestaurantMigrations {
    static let all: [Migration] = [
        Migration("001_orders") { db, _ in
            try await db.create(table: "restaurant_orders").ifNotExists()
                .column("id", type: .bigint, .primaryKey)
                .column("agent_id", type: .text, .notNull)
                .column("call_id", type: .text, .notNull)
                // open (the cart during a call), confirmed, abandoned (call ended while open)
                .column("status", type: .text, .notNull)
                .column("customer_name", type: .text)
                .column("customer_phone", type: .text)
                .column("fulfilment", type: .text)
                .column("address", type: .text)
                .column("postcode", type: .text)
                .column("currency", type: .text, .notNull)
                .column("subtotal_minor", type: .bigint, .notNull, .default(0))
                .column("tax_minor", type: .bigint, .notNull, .default(0))
                .column("fee_minor", type: .bigint, .notNull, .default(0))
                .column("total_minor", type: .bigint, .notNull, .default(0))
                .column("requested_at", type: .bigint)
                .column("ready_at", type: .bigint)
                .column("created_at", type: .bigint, .notNull)
                .column("updated_at", type: .bigint, .notNull)
                .column("confirmed_at", type: .bigint)
                .run()
            try await db.create(index: "restaurant_orders_call").on("restaurant_orders").column("call_id").column("status").run()
            try await db.create(index: "restaurant_orders_agent").on("restaurant_orders").column("agent_id").column("status").column("ready_at").run()
            try await db.create(table: "restaurant_order_lines").ifNotExists()
                .column("id", type: .bigint, .primaryKey)
                .column("order_id", type: .bigint, .notNull, .references("restaurant_orders", "id", onDelete: .cascade))
                .column("item_id", type: .text, .notNull)
                .column("item_name", type: .text, .notNull)
                .column("quantity", type: .int, .notNull)
                .column("unit_price_minor", type: .bigint, .notNull)
                .column("line_total_minor", type: .bigint, .notNull)
                .column("options", type: .text, .notNull)
                .column("notes", type: .text)
                .column("prep_minutes", type: .int, .notNull)
                .run()
            try await db.create(index: "restaurant_order_lines_order").on("restaurant_order_lines").column("order_id").run()
        },
        Migration("002_reservations") { db, _ in
            try await db.create(table: "restaurant_reservations").ifNotExists()
                .column("id", type: .bigint, .primaryKey)
                .column("agent_id", type: .text, .notNull)
                .column("call_id", type: .text)
                // booked, cancelled
                .column("status", type: .text, .notNull)
                .column("customer_name", type: .text, .notNull)
                .column("customer_phone", type: .text)
                .column("party_size", type: .int, .notNull)
                .column("starts_at", type: .bigint, .notNull)
                .column("ends_at", type: .bigint, .notNull)
                .column("table_id", type: .text)
                .column("notes", type: .text)
                .column("created_at", type: .bigint, .notNull)
                .column("cancelled_at", type: .bigint)
                .run()
            try await db.create(index: "restaurant_reservations_time").on("restaurant_reservations")
                .column("agent_id").column("status").column("starts_at").run()
            try await db.create(index: "restaurant_reservations_phone").on("restaurant_reservations").column("customer_phone").run()
        },
    ]
}
