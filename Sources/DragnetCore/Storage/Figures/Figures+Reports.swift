import Foundation
import GRDB

extension Figures {
    /// The plan's figures (SPEC §5) for `scope` over `period`, as known now or at `asOf`, with the supervision
    /// figures (SPEC §10) on the period's last day, or on `observedOn` when the period is not over by then
    /// (`Period.supervisionDay(observedOn:)`), judged with this database's contact intervals. `observedOn` is the day
    /// the facts are observed: the caller passes `asOf`'s date or today (the figures never read a clock); when it is
    /// nil, `asOf`'s date, else the period's last day.
    /// Reports "as known now" are computed from the kept facts once per state of the log (`FiguresCache`).
    public func planReport(scope: UnitCode, period: Period, asOf: Timestamp?, observedOn: LocalDate? = nil) throws
        -> PlanReport
    {
        try planReportKept(scope: scope, period: period, asOf: asOf, observedOn: observedOn).report
    }

    /// `planReport`'s JSON (`PlanReport.jsonData()`): for a report "as known now", the bytes encoded once and kept
    /// with the report.
    public func planReportJSON(scope: UnitCode, period: Period, asOf: Timestamp?, observedOn: LocalDate? = nil) throws
        -> Data
    {
        try planReportKept(scope: scope, period: period, asOf: asOf, observedOn: observedOn).json
    }

    /// The plan report's JSON for a request made with a token: the token (by the hash of its secret), the figures'
    /// settings and the state of the derived tables in one read — the metrics route asks this at every request, and
    /// each read waits its turn for a connection of the pool — unless they are kept for the file's version now
    /// (`KeptRequests`), then the report kept for them. `resolve` is given the live token with that hash (nil when
    /// there is none) and turns the request into what it asks for, or throws (the route's answers to a missing token,
    /// a bad query, a scope outside the token's).
    public func planReportJSON(tokenHash: String, resolve: (AccessToken?) throws -> FiguresQuery) throws -> Data {
        // The version is asked before the read: what is kept for it is then never older than it.
        let version = registry.dataVersion.current()
        func readAndKeep() throws -> (AccessToken?, Settings) {
            let (token, settings) = try registry.read { db in
                (try CentralState.token(hash: tokenHash, db), try Settings(db))
            }
            if let version, let token {
                registry.keptRequests.keep(token, for: tokenHash, settings: settings, at: version)
            }
            return (token, settings)
        }
        let (token, settings) =
            try version.flatMap { registry.keptRequests.lookup(tokenHash, at: $0) }.map { ($0.token, $0.settings) }
            ?? readAndKeep()
        let query = try resolve(token)
        return try planReportKept(
            scope: query.scope, period: query.period, asOf: query.asOf, observedOn: query.observedOn,
            settings: settings
        ).json
    }

    /// `planReportJSON(tokenHash:resolve:)` when it would read nothing from the database, compute nothing and wait
    /// for no other request: the token and settings kept for the file's version now, the facts published for their
    /// state and the report ready for them. Nil otherwise (the caller then asks `planReportJSON`, off its own
    /// thread); errors are `resolve`'s. Made for a thread that must not block: it takes a few short locks and asks
    /// the file's version on the connection opened for it (`DataVersion`), never opening it.
    public func keptPlanReportJSON(tokenHash: String, resolve: (AccessToken?) throws -> FiguresQuery) throws -> Data? {
        guard let version = registry.dataVersion.current(opening: false),
            let (token, settings) = registry.keptRequests.lookup(tokenHash, at: version)
        else { return nil }
        let query = try resolve(token)
        guard query.asOf == nil, let snapshot = registry.keptFacts.published(atLeast: settings.state),
            case .report(let kept)? = registry.figuresCache.ready(
                .report(Self.reportKey(query.scope, query.period, nil, query.observedOn, settings)),
                at: snapshot.state)
        else { return nil }
        return kept.json
    }

