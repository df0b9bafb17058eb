import Foundation

/// The values computed from the kept facts (`KeptFacts`) for one state of the derived tables (the log's last sequence
/// number and the number of rebuilds): the facts in one array each, the plan reports with their JSON, and the
/// dashboards' figures. When a write changes the facts, the reports requested at the previous state (the keys in
/// use) are computed again for the new one before it is published (`advance`); any other key is computed by the first
/// request for it while every other request for the same key waits for it (one computation in flight per key). A
/// kept report is always the report of the facts it is kept with. Reports "as of" a past moment are not kept (they
/// fold the log again and are rare).
final class FiguresCache: @unchecked Sendable {  // every stored property is guarded by `condition`
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

    /// A plan report with its JSON, encoded once, and the counts it was made from (`PlanTally`, indexed), which the
    /// next write changes by the cases it touches instead of counting every case again. Only the current state's
    /// entry holds the tally: the write that takes it on leaves the report without it.
    struct KeptReport: Sendable {
        var report: PlanReport
        var json: Data
        var tally: PlanTally?
    }

    /// What is kept for a state.
    enum Key: Hashable, Sendable {
        case facts
        case report(ReportKey)
        case dashboard(DashboardKey)
    }

    enum Value: Sendable {
        case facts(wanted: [WantedFacts], releases: [ReleaseFacts])
        case report(KeptReport)
        case dashboard(DashboardFigures)
    }

    private enum Entry: Sendable {
        case computing
        case ready(Value)
    }

    /// The most reports and dashboards kept for one state; the oldest goes first.
    static let reportLimit = 64
    /// The most reports a write brings to its new state before it is answered (the latest asked for); any other is
    /// computed by the first request for it. Each is kept with its tally (`PlanTally`: a few counts per unit, and an
    /// index of the supervised cases by person, the largest part), which the write changes by the cases it touched.
    static let advanceLimit = 8

    /// How many reports `advance` computed by counting every case (its tally was not at the previous state), and how
    /// many it changed by the cases a write touched: the tests check that a push counts no case it did not touch.
    private(set) var fullCounts = 0
    private(set) var changedCounts = 0

    /// Whether reports are kept with the index their tally needs to follow writes (`PlanTally`, `indexed`): set by a
    /// process that keeps serving while writes come (`Figures.prepare`, which `dragnet serve` calls); a command that
    /// prints one report does not pay for it (a write after it then counts the report from every case).
    var followsWrites: Bool {
        get {
            condition.lock()
            defer { condition.unlock() }
            return following
        }
        set {
            condition.lock()
            following = newValue
            condition.unlock()
        }
    }
    private var following = false

    private let condition = NSCondition()
    private var state = State(sequence: -1, generation: -1)
    private var entries = KeptValues<Key, Entry>(limit: 2 * reportLimit + 1)
    /// The state before `state` and what was ready for it: served while the new state is being published.
    private var previous: (state: State, entries: KeptValues<Key, Entry>)?

