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

    /// A plan report with its JSON, encoded once.
    struct KeptReport: Sendable {
        var report: PlanReport
        var json: Data
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
    /// The most reports a write computes again before it is answered (the latest asked for); any other is computed
    /// by the first request for it. Each costs a pass over every case: a write must not pay for dozens.
    static let advanceLimit = 8

    private let condition = NSCondition()
    private var state = State(sequence: -1, generation: -1)
    private var entries = KeptValues<Key, Entry>(limit: 2 * reportLimit + 1)
    /// The state before `state` and what was ready for it: served while the new state is being published.
    private var previous: (state: State, entries: KeptValues<Key, Entry>)?

    /// Computes, for the facts of a new state, the facts' arrays and the plan reports ready at the current state (at
    /// most `advanceLimit`, the latest kept), then makes it the current state (the current one becomes the previous
    /// one). Called by the writer, before the new state's facts are published.
    func advance(to snapshot: KeptFacts.Snapshot) {
        condition.lock()
        var keys: [ReportKey] = []
        if snapshot.state > state {
            for key in entries.keys {
                if case .report(let report) = key, case .ready? = entries[key] { keys.append(report) }
            }
        }
        keys = Array(keys.suffix(Self.advanceLimit))
        condition.unlock()
        var computed = KeptValues<Key, Entry>(limit: entries.limit)
        // No report in use (a server being filled by a station's first push): nothing to compute, and the facts are
        // put into one array only when a request asks for them, not at every commit.
        if !keys.isEmpty {
            let facts = (wanted: FactTable.flatten(snapshot.wanted), releases: FactTable.flatten(snapshot.releases))
            computed.keep(.ready(.facts(wanted: facts.wanted, releases: facts.releases)), for: .facts)
            for key in keys {
                guard let kept = try? Figures.computeReport(key, facts: facts) else { continue }
                computed.keep(.ready(.report(kept)), for: .report(key))
            }
        }
        condition.lock()
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
                if let previous, previous.state == state, case .ready(let value)? = previous.entries[key] {
                    return value
                }
                return nil
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
