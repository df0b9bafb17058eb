/// The facts the figures are computed from, and the plan reports computed from them, for one state of the derived
/// tables (the log's last sequence number and the number of rebuilds). A new event or a rebuild makes a new state, and
/// the first request for it reads and computes again: a cached report is always the report of the log as it stands
/// when it is served. Reports "as of" a past moment are not kept (they fold the log again and are rare).
struct FiguresCache: Sendable {
    /// A state of the derived tables; a later state compares greater.
    struct State: Comparable, Sendable {
        var sequence: Int64
        var generation: Int64
        static func < (a: State, b: State) -> Bool {
            (a.generation, a.sequence) < (b.generation, b.sequence)
        }
    }

    struct ReportKey: Hashable, Sendable {
        var scope: UnitCode
        var from: LocalDate
        var to: LocalDate
        var targets: TargetBook
        /// The supervision figures' day and contact intervals (a new day or new intervals make a new report).
        var supervision: PlanMetrics.SupervisionQuery
    }

    /// What the dashboard shows for one scope and period (`Figures.dashboardFigures`).
    struct DashboardKey: Hashable, Sendable {
        var scope: UnitCode
        var from: LocalDate
        var to: LocalDate
        var observedOn: LocalDate
        var targets: TargetBook
        var intervals: IntervalBook
    }

    /// The most reports (and, apart, dashboards) kept for one state; the oldest goes first.
    static let reportLimit = 64

    private var state = State(sequence: -1, generation: -1)
    private var facts: (wanted: [WantedFacts], releases: [ReleaseFacts])?
    private var reports = KeptValues<ReportKey, PlanReport>(limit: reportLimit)
    private var dashboards = KeptValues<DashboardKey, DashboardFigures>(limit: reportLimit)

    /// The facts read at `state`, if they are the ones kept.
    func facts(at state: State) -> (wanted: [WantedFacts], releases: [ReleaseFacts])? {
        state == self.state ? facts : nil
    }

    func report(_ key: ReportKey, at state: State) -> PlanReport? {
        state == self.state ? reports[key] : nil
    }

    func dashboard(_ key: DashboardKey, at state: State) -> DashboardFigures? {
        state == self.state ? dashboards[key] : nil
    }

    mutating func keep(_ figures: DashboardFigures, for key: DashboardKey, at state: State) {
        guard state >= self.state else { return }
        move(to: state)
        dashboards.keep(figures, for: key)
    }

    mutating func keep(facts: (wanted: [WantedFacts], releases: [ReleaseFacts]), at state: State) {
        // Facts read before the kept ones (a slower concurrent read) are not kept.
        guard state >= self.state else { return }
        move(to: state)
        self.facts = facts
    }

    mutating func keep(_ report: PlanReport, for key: ReportKey, at state: State) {
        // A report computed from facts older than the kept ones is not kept.
        guard state >= self.state else { return }
        move(to: state)
        reports.keep(report, for: key)
    }

    /// Forgets everything kept for another state.
    private mutating func move(to state: State) {
        guard state != self.state else { return }
        self.state = state
        facts = nil
        reports = KeptValues(limit: Self.reportLimit)
        dashboards = KeptValues(limit: Self.reportLimit)
    }
}
