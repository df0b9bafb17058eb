import Foundation

extension Figures {
    /// The plan's figures (SPEC §5) for `scope` over `period`, as known now or at `asOf`, with the supervision
    /// figures (SPEC §10) on the period's last day, or on `observedOn` when the period is not over by then
    /// (`Period.supervisionDay(observedOn:)`), judged with this database's contact intervals. `observedOn` is the day
    /// the facts are observed: the caller passes `asOf`'s date or today (the figures never read a clock); when it is
    /// nil, `asOf`'s date, else the period's last day.
    /// Reports "as known now" are kept for the log's sequence number (`FiguresCache`).
    public func planReport(scope: UnitCode, period: Period, asOf: Timestamp?, observedOn: LocalDate? = nil) throws
        -> PlanReport
    {
        let targets = try targetBook()
        let supervision = PlanMetrics.SupervisionQuery(
            on: period.supervisionDay(observedOn: observedOn ?? asOf?.date ?? period.to), intervals: try intervalBook())
        guard asOf == nil else {
            let facts = try facts(asOf: asOf)
            return PlanMetrics.compute(
                wanted: facts.wanted, releases: facts.releases, scope: scope, from: period.from, to: period.to,
                asOf: asOf, targets: targets, supervision: supervision)
        }
        let key = FiguresCache.ReportKey(
            scope: scope, from: period.from, to: period.to, targets: targets, supervision: supervision)
        let state = try derivedState()
        if let report = registry.figuresCache.withLock({ $0.report(key, at: state) }) { return report }
        let current = try currentFacts()
        return keptReport(key, facts: current.facts, at: current.state)
    }

    /// The plan report for `key` from the facts read at `state`: the one kept for that state, else computed and kept.
    func keptReport(
        _ key: FiguresCache.ReportKey, facts: (wanted: [WantedFacts], releases: [ReleaseFacts]),
        at state: FiguresCache.State
    ) -> PlanReport {
        if let report = registry.figuresCache.withLock({ $0.report(key, at: state) }) { return report }
        let report = PlanMetrics.compute(
            wanted: facts.wanted, releases: facts.releases, scope: key.scope, from: key.from, to: key.to,
            asOf: nil, targets: key.targets, supervision: key.supervision)
        registry.figuresCache.withLock { $0.keep(report, for: key, at: state) }
        return report
    }

    /// The analysts' cohort view for releases in `period`, followed up to `observedOn` (`asOf`'s date, else today:
    /// the caller says which, as the figures never read a clock).
    public func cohortReport(
        scope: UnitCode, period: Period, asOf: Timestamp?, observedOn: LocalDate, horizonsInYears: [Int],
        releaseType: ReleaseType?
    ) throws -> CohortReport {
        CohortMetrics.compute(
            releases: try facts(asOf: asOf).releases, scope: scope, from: period.from, to: period.to,
            observedOn: observedOn, horizonsInYears: horizonsInYears, releaseType: releaseType, asOf: asOf)
    }
}