    /// What a request for figures asks for: the scope, the period, the moment known at (nil: now) and the day
    /// observed (`planReport`'s `observedOn`).
    public struct FiguresQuery: Sendable {
        public var scope: UnitCode
        public var period: Period
        public var asOf: Timestamp?
        public var observedOn: LocalDate?

        public init(scope: UnitCode, period: Period, asOf: Timestamp?, observedOn: LocalDate?) {
            self.scope = scope
            self.period = period
            self.asOf = asOf
            self.observedOn = observedOn
        }
    }

    /// The settings a report depends on and the state of the derived tables, read in one transaction.
    struct Settings: Sendable {
        var targets: TargetBook
        var intervals: IntervalBook
        var state: FiguresCache.State

        init(_ db: Database) throws {
            targets = try Figures.targetBook(db)
            intervals = try Figures.intervalBook(db)
            state = try Figures.derivedState(db)
        }
    }

    private func planReportKept(
        scope: UnitCode, period: Period, asOf: Timestamp?, observedOn: LocalDate?, settings: Settings? = nil
    ) throws -> FiguresCache.KeptReport {
        let settings = try settings ?? registry.read { try Settings($0) }
        let key = Self.reportKey(scope, period, asOf, observedOn, settings)
        guard asOf == nil else {
            let facts = try facts(asOf: asOf)
            let report = PlanMetrics.compute(
                wanted: facts.wanted, releases: facts.releases, scope: scope, from: period.from, to: period.to,
                asOf: asOf, targets: key.targets, supervision: key.supervision)
            return .init(report: report, json: try report.jsonData())
        }
        var atLeast: FiguresCache.State? = settings.state
        while true {
            // The kept facts' state first: a report kept for it is served without putting the facts into arrays.
            let snapshot = try keptFacts(atLeast: atLeast)
            atLeast = nil
            if let kept = try keptReport(key, facts: { try facts(of: snapshot) }, at: snapshot.state) {
                return kept
            }
        }
    }

    /// What a plan report is kept by: the scope, the period, the targets, and the supervision figures' day (the
    /// period's last day, or the day observed while the period runs) with the contact intervals.
    private static func reportKey(
        _ scope: UnitCode, _ period: Period, _ asOf: Timestamp?, _ observedOn: LocalDate?, _ settings: Settings
    ) -> FiguresCache.ReportKey {
        FiguresCache.ReportKey(
            scope: scope, from: period.from, to: period.to, targets: settings.targets,
            supervision: PlanMetrics.SupervisionQuery(
                on: period.supervisionDay(observedOn: observedOn ?? asOf?.date ?? period.to),
                intervals: settings.intervals))
    }

    /// The plan report for `key` from the facts at `state`: the one kept for that state, else computed from `facts`
    /// (once, however many ask) and kept; nil when the cache has moved on to a later state.
    func keptReport(
        _ key: FiguresCache.ReportKey, facts: () throws -> (wanted: [WantedFacts], releases: [ReleaseFacts]),
        at state: FiguresCache.State
    ) throws -> FiguresCache.KeptReport? {
        let value = try registry.figuresCache.value(.report(key), at: state) {
            .report(
                try Figures.computeReport(key, facts: try facts(), indexed: registry.figuresCache.followsWrites))
        }
        guard case .report(let kept)? = value else { return nil }
        return kept
    }

    /// The plan report for `key` from `facts`, with its JSON and, when `indexed`, its tally (the writes that follow
    /// change it by the cases they touch).
    static func computeReport(
        _ key: FiguresCache.ReportKey, facts: (wanted: [WantedFacts], releases: [ReleaseFacts]), indexed: Bool
    ) throws -> FiguresCache.KeptReport {
        let tally = PlanTally(
            wanted: facts.wanted, releases: facts.releases, scope: key.scope, from: key.from, to: key.to,
            targets: key.targets, supervision: key.supervision, indexed: indexed)
        let report = tally.report(asOf: nil)
        return .init(report: report, json: try report.jsonData(), tally: indexed ? tally : nil)
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
