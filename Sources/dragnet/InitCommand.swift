import ArgumentParser
import DragnetCore
import DragnetSync

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a station database for a unit.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The station's unit code, for example 79.26734.")
    var unit: UnitCode

    func run() throws {
        let registry = try Registry.create(at: database.path, unit: unit, now: clockNow())
        print("created \(registry.path) for unit \(registry.unit)")
    }
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the versions of dragnet and the libraries it runs on.")

    func run() {
        print("dragnet \(DragnetVersion.string)")
        print("libcurl \(CurlLibrary.version)")
        print("sqlite \(Registry.sqliteVersion)")
    }
}

struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild", abstract: "Derive every case and person again from the event log.")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let count = try database.open().rebuildProjections()
        print("rebuilt \(count) records from the event log")
    }
}
