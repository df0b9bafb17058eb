import ArgumentParser
import DragnetCore
import Foundation
import Logging

/// The `dragnet` command: parse, call a library, print.
struct Dragnet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dragnet",
        abstract: "A registry of wanted and released persons for police stations, with the plan's figures.",
        discussion: """
            The database is --db PATH, else $DRAGNET_DB, else ./dragnet.sqlite.

            A case is named by its id or by UNIT/CASE_REF, for example 79.26734/TN-00012.

            Exit status: 0 success, 64 usage error, 65 bad input data, 69 server unreachable, 1 anything else.
            """,
        version: DragnetVersion.string,
        subcommands: [
            InitCommand.self, PersonCommand.self, WantedCommand.self, ReleaseCommand.self, RetractCommand.self,
            ImportCommand.self, ExportCommand.self, MetricsCommand.self, CohortCommand.self, TargetsCommand.self,
            ConflictsCommand.self,
            DuplicatesCommand.self, RebuildCommand.self, ServeCommand.self, TokenCommand.self, SyncCommand.self,
            GenerateCommand.self,
            VersionCommand.self,
        ]
    )
}

@main
enum Main {
    static func main() async {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel =
                ProcessInfo.processInfo.environment["DRAGNET_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
                ?? .warning
            return handler
        }
        do {
            var command = try Dragnet.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as DragnetError {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            exit(error.exitStatus)
        } catch {
            Dragnet.exit(withError: error)
        }
    }
}
