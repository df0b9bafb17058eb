import ArgumentParser
import DragnetCore
import DragnetServer
import Foundation
import Hummingbird
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the central endpoint: stations push and pull events, headquarters reads the figures.",
        discussion: """
            Creates the database when missing. Stops cleanly on SIGTERM or SIGINT. Listens on 127.0.0.1 by default; \
            put a TLS-terminating proxy in front of it for other hosts. See docs/protocol.md.
            """)
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port (0 picks a free one).") var port = 8080
    @Option(help: "The central unit's code, when the database is created.") var unit = UnitCode("central")!
    @Option(
        name: .customLong("max-push-events"),
        help: "The most events one push may carry (announced in GET /v1/health; stations send no more).")
    var maxPushEvents = SyncWire.PushLimits.standard.maxEvents

    func validate() throws {
        let ceiling = SyncWire.PushLimits.eventsCeiling
        guard (1...ceiling).contains(maxPushEvents) else {
            throw ValidationError("--max-push-events must be a number from 1 to \(ceiling), not \(maxPushEvents)")
        }
    }

    /// The standard limits with this server's count of events.
    var pushLimits: SyncWire.PushLimits {
        var limits = SyncWire.PushLimits.standard
        limits.maxEvents = maxPushEvents
        return limits
    }

    func run() async throws {
        var logger = Logger(label: "dragnet.server")
        logger.logLevel =
            ProcessInfo.processInfo.environment["DRAGNET_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
        let registry = try Registry.openOrCreateCentral(at: database.path, unit: unit, now: clockNow(), logger: logger)
        let app = buildApplication(
            configuration: ServerConfiguration(host: host, port: port, push: pushLimits), registry: registry,
            logger: logger,
            onRunning: { port in
                let line = "dragnet central endpoint listening on http://\(host):\(port) (database \(registry.path))\n"
                FileHandle.standardOutput.write(Data(line.utf8))
            })
        try await app.runService()
        FileHandle.standardOutput.write(Data("dragnet central endpoint stopped\n".utf8))
    }
}

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage the central endpoint's access tokens.",
        subcommands: [Add.self, List.self, Revoke.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Create a token; prints it alone on standard output. It is shown once and stored only as a hash.")
        @OptionGroup var database: DatabaseOptions
        @Option(
            help: "The unit the token acts for: a station's unit code, or headquarters' scope (* = the whole country).",
            transform: scopeArgument)
        var unit: UnitCode
        @Option(help: "station (push and pull) or hq (read-only).") var role: String
        @Option(help: "A note to recognise the token by.") var label = ""

        /// The role asked for, with the unit: checked before the database is opened or created.
        private func checkedRole() throws -> AccessToken.Role {
            guard let role = AccessToken.Role(rawValue: role) else {
                throw ValidationError("--role must be station or hq, not \"\(role)\"")
            }
            do {
                try AccessToken.check(unit: unit, role: role)
            } catch let error as DragnetError {
                throw ValidationError(error.message)
            }
            return role
        }

        func validate() throws { _ = try checkedRole() }

        func run() throws {
            let role = try checkedRole()
            let registry = try Registry.openOrCreateCentral(
                at: database.path, unit: UnitCode("central")!, now: clockNow(), logger: Logger(label: "dragnet"))
            let issued = try TokenIssuer.issue(in: registry, unit: unit, role: role, label: label, now: clockNow())
            print(issued.token)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List tokens (never the tokens themselves).")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            var rows = [["number", "role", "unit", "state", "created", "label"]]
            for token in try database.open().central.tokens() {
                rows.append([
                    String(token.id), token.role.rawValue, token.unit.rawValue,
                    token.revokedAt.map { "revoked \($0)" } ?? "live", token.createdAt.description, token.label,
                ])
            }
            print(Render.columns(rows))
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke", abstract: "Revoke a token by its number (see token list).")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The token's number.") var id: Int64

        func run() throws {
            guard try database.open().central.revokeToken(id: id, now: clockNow()) else {
                throw DragnetError(.notFound, "no live token number \(id)")
            }
            print("revoked token \(id)")
        }
    }
}
