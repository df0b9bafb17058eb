import ArgumentParser
import DragnetCore
import Foundation

/// Which list a CSV file holds.
enum ListKind: String, ExpressibleByArgument, CaseIterable {
    case wanted
    case releases
    /// Supervision events of registered release cases (import only).
    case supervision
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import wanted.csv, releases.csv or supervision.csv. All or nothing unless --rejects is given.",
        discussion: """
            UTF-8 CSV with a header row; the columns may come in any order, and docs/formats.md describes each one. \
            wanted.csv (one row per wanted decision): \(ImportColumns.wanted.joined(separator: ", ")). \
            releases.csv (one row per release case): \(ImportColumns.releases.joined(separator: ", ")).
            supervision.csv (one row per supervision event of a registered release case: reported_in, \
            officer_assigned, contact, whereabouts_unknown, located): \
            \(ImportColumns.supervision.joined(separator: ", ")).

            Every bad row is listed as `row N, column C: "value" reason` (the header is row 1) and the exit status \
            is 65. With --rejects the good rows are imported and the status is still 65 when any row was bad. \
            Importing the same file again changes nothing: case_ref + unit identifies a case.

            With --format json, standard output is one JSON object instead of the sentence: list, file, rows, \
            events, persons, cases_created, unchanged_rows, problems, bad_rows, committed, rejects, seconds and \
            peak_memory_bytes (docs/formats.md). It is printed whether or not the rows were stored; the bad rows \
            still go to standard error, and the exit status is the same.
            """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var author: AuthorOptions
    @Argument(help: "wanted, releases or supervision.") var list: ListKind
    @Argument(help: "The CSV file.") var file: String
    @Option(help: "Import the good rows and write the bad ones, with their reasons, to this CSV file.")
    var rejects: String?
    @Option(help: "text, or json: one JSON object with the counts and the seconds taken (docs/formats.md).")
    var format: SummaryFormat = .text

    func run() throws {
        let stopwatch = Stopwatch()
        let registry = try database.open()
        let importer = Importer(registry: registry, factory: author.factory(for: registry))
        let meter = ProgressMeter(label: "import \(list.rawValue)", unit: "rows")
        // The rows left are estimated from the bytes left: rows / share of the file read.
        importer.progress = { rows, share in
            meter.update(rows, total: share.flatMap { $0 > 0 ? Int(Double(rows) / $0) : nil })
        }
        let mode: ImportMode = rejects.map { .keepGoing(rejectFile: $0) } ?? .allOrNothing
        let summary =
            switch list {
            case .wanted: try importer.importWanted(path: file, mode: mode)
            case .releases: try importer.importReleases(path: file, mode: mode)
            case .supervision: try importer.importSupervision(path: file, mode: mode)
            }
        meter.finish()
        for problem in summary.problems { printError(problem.description) }
        if format == .json {
            try printJSON(
                ImportOutput(
                    list: list, file: file, summary: summary, rejects: rejects, seconds: stopwatch.seconds,
                    peakMemoryBytes: peakMemoryBytes()))
        }
        if !summary.committed {
            throw DragnetError(
                .badInput,
                "\(file): \(summary.problems.count) bad row(s) of \(summary.rows); nothing was imported "
                    + "(fix them, or use --rejects FILE to import the good rows)")
        }
        if format == .text {
            print(
                "\(file): \(summary.rows) rows, \(summary.casesCreated) new cases, \(summary.persons) new persons, "
                    + "\(summary.events) events recorded, \(summary.unchangedRows) rows already known")
        }
        if let rejects, !summary.problems.isEmpty {
            if format == .text { print("\(summary.problems.count) bad row(s) written to \(rejects)") }
            throw ExitCode(65)
        }
    }
}

/// Which list `export` writes (supervision events are not exported: they stay in the log and travel by sync).
enum ExportList: String, ExpressibleByArgument, CaseIterable {
    case wanted
    case releases
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a list in the format import reads (docs/formats.md).")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "wanted or releases.") var list: ExportList
    @Option(help: "Only cases of this unit and the units below it.") var unit: UnitCode?
    @Option(help: "Write to this file instead of standard output.") var output: String?

    func run() throws {
        let registry = try database.open()
        var writer = try output.map { try CSVWriter(path: $0) } ?? CSVWriter(output: FileHandle.standardOutput)
        switch list {
        case .wanted: try Exporter.exportWanted(registry, scope: unit, to: &writer)
        case .releases: try Exporter.exportReleases(registry, scope: unit, to: &writer)
        }
        try writer.finish()
    }
}

/// Progress on standard error (rows done, rate, elapsed, and the time left when the total is known), only when
/// standard error is a terminal.
final class ProgressMeter: @unchecked Sendable {
    // Only ever used from the thread that runs the command.
    private let label: String
    private let unit: String
    private let start = Date()
    /// Whether standard error is a terminal (nothing is shown otherwise).
    let enabled = isatty(2) == 1
    private var last = 0

    init(label: String, unit: String) {
        self.label = label
        self.unit = unit
    }

    func update(_ done: Int, total: Int? = nil) {
        guard enabled else { return }
        last = done
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var line = "\r\(label): \(done) \(unit), \(Int(rate))/s, \(Int(elapsed))s"
        if let total, rate > 0, total > done { line += ", about \(Int(Double(total - done) / rate))s left" }
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled, last > 0 else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
