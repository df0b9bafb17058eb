import ArgumentParser
import DragnetCore
import DragnetSynthetic
import Foundation

/// `dragnet generate`: writes a synthetic data set with `SyntheticData`, showing progress on a terminal.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract:
            "Write a synthetic wanted.csv, releases.csv and supervision.csv (docs/formats.md) for trials and load tests.",
        discussion: """
            40 % of the rows go to wanted.csv (about 1.3 decisions a case), 60 % to releases.csv. The same seed, \
            rows, provinces and day give byte-identical files. Every row imports with no problem into a station \
            whose unit covers the provinces: for one province, `dragnet init --unit 79`, then import wanted.csv, \
            releases.csv and then supervision.csv (the supervision events of the release cases: reporting in, \
            officers, contacts, whereabouts unknown and located). The formats cannot express transfers, so there are \
            none.
            """)
    @Option(help: "The directory to write the three files into (created when missing).") var out: String
    @Option(help: "Rows of both files together.") var rows = 1_000_000
    @Option(help: "The seed of the random numbers.") var seed: UInt64 = 42
    @Option(help: "A province the cases are registered under, e.g. 79; repeatable (default: 79, 01, 48, 92, 31).")
    var province: [UnitCode] = []
    @Option(help: "The day the data are made, YYYY-MM-DD: no date is later (default: $DRAGNET_NOW's day, else today).")
    var today: LocalDate?

    func validate() throws {
        guard rows >= 0 else { throw ValidationError("--rows must not be negative") }
    }

    func run() throws {
        let data = try SyntheticData(
            seed: seed, rows: rows, provinces: province.isEmpty ? SyntheticData.defaultProvinces : province,
            today: today ?? clockNow().date)
        let meter = ProgressMeter(label: "generate", unit: "rows")
        let start = Date()
        let summary = try data.write(toDirectory: out) { meter.update($0, total: rows) }
        meter.finish()
        let seconds = Date().timeIntervalSince(start)
        for line in summary.lines { print(line) }
        print(
            "\(summary.rows) rows in \(String(format: "%.1f", seconds)) s (seed \(seed), provinces "
                + "\(data.provinces.map(\.rawValue).joined(separator: ", ")), dates up to \(data.today))")
    }
}
