import ArgumentParser
import DragnetCore
import DragnetSync
import Foundation

/// The output formats of `dragnet metrics`.
enum MetricsFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// The period and scope options shared by `metrics` and `cohort`.
struct PeriodOptions: ParsableArguments {
    @Option(help: "First day of the period, YYYY-MM-DD (with --to).") var from: String?
    @Option(help: "Last day of the period, YYYY-MM-DD (with --from).") var to: String?
    @Option(help: "A calendar year, e.g. 2020.") var year: String?
    @Option(help: "A quarter, e.g. 2020Q3.") var quarter: String?
    @Option(help: "A month, e.g. 2020-07.") var month: String?
    @Option(
        help: "The scope: a unit and every unit below it, or * for the whole country (default: this station's unit).",
        transform: scopeArgument)
    var unit: UnitCode?
    @Option(
        name: .customLong("as-of"),
        help: "Count only events recorded by this UTC time (2021-01-15T08:00:00Z, or a date = end of that day).")
    var asOf: Timestamp?

    func period() throws -> Period {
        do {
            return try Period.resolve(from: from, to: to, year: year, quarter: quarter, month: month)
        } catch let error as DragnetError {
            throw ValidationError(error.message)
        }
    }

    /// The query string of the central endpoint's metrics routes, each value percent-encoded (`unit=%2A` for `*`).
    func query(_ period: Period) -> String {
        var items = [("from", period.from.description), ("to", period.to.description)]
        if let unit { items.append(("unit", unit.rawValue)) }
        if let asOf { items.append(("as_of", asOf.description)) }
        return items.map { name, value in
            name + "=" + (value.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? value)
        }.joined(separator: "&")
    }

    /// The characters a URL never needs to encode (RFC 3986 "unreserved").
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: """
            The plan's figures: capture rates of existing and new wanted persons, the reoffending rate, and the \
            supervision of released persons.
            """,
        discussion: """
            See docs/figures.md for who is counted. The supervision figures are of the period's last day, or of \
            the day observed (--as-of's date, else today) while the period runs. With --server the figures come \
            from the central endpoint (token from --token-file or $DRAGNET_TOKEN); without it, from the local \
            database. `dragnet cohort` gives the analysts' cohort view.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var period: PeriodOptions
    @OptionGroup var server: ServerOptions
    @Option(help: "table, json or csv.") var format: MetricsFormat = .table
    @Option(
        help: """
            vi or en: the language of the table (Vietnamese: decimal comma, dates dd/mm/yyyy). Default: \
            $DRAGNET_LANG, else en. JSON and CSV do not change.
            """)
    var lang: Language = .fromEnvironment

    func run() throws {
        let range = try period.period()
        let observed = period.asOf?.date ?? clockNow().date
        let report: PlanReport
        if let url = server.server {
            let body = try server.client(url).get("/v1/metrics?" + period.query(range))
            do {
                report = try JSONDecoder().decode(PlanReport.self, from: Data(body))
            } catch {
                throw DragnetError(.failure, "the central server's figures could not be read: \(error)")
            }
        } else {
            let registry = try database.open()
            report = try registry.figures.planReport(
                scope: period.unit ?? registry.unit, period: range, asOf: period.asOf, observedOn: observed)
        }
        switch format {
        case .json: print(try report.jsonString(layout: .pretty))
        case .csv: print(report.csv(), terminator: "")
        case .table: print(report.table(observedOn: observed, language: lang))
        }
    }
}

struct CohortCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohort",
        abstract: "The analysts' view: reoffending within 1/3/5 years of release, and a Kaplan–Meier curve.")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var period: PeriodOptions
    @Option(help: "Follow-up horizons in years (repeatable; default 1, 3, 5).") var horizon: [Int] = []
    @Option(help: "Only this release type.") var type: ReleaseType?
    @Option(help: "table, json or csv (the curve).") var format: MetricsFormat = .table

    func validate() throws {
        if let bad = horizon.first(where: { !(1...50).contains($0) }) {
            throw ValidationError("--horizon \(bad) is not a number of years from 1 to 50")
        }
    }

    func run() throws {
        let registry = try database.open()
        let report = try registry.figures.cohortReport(
            scope: period.unit ?? registry.unit, period: try period.period(), asOf: period.asOf,
            observedOn: period.asOf?.date ?? clockNow().date, horizonsInYears: horizon.isEmpty ? [1, 3, 5] : horizon,
            releaseType: type)
        switch format {
        case .json: print(try report.jsonString(layout: .pretty))
        case .csv: print(report.curveCSV(), terminator: "")
        case .table: print(report.table())
        }
    }
}

struct TargetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "targets",
        abstract: "Show or change the plan's targets for a scope (default: 30 % / 50 % / 15 %).")
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The scope the targets apply to: a unit code, or * for the whole country.", transform: scopeArgument)
    var unit: UnitCode?
    @Option(name: .customLong("existing-capture"), help: "e.g. 0.35") var existing: Double?
    @Option(name: .customLong("new-capture"), help: "e.g. 0.5") var new: Double?
    @Option(help: "e.g. 0.12") var reoffending: Double?
    @Flag(help: "Remove the targets set for the scope.") var reset = false

    func run() throws {
        let registry = try database.open()
        let scope = unit ?? registry.unit
        if reset {
            try registry.figures.setTargets(nil, for: scope)
        } else if existing != nil || new != nil || reoffending != nil {
            let current = try registry.figures.targetBook().targets(for: scope)
            try registry.figures.setTargets(
                try Targets(
                    existingCapture: existing ?? current.existingCapture, newCapture: new ?? current.newCapture,
                    reoffending: reoffending ?? current.reoffending), for: scope)
        }
        print("\(scope.scopeName): \(try registry.figures.targetBook().targets(for: scope))")
    }
}
