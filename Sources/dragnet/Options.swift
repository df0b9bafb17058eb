import ArgumentParser
import DragnetCore
import Foundation

/// `--db PATH`, shared by every command that opens a database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "The database file (default: $DRAGNET_DB, else ./dragnet.sqlite).")
    var db: String?

    /// The path to use.
    var path: String {
        db ?? ProcessInfo.processInfo.environment["DRAGNET_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "dragnet.sqlite"
    }

    /// Opens the registry.
    func open() throws -> Registry { try Registry.open(at: path, onUpgrade: { printError($0) }) }
}

/// `--author NAME`, for commands that record events.
struct AuthorOptions: ParsableArguments {
    @Option(name: .long, help: "Who records this (default: $DRAGNET_AUTHOR, else $USER, else \"officer\").")
    var author: String?

    /// A factory for events recorded now by this author at `registry`'s unit.
    func factory(for registry: Registry) -> EventFactory {
        let env = ProcessInfo.processInfo.environment
        let name = author ?? env["DRAGNET_AUTHOR"] ?? env["USER"] ?? "officer"
        return EventFactory(unit: registry.unit, author: name.isEmpty ? "officer" : name, now: clockNow())
    }
}

/// The current time, or `DRAGNET_NOW` when set (tests and demos replaying a past day).
func clockNow() -> Timestamp {
    if let text = ProcessInfo.processInfo.environment["DRAGNET_NOW"], let now = Timestamp(text) { return now }
    return Timestamp.now()
}

extension LocalDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension Language: ExpressibleByArgument {
    public init?(argument: String) { self.init(code: argument) }

    /// `$DRAGNET_LANG` (vi or en), else English.
    static var fromEnvironment: Language {
        ProcessInfo.processInfo.environment["DRAGNET_LANG"].flatMap { Language(code: $0) } ?? .en
    }
}

extension UnitCode: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// Reads the value of a scope option (`metrics`, `cohort`, `targets`, `token add`): `*`, the whole country, or a unit
/// code. The other unit options take a unit code only.
func scopeArgument(_ text: String) throws -> UnitCode {
    guard let scope = UnitCode(scope: text) else {
        throw ValidationError("\"\(text)\" is not a scope: write * for the whole country, or a unit code like 79.26734")
    }
    return scope
}

extension Timestamp: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension BirthDate: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension NationalID: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

extension Sex: ExpressibleByArgument {
    public init?(argument: String) { self.init(input: argument) }
}

extension ClosingKind: ExpressibleByArgument {}
extension EndingKind: ExpressibleByArgument {}
extension ReleaseType: ExpressibleByArgument {}
extension DangerClass: ExpressibleByArgument {}
extension ContactKind: ExpressibleByArgument {}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
