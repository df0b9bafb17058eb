import Foundation

extension Figures {
    /// The dashboard's figures for `scope` over `period`, as known now or at `asOf`, the cohort observed until
    /// `observedOn`. The two plan reports come from `planReport` (shared with the metrics route and its cache);
    /// the rest is computed from the same facts. Kept, like the reports, for the state of the log.
    public func dashboardFigures(scope: UnitCode, period: Period, asOf: Timestamp?, observedOn: LocalDate) throws
        -> DashboardFigures
    {
        let targets = try targetBook()
        let intervals = try intervalBook()
        let key = FiguresCache.DashboardKey(
            scope: scope, from: period.from, to: period.to, observedOn: observedOn, targets: targets,
            intervals: intervals)
        guard asOf == nil else {
            return try computeDashboard(
                scope: scope, period: period, asOf: asOf, observedOn: observedOn, targets: targets,
                intervals: intervals)
        }
        while true {
            let current = try currentFacts()
            let value = try registry.figuresCache.value(.dashboard(key), at: current.state) {
                .dashboard(
                    try computeDashboard(
                        scope: scope, period: period, asOf: nil, observedOn: observedOn, targets: targets,
                        intervals: intervals, current: current))
            }
            if case .dashboard(let figures)? = value { return figures }
        }
    }

    /// The dashboard's figures from the facts as of `asOf`, or from `current` (the facts as known now, at a state).
    private func computeDashboard(
        scope: UnitCode, period: Period, asOf: Timestamp?, observedOn: LocalDate, targets: TargetBook,
        intervals: IntervalBook,
        current: (state: FiguresCache.State, facts: (wanted: [WantedFacts], releases: [ReleaseFacts]))? = nil
    ) throws -> DashboardFigures {
        let earlier = period.yearEarlier
        // The supervision figures on the period's last day (or `observedOn` while it runs), and a year earlier.
        let supervision = PlanMetrics.SupervisionQuery(
            on: period.supervisionDay(observedOn: observedOn), intervals: intervals)
        let lastYearSupervision = PlanMetrics.SupervisionQuery(
            on: earlier.supervisionDay(observedOn: observedOn), intervals: intervals)
        // Every number of the page comes from one read of the facts, so that the page is the state of one moment;
        // the two plan reports are the ones the metrics route serves (and keeps) for that state.
        let read: (state: FiguresCache.State?, facts: (wanted: [WantedFacts], releases: [ReleaseFacts]))
        let report: PlanReport, lastYear: PlanReport
        if let current {
            read = (current.state, current.facts)
            // The very reports the metrics route serves for this state (a later state's cache: computed here).
            func kept(_ key: FiguresCache.ReportKey) throws -> PlanReport {
                try
                    (keptReport(key, facts: { read.facts }, at: current.state)
                    ?? Figures.computeReport(key, facts: read.facts, indexed: false)).report
            }
            report = try kept(
                .init(scope: scope, from: period.from, to: period.to, targets: targets, supervision: supervision))
            lastYear = try kept(
                .init(
                    scope: scope, from: earlier.from, to: earlier.to, targets: targets,
                    supervision: lastYearSupervision))
        } else {
            read = (nil, try facts(asOf: asOf))
            report = PlanMetrics.compute(
                wanted: read.facts.wanted, releases: read.facts.releases, scope: scope, from: period.from,
                to: period.to, asOf: asOf, targets: targets, supervision: supervision)
            lastYear = PlanMetrics.compute(
                wanted: read.facts.wanted, releases: read.facts.releases, scope: scope, from: earlier.from,
                to: earlier.to, asOf: asOf, targets: targets, supervision: lastYearSupervision)
        }
        let (wanted, releases) = read.facts
        func cohort(_ type: ReleaseType?) -> CohortReport {
            CohortMetrics.compute(
                releases: releases, scope: scope, from: period.from, to: period.to, observedOn: observedOn,
                horizonsInYears: [1, 3, 5], releaseType: type, asOf: asOf)
        }
        let figures = DashboardFigures(
            report: report, lastYear: lastYear,
            progress: ProgressMetrics.compute(
                wanted: wanted, releases: releases, scope: scope, from: period.from, to: period.to),
            lastYearProgress: ProgressMetrics.compute(
                wanted: wanted, releases: releases, scope: scope, from: earlier.from, to: earlier.to),
            cohort: cohort(nil), cohortByType: ReleaseType.allCases.map { cohort($0) },
            state: read.state.map { "\($0.generation).\($0.sequence)" }, targets: targets,
            intervals: intervals)
        return figures
    }
}
