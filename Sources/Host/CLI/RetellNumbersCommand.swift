import ArgumentParser
import Foundation
import PluginAPI

/// `switchboard retell numbers [list|buy|import]`.
struct RetellNumbersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "numbers", abstract: "List, buy or import phone numbers on Retell.",
        subcommands: [List.self, Buy.self, Import.self], defaultSubcommand: List.self)

    /// `numbers list`: every number with the agents bound to it.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the numbers on the Retell account.")

        @OptionGroup var options: ConfigOption

        func run() async throws {
            try await RetellSession.run(options, command: "numbers") { runtime, client in
                let numbers = try await client.allPhoneNumbers()
                print(RetellNumbersCommand.table(numbers, catalog: runtime.catalog))
            }
        }
    }

    /// `numbers buy --area-code N`.
    struct Buy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "buy", abstract: "Buy a number from Retell (US/CA).")

        @OptionGroup var options: ConfigOption
        @Option(name: .long, help: "Three-digit area code, e.g. 415.") var areaCode: Int
        @Option(name: .long, help: "US or CA.") var country: String = "US"
        @Option(name: .long, help: "A nickname shown in Retell's dashboard.") var nickname: String?

        func validate() throws {
            guard (200...999).contains(areaCode) else { throw ValidationError("--area-code must have three digits, e.g. 415") }
        }

        func run() async throws {
            try await RetellSession.run(options, command: "numbers buy") { _, client in
                let number = try await client.buyPhoneNumber(RetellBuyNumberRequest(areaCode: areaCode, countryCode: country, nickname: nickname))
                print(number.phoneNumber)
                printError("bought \(number.phoneNumber): add it to an agent's phone_numbers in agents.yaml and run `switchboard retell apply`")
            }
        }
    }

    /// `numbers import --number N --termination-uri URI`: a number on your own SIP trunk (e.g. Twilio Elastic SIP).
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "Import a number from your SIP trunk (e.g. a Twilio number through its Elastic SIP trunk).")

        @OptionGroup var options: ConfigOption
        @Option(name: .long, help: "The number, E.164 (+14155550100).") var number: String
        @Option(name: .long, help: "The trunk's termination URI, e.g. example.pstn.twilio.com.") var terminationUri: String
        @Option(name: .long, help: "SIP trunk credential user name.") var username: String?
        @Option(name: .long, help: "SIP trunk credential password (or set RETELL_SIP_PASSWORD).") var password: String?
        @Option(name: .long, help: "TLS, TCP or UDP.") var transport: String?

        func validate() throws {
            guard ConfigParser.isE164(number) else { throw ValidationError("--number must be E.164, e.g. +14155550100") }
        }

        func run() async throws {
            let secret = password ?? ProcessInfo.processInfo.environment["RETELL_SIP_PASSWORD"]
            try await RetellSession.run(options, command: "numbers import") { _, client in
                let imported = try await client.importPhoneNumber(RetellImportNumberRequest(
                    phoneNumber: number, terminationURI: terminationUri, sipTrunkAuthUsername: username, sipTrunkAuthPassword: secret,
                    transport: transport))
                print(imported.phoneNumber)
                printError("imported \(imported.phoneNumber): add it to an agent's phone_numbers in agents.yaml and run `switchboard retell apply`")
            }
        }
    }

    /// The numbers with their bound agents, named by our agent ids where known.
    static func table(_ numbers: [RetellPhoneNumber], catalog: AgentCatalog) -> String {
        func names(_ ids: [String]) -> String {
            ids.isEmpty ? "-" : ids.map { id in catalog.agent(retellAgentID: id).map { "\($0.id) (\(id))" } ?? id }.joined(separator: ",")
        }
        let rows = numbers.map { number in
            [
                number.phoneNumber, number.phoneNumberType ?? "?", names(number.effectiveInboundAgentIDs),
                names(number.effectiveOutboundAgentIDs), names((number.outboundSMSAgents ?? []).map(\.agentID)),
            ]
        }
        if rows.isEmpty { return "No phone numbers on the Retell account: `switchboard retell numbers buy --area-code N` or `… numbers import`." }
        return RetellSession.table(["NUMBER", "TYPE", "INBOUND", "OUTBOUND", "SMS"], rows)
    }
}
