/// Everything the headquarters dashboard shows for one scope and period, computed from one read of the facts.
public struct DashboardFigures: Sendable {
    /// The plan report of the period: the same report `/v1/metrics` serves for the same query.
    public var report: PlanReport
    /// The same report for the same days one year earlier (29 February becomes 28 February).
    public var lastYear: PlanReport
    /// The cumulative figures month by month within the period.
    public var progress: [ProgressPoint]
    /// The same, one year earlier.
    public var lastYearProgress: [ProgressPoint]
    /// The cohort of releases within the period, every type together, observed until `observedOn`.
    public var cohort: CohortReport
    /// The same cohort, one release type at a time, in `ReleaseType.allCases` order.
    public var cohortByType: [CohortReport]
    /// The state of the log these figures are of (`generation.sequence`), for a page rendered from them to be kept
    /// as long as they are; nil for figures "as of" a past moment, which are not kept.
    public var state: String?
    /// The targets the figures were held to (a change of targets makes new figures, and a new page).
    public var targets: TargetBook
    /// The contact intervals the supervision figures were judged with (a change makes new figures, and a new page).
    public var intervals: IntervalBook
}
