import Foundation
import GRDB

/// The facts of every case as known now, kept in memory for as long as the database is open and brought up to date
/// by the one write path: `store` and `rebuildProjections` open a staging for their transaction (`begin`),
/// `project` stages the facts of each record it rewrites (`stage`), and the staged facts are applied when the
/// transaction commits — before the write returns, so before a push is answered — or forgotten when it rolls back.
///
/// A commit's facts are published to readers only once the reports of the keys in use have been computed from them
/// (`FiguresCache.advance`), still on the writer's queue, so before the write returns: until then readers are served
/// the previous state's reports, which hold every write acknowledged so far (the one being published is not yet).
///
/// The facts are read from the tables once (`current`, on the first request or when `dragnet serve` starts), then
/// only the touched records change. A commit is applied only when it follows the kept state exactly (the log's
/// sequence moved by the events this transaction stored, the same generation, or a rebuild that resets everything);
/// anything else — a write by another process, a transaction that began before the facts were kept — makes the next
/// reader read the tables again, so the kept facts are never silently behind or wrong.
final class KeptFacts: @unchecked Sendable {  // every stored property is guarded by `condition`
    /// A change of one case's facts (nil: the case has no facts: retracted, or left out of the table).
    enum Change: Sendable {
        case wanted(UUID, WantedFacts?)
        case release(UUID, ReleaseFacts?)
    }

    /// The facts at one state, for readers: chunks shared with the kept tables until the writer changes them.
    struct Snapshot: Sendable {
        var state: FiguresCache.State
        var wanted: [[WantedFacts]]
        var releases: [[ReleaseFacts]]
        /// For the snapshot of a commit: the state it follows and the cases it changed, old and new facts (a
        /// rebuild, which derives every case again, has none).
        var follows: FiguresCache.State? = nil
        var changes: [FactChange]? = nil
    }

    /// What one write transaction brings.
    private struct Staging {
        var events = 0
        var reset = false
        var changes: [Change] = []
    }

    /// A transaction committed while the facts were being read.
    private struct Commit {
        var state: FiguresCache.State
        var staging: Staging
    }

    private let condition = NSCondition()
    /// What is computed from the facts, brought to each new state before it is published.
    private let cache: FiguresCache
    /// The state the kept facts are of; nil when they are not kept (not read yet, or forgotten).
    private var state: FiguresCache.State?
    /// The facts readers are given; behind `state` while a commit is being published.
    private var published: Snapshot?
    /// The state of a commit being published.
    private var publishing: FiguresCache.State?
    private var wanted = FactTable<WantedFacts>()
    private var releases = FactTable<ReleaseFacts>()
    /// The facts as read, before the tables are made from them: a command that only reads the figures never needs
    /// the tables (made at the first write, or by `makeTables`).
    private var unmade: (wanted: [WantedFacts], releases: [ReleaseFacts])?
    /// Whether a reader is reading the tables.
    private var loading = false
    /// Bumped whenever what a reader is reading cannot be used any more.
    private var epoch = 0
    private var committedWhileLoading: [Commit] = []
    /// How many times the facts were read from the tables (the tests check that writes did not make a reader read).
    private var readCount = 0
    /// The open write transaction: nil when none, `.some(nil)` when it began while the facts were not kept (it
    /// stages nothing), else what it staged so far.
    private var transaction: Staging??

    init(cache: FiguresCache) { self.cache = cache }

    /// How many times the facts were read from the tables.
    var reads: Int {
        condition.lock()
        defer { condition.unlock() }
        return readCount
    }

    /// Opens (or continues) the staging of the write transaction of `db`, which stores `events` more events;
    /// `reset`: the transaction derives every record again (a rebuild).
    func begin(_ db: Database, events: Int, reset: Bool = false) {
        condition.lock()
        defer { condition.unlock() }
        if transaction == nil {
            transaction = .some(state != nil || loading ? Staging() : nil)
            db.afterNextTransaction(
                onCommit: { [self] db in committed(db) }, onRollback: { [self] _ in rolledBack() })
        }
        guard case var staging?? = transaction else { return }
        staging.events += events
        if reset {
            staging.reset = true
            staging.changes = []
        }
        transaction = .some(staging)
    }

    /// Stages the facts of one record rewritten in the open transaction.
    func stage(_ change: Change) {
        condition.lock()
        defer { condition.unlock() }
        guard case var staging?? = transaction else { return }
        transaction = nil  // no copy of the changes while appending
        staging.changes.append(change)
        transaction = .some(staging)
    }

