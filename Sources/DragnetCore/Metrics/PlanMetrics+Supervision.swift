import Foundation

extension PlanMetrics {
    /// What the supervision figures of a report need besides the facts: the day they are counted on and the contact
    /// intervals in force (those set in the database the report is computed on).
    public struct SupervisionQuery: Sendable, Hashable {
        /// The day counted on (`Period.supervisionDay(observedOn:)`).
        public var on: LocalDate
        /// The contact intervals of each unit.
        public var intervals: IntervalBook

        /// The query for `day` with `intervals`.
        public init(on day: LocalDate, intervals: IntervalBook = IntervalBook()) {
            self.on = day
            self.intervals = intervals
        }
    }
}

/// The release cases under supervision on the query's day, by row of the report (the unit directly below the scope
/// that the unit responsible that day rolls up to), and the figures of each row and of the scope. The counting is
/// `SupervisionFigures`'s; this only hands each row its cases and the open wanted cases of their persons.
struct SupervisedCases {
    let query: PlanMetrics.SupervisionQuery
    /// The wanted cases open on the day, by person.
    private let openWanted: [UUID: [WantedFacts]]
    /// The cases of each row, by row index of the `RowTable`.
    private var byRow: [Int: [ReleaseFacts]] = [:]

    init(_ query: PlanMetrics.SupervisionQuery, wanted: [WantedFacts]) {
        self.query = query
        var open: [UUID: [WantedFacts]] = [:]
        for w in wanted where w.isOpen(on: query.on) {
            if let person = w.personID { open[person, default: []].append(w) }
        }
        openWanted = open
    }

    /// Hands each case open on the day to the row of its responsible unit that day (making the row when needed);
    /// cases outside the scope are left out.
    mutating func add(_ releases: [ReleaseFacts], rows: inout RowTable) {
        for facts in releases where facts.isOpen(on: query.on) {
            let row = rows.index(of: facts.responsibleUnit(on: query.on))
            guard row >= 0 else { continue }
            byRow[row, default: []].append(facts)
        }
    }

    /// The figures of row `row`, whose unit is `unit`.
    func report(row: Int, unit: UnitCode) -> PlanReport.SupervisionReport {
        report(byRow[row] ?? [], scope: unit)
    }

    /// The figures of the whole scope: every row's cases.
    func report(scope: UnitCode) -> PlanReport.SupervisionReport {
        report(byRow.keys.sorted().flatMap { byRow[$0] ?? [] }, scope: scope)
    }

    private func report(_ cases: [ReleaseFacts], scope: UnitCode) -> PlanReport.SupervisionReport {
        let persons = Set(cases.compactMap(\.personID))
        let wanted = persons.flatMap { openWanted[$0] ?? [] }
        let figures = SupervisionFigures(
            releases: cases, wanted: wanted, scope: scope, on: query.on, intervals: query.intervals)
        return PlanReport.SupervisionReport(figures, on: query.on)
    }
}
