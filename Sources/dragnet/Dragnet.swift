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
            DueCommand.self, IntervalsCommand.self, ConflictsCommand.self,
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
        var parsed: (any ParsableCommand.Type)?
        do {
            var command = try Dragnet.parseAsRoot()
            parsed = type(of: command)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as DragnetError {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            exit(error.exitStatus)
        } catch let error as ValidationError {
            // Thrown by a command's run(): ArgumentParser would show the usage of `dragnet` itself.
            guard let parsed, let path = Dragnet.path(to: parsed) else { Dragnet.exit(withError: error) }
            Dragnet.exit(withError: error, usageOf: path)
        } catch {
            Dragnet.exit(withError: error)
        }
    }
}

extension Dragnet {
    /// Exits with status 64 after printing `error` and the usage of the last command of `path` (from `path(to:)`),
    /// the command whose `run()` threw it, the way ArgumentParser prints an error found while parsing that command's
    /// arguments.
    static func exit(withError error: ValidationError, usageOf path: [any ParsableCommand.Type]) -> Never {
        let names = path.map { $0._commandName }.joined(separator: " ")
        let text = """
            Error: \(error.message)
            Usage: \(usageString(for: path.last ?? Dragnet.self))
              See '\(names) --help' for more information.

            """
        FileHandle.standardError.write(Data(text.utf8))
        Foundation.exit(ExitCode.validationFailure.rawValue)
    }

    /// The commands from `dragnet` down to `command` (`[Dragnet, WantedCommand, WantedCommand.Add]`), nil when it is
    /// not one of them.
    static func path(
        to command: any ParsableCommand.Type, from root: any ParsableCommand.Type = Dragnet.self
    ) -> [any ParsableCommand.Type]? {
        if ObjectIdentifier(root) == ObjectIdentifier(command) { return [root] }
        for child in root.configuration.subcommands {
            if let below = path(to: command, from: child) { return [root] + below }
        }
        return nil
    }
}
