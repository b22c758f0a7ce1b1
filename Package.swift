// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Switchboard",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "switchboard", targets: ["switchboard"]),
        .library(name: "PluginAPI", targets: ["PluginAPI"]),
        .library(name: "Host", targets: ["Host"]),
        .library(name: "SwitchboardTesting", targets: ["SwitchboardTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
    ],
    targets: [
        // The protocols and value types plugins see. No server, HTTP library or database driver.
        .target(
            name: "PluginAPI",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
        // Config, plugin registry, storage, Retell protocols, the conversation engine, CLI commands.
        .target(
            name: "Host",
            dependencies: [
                "PluginAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What plugin authors (and our own tests) need: scripted LLM, catalog from YAML, fakes.
        .target(
            name: "SwitchboardTesting",
            dependencies: [
                "PluginAPI", "Host",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The only code that names concrete plugins.
        .executableTarget(
            name: "switchboard",
            dependencies: ["Host", "Restaurant", "Appointments", "LLMGemini", "LLMOpenAI"]
        ),
        // Restaurant skill: menu, orders, reservations, opening hours.
        .target(
            name: "Restaurant",
            dependencies: [
                "PluginAPI",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Plugins/Restaurant"
        ),
        .testTarget(
            name: "RestaurantTests",
            dependencies: ["Restaurant", "PluginAPI", "Host", "SwitchboardTesting", .product(name: "SQLKit", package: "sql-kit")]
        ),
        // Appointments skill: German date/time understanding, built-in calendar, Cal.com sync.
        .target(
            name: "Appointments",
            dependencies: [
                "PluginAPI",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Plugins/Appointments"
        ),
        .testTarget(
            name: "AppointmentsTests",
            dependencies: ["Appointments", "PluginAPI", "Host", "SwitchboardTesting", .product(name: "SQLKit", package: "sql-kit")]
        ),
        // Shared by the LLM plugins: SSE parser, retries with backoff, streaming requests with timeouts.
        .target(
            name: "LLMSupport",
            dependencies: [
                "PluginAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Plugins/LLMSupport"
        ),
        // Google Gemini (Generative Language API, streaming, function calling).
        .target(
            name: "LLMGemini",
            dependencies: [
                "PluginAPI", "LLMSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Plugins/LLMGemini"
        ),
        // OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, llama.cpp, Groq).
        .target(
            name: "LLMOpenAI",
            dependencies: [
                "PluginAPI", "LLMSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Plugins/LLMOpenAI"
        ),
        // Measures the per-chunk cost of the LLM plugins against the fake servers.
        .executableTarget(
            name: "llm-bench",
            dependencies: ["LLMGemini", "LLMOpenAI", "LLMSupport", "PluginAPI", "SwitchboardTesting"],
            path: "Sources/LLMBench"
        ),
        .testTarget(
            name: "LLMSupportTests",
            dependencies: [
                "LLMSupport", "PluginAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "LLMGeminiTests",
            dependencies: ["LLMGemini", "LLMSupport", "PluginAPI", "SwitchboardTesting"]
        ),
        .testTarget(
            name: "LLMOpenAITests",
            dependencies: [
                "LLMOpenAI", "LLMSupport", "PluginAPI", "SwitchboardTesting", "Host",
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Load generator for the custom-LLM socket: server CPU per turn, burst latency, memory per call.
        .executableTarget(
            name: "engine-bench",
            dependencies: ["Host", "PluginAPI", "SwitchboardTesting"],
            path: "Sources/EngineBench"
        ),
        .testTarget(
            name: "PluginAPITests",
            dependencies: ["PluginAPI"]
        ),
        .testTarget(
            name: "HostTests",
            dependencies: [
                "Host", "PluginAPI", "SwitchboardTesting", "LLMGemini",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
    ]
)
