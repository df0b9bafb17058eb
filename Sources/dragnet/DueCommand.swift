import ArgumentParser
import DragnetCore
import Foundation

struct DueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract: "The officer's worklist: released persons to see, oldest first.",
        discussion: """
            For each open release case a unit (and the units below it) is responsible for on the day: \
            arrival_overdue (not reported in more than 5 days after the release or the transfer to this unit), \
            contact_overdue (the last contact or reporting in is older than the contact interval: see `dragnet \
            intervals`), whereabouts_unknown (recorded and not followed by located), probation_ending (an early \
            release whose probation ends within 30 days). `since` is the first day the item was due; `days` counts \
            the days since then, 0 on that day.
            """)
    @OptionGroup var database: DatabaseOptions
    @Option(help: "The day, YYYY-MM-DD (default: today).") var on: LocalDate?
    @Option(
        help: "The unit (default: this station's unit); units below it are included.", transform: scopeArgument)
    var unit: UnitCode?
    @Option(help: "table, json or csv.") var format: MetricsFormat = .table
    @Option(
        help: """
            vi or en: the language of the table (Vietnamese: dates dd/mm/yyyy). Default: $DRAGNET_LANG, else en. \
            JSON and CSV do not change.
            """)
    var lang: Language = .fromEnvironment

    func run() throws {
        let registry = try database.open()
        let list = try registry.figures.worklist(unit: unit ?? registry.unit, on: on ?? clockNow().date)
        switch format {
        case .json: print(list.json())
        case .csv: print(list.csv(), terminator: "")
        case .table: print(list.table(lang))
        }
    }
}

struct IntervalsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intervals",
        abstract: "Show or change how often released persons must be checked on (default: 31 / 92 days).",
        discussion: """
            A unit takes the intervals set for the most specific scope that covers it, like the targets. \
            --probation: days between contacts while an early release's probation runs; --other: in every other case.
            """)
    @OptionGroup var database: DatabaseOptions
    @Option(
        help: "The scope the intervals apply to: a unit code, or * for the whole country.", transform: scopeArgument)
    var unit: UnitCode?
    @Option(help: "Days between contacts while on probation (1 to 366).") var probation: Int?
    @Option(help: "Days between contacts otherwise (1 to 366).") var other: Int?
    @Flag(help: "Remove the intervals set for the scope.") var reset = false

    func run() throws {
        let registry = try database.open()
        let scope = unit ?? registry.unit
        if reset {
            guard probation == nil, other == nil else {
                throw ValidationError("--reset cannot be combined with --probation or --other")
            }
            try registry.figures.setIntervals(nil, for: scope)
        } else if probation != nil || other != nil {
            let current = try registry.figures.intervalBook().intervals(for: scope)
            try registry.figures.setIntervals(
                try ContactIntervals(
                    probationDays: probation ?? current.probationDays, otherDays: other ?? current.otherDays),
                for: scope)
        }
        print("\(scope.scopeName): \(try registry.figures.intervalBook().intervals(for: scope))")
    }
}
