import Foundation
import PluginAPI
import SQLKit

/// ``CallState`` on the `call_state` table, bound to one database session (the tool's transaction).
struct CallStateStore: CallState {
    let db: any SQLDatabase
    let callID: String
    let namespace: String
    let clock: WallClock

    func get(_ key: String) async throws -> JSONValue? {
        let row = try await db.select().column("value").from("call_state")
            .where("call_id", .equal, SQLBind(callID)).where("namespace", .equal, SQLBind(namespace))
            .where("key", .equal, SQLBind(key)).first()
        guard let text = try row?.decode(column: "value", as: String.self) else { return nil }
        return try JSONValue(parsing: text)
    }

    func set(_ key: String, _ value: JSONValue?) async throws {
        guard let value else {
            try await db.delete(from: "call_state")
                .where("call_id", .equal, SQLBind(callID)).where("namespace", .equal, SQLBind(namespace))
                .where("key", .equal, SQLBind(key)).run()
            return
        }
        let now = Int64(clock.now().timeIntervalSince1970 * 1000)
        try await db.insert(into: "call_state")
            .columns("call_id", "namespace", "key", "value", "updated_at")
            .values(SQLBind(callID), SQLBind(namespace), SQLBind(key), SQLBind(value.canonicalJSON), SQLBind(now))
            .onConflict(with: ["call_id", "namespace", "key"]) { update in
                update.set(excludedValueOf: "value").set(excludedValueOf: "updated_at")
            }
            .run()
    }
}
