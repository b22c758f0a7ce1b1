import PluginAPI
import SQLKit

/// The host's own tables. Times are milliseconds since the Unix epoch; JSON is stored as text.
enum HostMigrations {
    static let all: [Migration] = [
        Migration("001_calls") { db, _ in
            try await db.create(table: "calls").ifNotExists()
                .column("call_id", type: .text, .primaryKey(autoIncrement: false))
                .column("agent_id", type: .text)
                .column("retell_agent_id", type: .text)
                .column("status", type: .text, .notNull)
                .column("status_rank", type: .int, .notNull)
                .column("direction", type: .text)
                .column("from_number", type: .text)
                .column("to_number", type: .text)
                .column("started_at", type: .bigint)
                .column("ended_at", type: .bigint)
                .column("duration_ms", type: .bigint)
                .column("disconnection_reason", type: .text)
                .column("cost", type: .custom(SQLRaw("DOUBLE PRECISION")))
                .column("metadata", type: .text)
                .column("dynamic_variables", type: .text)
                .column("summary", type: .text)
                .column("sentiment", type: .text)
                .column("successful", type: .custom(SQLRaw("BOOLEAN")))
                .column("analysis", type: .text)
                .column("created_at", type: .bigint, .notNull)
                .column("updated_at", type: .bigint, .notNull)
                .run()
            try await db.create(index: "calls_agent_started").on("calls").column("agent_id").column("started_at").run()
            try await db.create(index: "calls_from_number").on("calls").column("from_number").run()
        },
        Migration("002_transcripts") { db, _ in
            try await db.create(table: "transcripts").ifNotExists()
                .column("call_id", type: .text, .primaryKey(autoIncrement: false))
                .column("text", type: .text, .notNull)
                .column("transcript_object", type: .text)
                .column("source", type: .text, .notNull)
                .column("updated_at", type: .bigint, .notNull)
                .run()
        },
        Migration("003_webhook_events") { db, _ in
            try await db.create(table: "webhook_events").ifNotExists()
                .column("id", type: .bigint, .primaryKey)
                .column("event", type: .text, .notNull)
                .column("call_id", type: .text)
                .column("dedupe_key", type: .text, .notNull, .unique)
                .column("body", type: .text, .notNull)
                .column("received_at", type: .bigint, .notNull)
                .run()
            try await db.create(index: "webhook_events_call").on("webhook_events").column("call_id").run()
        },
        Migration("004_tool_invocations") { db, _ in
            try await db.create(table: "tool_invocations").ifNotExists()
                .column("id", type: .bigint, .primaryKey)
                .column("call_id", type: .text, .notNull)
                .column("agent_id", type: .text, .notNull)
                .column("tool", type: .text, .notNull)
                .column("arguments", type: .text, .notNull)
                .column("turn_index", type: .int)
                .column("idempotency_key", type: .text, .unique)
                .column("result", type: .text, .notNull)
                .column("is_error", type: .custom(SQLRaw("BOOLEAN")), .notNull)
                .column("source", type: .text, .notNull)
                .column("duration_ms", type: .bigint, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .run()
            try await db.create(index: "tool_invocations_call").on("tool_invocations").column("call_id").run()
        },
        Migration("005_callback_requests") { db, _ in
            try await db.create(table: "callback_requests").ifNotExists()
                .column("id", type: .bigint, .primaryKey)
                .column("call_id", type: .text)
                .column("agent_id", type: .text, .notNull)
                .column("phone", type: .text)
                .column("reason", type: .text, .notNull)
                .column("status", type: .text, .notNull)
                .column("created_at", type: .bigint, .notNull)
                .run()
        },
        Migration("006_jobs") { db, _ in
            try await db.create(table: "jobs").ifNotExists()
                .column("id", type: .bigint, .primaryKey)
                .column("kind", type: .text, .notNull)
                .column("payload", type: .text, .notNull)
                .column("status", type: .text, .notNull)
                .column("attempts", type: .int, .notNull)
                .column("run_at", type: .bigint, .notNull)
                .column("locked_until", type: .bigint)
                .column("last_error", type: .text)
                .column("created_at", type: .bigint, .notNull)
                .column("updated_at", type: .bigint, .notNull)
                .run()
            try await db.create(index: "jobs_due").on("jobs").column("status").column("run_at").run()
        },
        Migration("007_call_state") { db, _ in
            try await db.create(table: "call_state").ifNotExists()
                .column("call_id", type: .text, .notNull)
                .column("namespace", type: .text, .notNull)
                .column("key", type: .text, .notNull)
                .column("value", type: .text, .notNull)
                .column("updated_at", type: .bigint, .notNull)
                .primaryKey("call_id", "namespace", "key")
                .run()
        },
        Migration("008_retell_agents", apply: RetellAgentStore.createTable),
    ]
}
