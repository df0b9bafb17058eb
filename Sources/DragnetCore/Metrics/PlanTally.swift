import Foundation

/// A change of one case's facts: what they were and what they are (nil: the case had none, or has none now —
/// registered, retracted).
public enum FactChange: Sendable {
    case wanted(old: WantedFacts?, new: WantedFacts?)
    case release(old: ReleaseFacts?, new: ReleaseFacts?)
}

/// The counts behind one plan report (`PlanMetrics.compute` is `PlanTally(…).report(asOf:)`), kept so that a change
/// of a few cases changes the report by those cases alone. Every count is a sum of one case's contribution to one row
/// — a wanted case to its owner's row, a release case to its responsible unit's row on the period's last day and, for
/// supervision, on the supervision day —, so `apply` counts a changed case out under its old facts and in under its
/// new ones. The one count that depends on another case, a supervised person's open wanted case (`wanted_open`), is
/// kept with the number of wanted cases open on the day per person: when a person's first one opens or last one
/// closes, the person's supervised cases are counted again. The central server keeps the reports in use current this
/// way at every write, at a cost that does not grow with the registry (issue 12; `FiguresCache`).
///
/// A tally made with `indexed: false` (a report computed once and thrown away) skips the index of supervised cases by
/// person that `apply` needs, and cannot be changed.
struct PlanTally: Sendable {
    let scope: UnitCode
    let from: LocalDate
    let to: LocalDate
    let targets: TargetBook
    let supervisionQuery: PlanMetrics.SupervisionQuery?
    private var rows: RowTable
    /// Wanted cases open on the supervision day, per person (with a supervision query only).
    private var openWanted: [UUID: Int] = [:]
    /// The supervised cases counted, per person, with their row (indexed tallies only).
    private var supervisedOf: [UUID: [UUID: Int]]?

    /// The tally of every case in `wanted` and `releases`.
    init(
        wanted: [WantedFacts], releases: [ReleaseFacts], scope: UnitCode, from: LocalDate, to: LocalDate,
        targets: TargetBook, supervision: PlanMetrics.SupervisionQuery?, indexed: Bool = false
    ) {
        self.scope = scope
        self.from = from
        self.to = to
        self.targets = targets
        self.supervisionQuery = supervision
        rows = RowTable(scope: scope)
        if indexed { supervisedOf = [:] }
        if let day = supervision?.on {
            for facts in wanted where facts.isOpen(on: day) {
                if let person = facts.personID { openWanted[person, default: 0] += 1 }
            }
        }
        for facts in wanted { count(facts, by: 1) }
        for facts in releases { count(facts, by: 1) }
    }

    /// Brings the counts to the facts after `change`. The tally must be indexed.
    mutating func apply(_ change: FactChange) {
        precondition(supervisedOf != nil, "a tally made without its index cannot follow changes")
        switch change {
        case .wanted(let old, let new):
            if let old {
                count(old, by: -1)
                openWantedChanged(old, by: -1)
            }
            if let new {
                count(new, by: 1)
                openWantedChanged(new, by: 1)
            }
        case .release(let old, let new):
            if let old { count(old, by: -1) }
            if let new { count(new, by: 1) }
        }
    }

    /// The report of the counts, `asOf` echoed.
    func report(asOf: Timestamp?) -> PlanReport {
        var total = UnitTally()
        for tally in rows.tallies { total.merge(tally) }
        let day = supervisionQuery?.on
        let units = rows.units.indices
            .filter { rows.tallies[$0].members > 0 }
            .sorted { rows.units[$0] < rows.units[$1] }
            .map { row in
                let unit = rows.units[row], tally = rows.tallies[row]
                let unitTargets = targets.targets(for: unit)
                return PlanReport.UnitFigures(
                    unit: unit, wanted: tally.wantedFigures(unitTargets),
                    reoffending: tally.releases.figures(unitTargets),
                    supervision: day.map { PlanReport.SupervisionReport(tally.supervision, on: $0) })
            }
        let scopeTargets = targets.targets(for: scope)
        return PlanReport(
            scope: scope, from: from, to: to, asOf: asOf, wanted: total.wantedFigures(scopeTargets),
            reoffending: total.releases.figures(scopeTargets), units: units,
            supervision: day.map { PlanReport.SupervisionReport(total.supervision, on: $0) })
    }

    /// Counts a wanted case in (`n` = 1) or out (-1): in its owner's row, on the list of the period it is on.
    private mutating func count(_ facts: WantedFacts, by n: Int) {
        guard from <= to, let list = facts.list(from: from, to: to) else { return }
        let row = rows.index(of: facts.ownerUnit)
        guard row >= 0 else { return }
        switch list {
        case .existing: rows.tallies[row].existing.add(facts.outcome(to: to), by: n)
        case .new: rows.tallies[row].new.add(facts.outcome(to: to), by: n)
        }
        rows.tallies[row].members += n
    }

    /// Counts a release case in or out: in the reoffending population of its responsible unit's row on `to`, and
    /// under supervision in its responsible unit's row on the supervision day.
    private mutating func count(_ facts: ReleaseFacts, by n: Int) {
        if from <= to, facts.isFollowed(from: from, to: to) {
            let row = rows.index(of: facts.responsibleUnit(on: to))
            if row >= 0 {
                rows.tallies[row].releases.add(facts.releaseType, reoffended: facts.reoffended(by: to), by: n)
                rows.tallies[row].members += n
            }
        }
        guard let query = supervisionQuery, facts.isOpen(on: query.on) else { return }
        let unit = facts.responsibleUnit(on: query.on)
        let row = rows.index(of: unit)
        guard row >= 0 else { return }
        let wanted = facts.personID.map { openWanted[$0, default: 0] > 0 } ?? false
        rows.tallies[row].supervision.count(
            facts, on: query.on, intervals: query.intervals.intervals(for: unit), wanted: wanted, by: n)
        rows.tallies[row].members += n
        if supervisedOf != nil, let person = facts.personID {
            supervisedOf![person, default: [:]][facts.caseID] = n > 0 ? row : nil
            if supervisedOf![person]?.isEmpty == true { supervisedOf![person] = nil }
        }
    }

    /// Keeps the number of open wanted cases of the person of `facts` when the case, open on the supervision day,
    /// comes (`n` = 1) or goes (-1); when the person's first opens or last closes, each of the person's supervised
    /// cases changes its `wanted_open`.
    private mutating func openWantedChanged(_ facts: WantedFacts, by n: Int) {
        guard let day = supervisionQuery?.on, facts.isOpen(on: day), let person = facts.personID else { return }
        let before = openWanted[person, default: 0]
        let after = before + n
        openWanted[person] = after == 0 ? nil : after
        guard (before == 0) != (after == 0) else { return }
        for row in (supervisedOf?[person] ?? [:]).values {
            rows.tallies[row].supervision.wantedOpen += after > 0 ? 1 : -1
        }
    }
}
