/// The facts the figures are computed from, and the plan reports computed from them, for one state of the log (its
/// last sequence number). A new event makes a new state, and the first request for it reads and computes again: a
/// cached report is always the report of the log as it stands when it is served. Reports "as of" a past moment are
/// not kept (they fold the log again and are rare).
struct FiguresCache: Sendable {
    struct ReportKey: Hashable, Sendable {
        var scope: UnitCode
        var from: LocalDate
        var to: LocalDate
        var targets: TargetBook
    }

    /// The most reports kept for one state; the oldest goes first.
    static let reportLimit = 64

    private var sequence: Int64 = -1
    private var facts: (wanted: [WantedFacts], releases: [ReleaseFacts])?
    private var reports: [ReportKey: PlanReport] = [:]
    private var reportOrder: [ReportKey] = []

    /// The facts read at `sequence`, if they are the ones kept.
    func facts(at sequence: Int64) -> (wanted: [WantedFacts], releases: [ReleaseFacts])? {
        sequence == self.sequence ? facts : nil
    }

    func report(_ key: ReportKey, at sequence: Int64) -> PlanReport? {
        sequence == self.sequence ? reports[key] : nil
    }

    mutating func keep(facts: (wanted: [WantedFacts], releases: [ReleaseFacts]), at sequence: Int64) {
        // Facts read before the kept ones (a slower concurrent read) are not kept.
        guard sequence >= self.sequence else { return }
        move(to: sequence)
        self.facts = facts
    }

    mutating func keep(_ report: PlanReport, for key: ReportKey, at sequence: Int64) {
        // A report computed from facts older than the kept ones is not kept.
        guard sequence >= self.sequence else { return }
        move(to: sequence)
        if reports.updateValue(report, forKey: key) == nil { reportOrder.append(key) }
        if reportOrder.count > Self.reportLimit { reports[reportOrder.removeFirst()] = nil }
    }

    /// Forgets everything kept for another state.
    private mutating func move(to sequence: Int64) {
        guard sequence != self.sequence else { return }
        self.sequence = sequence
        facts = nil
        reports = [:]
        reportOrder = []
    }
}