    private func committed(_ db: Database) {
        let newState = try? Figures.derivedState(db)
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        guard case let staging?? = transaction else {
            transaction = nil
            // A transaction that staged nothing while the facts were kept: the next reader sees the state moved on
            // and reads again.
            return
        }
        transaction = nil
        guard let newState else {
            forget()
            return
        }
        if loading {
            committedWhileLoading.append(Commit(state: newState, staging: staging))
            return
        }
        guard let kept = state else { return }
        guard let changes = apply(staging, at: newState, after: kept) else {
            forget()
            return
        }
        // The reports of the keys in use are brought to the new state before readers are given it (the lock is let
        // go meanwhile: readers keep being served the previous state, and the write has not returned yet).
        let snapshot = Snapshot(
            state: newState, wanted: wanted.chunks, releases: releases.chunks, follows: kept,
            changes: staging.reset ? nil : changes)
        publishing = newState
        condition.unlock()
        cache.advance(to: snapshot)
        condition.lock()
        publishing = nil
        if state == newState { published = snapshot }
    }

    private func rolledBack() {
        condition.lock()
        transaction = nil
        condition.broadcast()
        condition.unlock()
    }

    /// Makes the tables from the facts as read, if not made yet.
    func makeTables() {
        condition.lock()
        defer { condition.unlock() }
        makeTablesNow()
    }

    private func makeTablesNow() {
        guard let read = unmade else { return }
        unmade = nil
        wanted = FactTable(read.wanted, id: \.caseID)
        releases = FactTable(read.releases, id: \.caseID)
    }

    /// Applies a committed transaction to facts kept at `kept`, giving each case's facts before and after it (a
    /// record rewritten twice in the transaction gives two changes, in order); nil when it does not follow them
    /// exactly.
    private func apply(_ staging: Staging, at newState: FiguresCache.State, after kept: FiguresCache.State)
        -> [FactChange]?
    {
        makeTablesNow()
        if staging.reset {
            wanted = FactTable()
            releases = FactTable()
        } else {
            guard newState.generation == kept.generation,
                newState.sequence == kept.sequence + Int64(staging.events)
            else { return nil }
        }
        var changes: [FactChange] = []
        changes.reserveCapacity(staging.changes.count)
        for change in staging.changes {
            switch change {
            case .wanted(let id, let facts):
                let old = staging.reset ? nil : wanted.fact(id)
                if !staging.reset, old != facts { changes.append(.wanted(old: old, new: facts)) }
                wanted.set(id, facts)
            case .release(let id, let facts):
                let old = staging.reset ? nil : releases.fact(id)
                if !staging.reset, old != facts { changes.append(.release(old: old, new: facts)) }
                releases.set(id, facts)
            }
        }
        state = newState
        return changes
    }

    /// Forgets the kept facts (the next reader reads the tables), and whatever a reader is reading now.
    private func forget() {
        state = nil
        published = nil
        unmade = nil
        wanted = FactTable()
        releases = FactTable()
        epoch += 1
    }

    /// The facts `current` would give at once for `atLeast`, without waiting or reading: nil when they are not kept,
    /// are behind, or are being read or changed.
    func published(atLeast wanted: FiguresCache.State) -> Snapshot? {
        condition.lock()
        defer { condition.unlock() }
        return servable(atLeast: wanted)
    }

    /// The published facts when they serve a reader of `wanted` now: they are of that state or later, or the
    /// database holds a commit of that state whose write has not returned (the previous state is still the news).
    /// The caller holds the lock.
    private func servable(atLeast wanted: FiguresCache.State) -> Snapshot? {
        guard let published else { return nil }
        if published.state >= wanted { return published }
        if let publishing, publishing >= wanted { return published }
        return nil
    }

    /// The facts at `atLeast` or later: the kept ones, after waiting for a commit being applied, or read again with
    /// `read` (the state it read at and the facts) when they are not kept or behind what the database holds.
    func current(
        atLeast wanted: FiguresCache.State,
        read: () throws -> (state: FiguresCache.State, wanted: [WantedFacts], releases: [ReleaseFacts])
    ) throws -> Snapshot {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let servable = servable(atLeast: wanted) { return servable }
            if loading || transaction != nil || publishing != nil {
                // A reader is reading, or a write is committing: either moves the state on.
                condition.wait()
                continue
            }
            forget()
            loading = true
            let ticket = epoch
            readCount += 1
            committedWhileLoading = []
            condition.unlock()
            let result = Result { try read() }
            condition.lock()
            loading = false
            defer { condition.broadcast() }
            let read = try result.get()
            guard ticket == epoch else { continue }
            // Readers get the arrays as read (one chunk each, shared, not copied) until a write needs the tables.
            unmade = (read.wanted, read.releases)
            state = read.state
            for commit in committedWhileLoading where commit.state > read.state {
                guard let kept = state, apply(commit.staging, at: commit.state, after: kept) != nil else {
                    forget()
                    break
                }
            }
            committedWhileLoading = []
            if let state {
                published =
                    unmade.map { Snapshot(state: state, wanted: [$0.wanted], releases: [$0.releases]) }
                    ?? Snapshot(state: state, wanted: self.wanted.chunks, releases: releases.chunks)
            }
        }
    }
}
