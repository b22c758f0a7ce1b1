import Hummingbird
import PluginAPI
import SQLKit

/// `GET /health` (the process is alive) and `GET /ready` (config loaded, database answering, with
/// each agent's status).
enum HealthRoutes {
    static func register(on router: Router<some RequestContext>, runtime: SwitchboardRuntime) {
        router.get("/health") { _, _ in
            Response.json(["status": "ok"])
        }
        router.get("/ready") { _, _ in
            let agents = JSONValue.array(runtime.catalog.agents.map { agent in
                var entry: [String: JSONValue] = ["id": .string(agent.id), "status": .string(agent.status.label)]
                if case .degraded(let reasons) = agent.status { entry["reasons"] = .array(reasons.map(JSONValue.string)) }
                return .object(entry)
            })
            do {
                _ = try await runtime.database.sql.raw("SELECT 1").all()
            } catch {
                return Response.json(
                    ["status": "unavailable", "database": .string("error: \(error)"), "agents": agents], status: .serviceUnavailable)
            }
            return Response.json(["status": "ready", "database": .string(runtime.database.engine.rawValue), "agents": agents])
        }
    }
}