    /// Brings the plan reports ready at the current state (at most `advanceLimit`, the latest kept) to the facts of
    /// a new state, then makes it the current state (the current one becomes the previous one). A report whose tally
    /// is of the state the snapshot's changes follow is changed by those changes alone; any other is counted again
    /// from every case. Called by the writer, before the new state's facts are published.
    func advance(to snapshot: KeptFacts.Snapshot) {
        condition.lock()
        var keys: [(key: ReportKey, tally: PlanTally?)] = []
        if snapshot.state > state {
            for key in entries.keys {
                guard case .report(let reportKey) = key, case .ready(.report(var kept))? = entries[key] else {
                    continue
                }
                // The tally leaves the entry, so that the one left here is its only copy: changing it copies nothing.
                let tally = kept.tally
                kept.tally = nil
                entries.keep(.ready(.report(kept)), for: key)
                keys.append((reportKey, snapshot.follows == state ? tally : nil))
            }
        }
        keys = Array(keys.suffix(Self.advanceLimit))
        condition.unlock()
        var computed = KeptValues<Key, Entry>(limit: entries.limit)
        // No report in use (a server being filled by a station's first push): nothing to compute, and the facts are
        // put into one array only when a report is counted from every case, not at every commit.
        var facts: (wanted: [WantedFacts], releases: [ReleaseFacts])?
        var full = 0, changed = 0
        for index in keys.indices {
            let key = keys[index].key
            var kept: KeptReport
            // Taken out of the list, not copied from it: the tally changed below is then its only copy (a copy would
            // copy its index of supervised cases, as large as the registry's open release cases, at every write).
            if var tally = keys[index].tally.take(), let changes = snapshot.changes {
                for change in changes { tally.apply(change) }
                let report = tally.report(asOf: nil)
                guard let json = try? report.jsonData() else { continue }
                kept = KeptReport(report: report, json: json, tally: tally)
                changed += 1
            } else {
                let all =
                    facts ?? (
                        wanted: FactTable.flatten(snapshot.wanted), releases: FactTable.flatten(snapshot.releases)
                    )
                facts = all
                guard let counted = try? Figures.computeReport(key, facts: all, indexed: followsWrites) else {
                    continue
                }
                kept = counted
                full += 1
            }
            computed.keep(.ready(.report(kept)), for: .report(key))
        }
        if let facts { computed.keep(.ready(.facts(wanted: facts.wanted, releases: facts.releases)), for: .facts) }
        condition.lock()
        fullCounts += full
        changedCounts += changed
        defer {
            condition.broadcast()
            condition.unlock()
        }
        guard snapshot.state > state else { return }
        keepAsPrevious()
        state = snapshot.state
        entries = computed
    }

    /// The value of `key` at `state`: the one kept, the one another caller is computing (waited for), or `compute`d
    /// here and kept. Nil when the cache has moved on to a later state: the caller takes the later facts and asks
    /// again (what it would compute is older than what is kept).
    func value(_ key: Key, at state: State, compute: () throws -> Value) throws -> Value? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if state < self.state {
                // A reader of the previous state while the current one is being published.
                return readyLocked(key, at: state)
            }
            move(to: state)
            switch entries[key] {
            case .ready(let value)?:
                return value
            case .computing?:
                condition.wait()
            case nil:
                entries.keep(.computing, for: key)
                condition.unlock()
                let result = Result { try compute() }
                condition.lock()
                defer { condition.broadcast() }
                if self.state == state {
                    switch result {
                    case .success(let value): entries.keep(.ready(value), for: key)
                    case .failure: entries.forget(key)
                    }
                }
                return try result.get()
            }
        }
    }

    /// The value `value(key, at: state)` would give at once: the one ready for `state` (the current state's, or the
    /// previous one's while the current one is being published), else nil — never computed, never waited for.
    func ready(_ key: Key, at state: State) -> Value? {
        condition.lock()
        defer { condition.unlock() }
        return readyLocked(key, at: state)
    }

    /// `ready`, for a caller that holds the lock.
    private func readyLocked(_ key: Key, at state: State) -> Value? {
        if state == self.state, case .ready(let value)? = entries[key] { return value }
        if let previous, previous.state == state, case .ready(let value)? = previous.entries[key] { return value }
        return nil
    }

    /// Keeps the current state's ready reports and dashboards as the previous state's (not its facts: a second copy of
    /// a million cases' facts would only serve a request that asks for the facts themselves, which asks again).
    private func keepAsPrevious() {
        var kept = entries
        kept.forget(.facts)
        previous = (state, kept)
    }

    /// Forgets everything kept for an earlier state.
    private func move(to state: State) {
        guard state != self.state else { return }
        keepAsPrevious()
        self.state = state
        entries = KeptValues(limit: entries.limit)
        condition.broadcast()  // whoever waits for a value of the earlier state asks again
    }
}
