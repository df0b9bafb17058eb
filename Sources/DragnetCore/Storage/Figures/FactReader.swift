import Foundation
import GRDB
import Synchronization

/// Reads the facts of every wanted and release case from the derived tables, on as many connections at once as the
/// machine has cores (at most `Plan.maximumLanes`).
///
/// The two case tables are cut into ranges of row ids (`Part`), and each lane — a read transaction of its own, on a
/// thread of its own — takes the next range not yet taken until none is left; the ranges are put back together in
/// row-id order, so the facts come out in the order one scan of each table gives. The lanes' transactions see the
/// same state of the file when each read the same state of the derived tables first (`Figures.derivedState`, which
/// every change to those tables moves on); when one did not, a write came between their first reads, and the whole
/// read starts again.
///
/// Reading the facts is most of `dragnet metrics`' time (docs/performance.md, "Where the figures' time goes now"):
/// SQLite stepping through the rows and the parsing of each row's ids, both of which two cores share out evenly.
struct FactReader {
    /// How the read is shared out.
    struct Plan: Sendable {
        /// The most lanes a read uses, whatever the cores.
        static let maximumLanes = 4
        /// Below this many cases in all, one lane reads everything: a thread and a second transaction cost more.
        static let smallestShared = 20_000
        /// How many times the lanes start again after a write came between their first reads, before one lane reads.
        static let attemptsShared = 3
        /// The most facts a part reserves room for before it reads (a range of row ids may be mostly gaps).
        static let largestReserve = 1 << 20

        /// The number of connections reading at once.
        var lanes: Int
        /// The number of ranges each case table is cut into.
        var partsPerTable: Int

        /// The plan for `cases` cases on this machine.
        static func forCases(_ cases: Int) -> Plan {
            let cores = max(1, min(ProcessInfo.processInfo.activeProcessorCount, maximumLanes))
            guard cores > 1, cases >= smallestShared else { return Plan(lanes: 1, partsPerTable: 1) }
            // More ranges than lanes, so that a lane that finishes first takes another instead of waiting.
            return Plan(lanes: cores, partsPerTable: 3 * cores)
        }
    }

    /// One range of row ids of one table: after `after` (none: from the first) up to and including `through` (none:
    /// to the last), so that the ranges cover every row id whatever rows the lanes' snapshot holds.
    struct Part: Sendable {
        enum Table: Sendable { case wanted, releases, transfers }
        var table: Table
        var after: Int64?
        var through: Int64?
        /// About how many rows it holds, to reserve its array.
        var estimate: Int

        var condition: String {
            switch (after, through) {
            case (nil, nil): return ""
            case (let a?, nil): return "WHERE rowid > \(a)"
            case (nil, let t?): return "WHERE rowid <= \(t)"
            case (let a?, let t?): return "WHERE rowid > \(a) AND rowid <= \(t)"
            }
        }
    }

    /// What one part read.
    enum Read: Sendable {
        case wanted(FactBuffer<WantedFacts>)
        case releases(FactBuffer<ReleaseFacts>)
        case transfers([UUID: [ReleaseFacts.Responsibility]])

        /// Frees the facts it holds (when they are not wanted after all).
        consuming func discard() {
            switch self {
            case .wanted(var buffer): buffer.discard()
            case .releases(var buffer): buffer.discard()
            case .transfers: break
            }
        }
    }

    /// Where a lane is when `hook` is called.
    enum Moment: Sendable { case beforeTransaction, afterState }

    let registry: Registry
    /// Called by each lane (numbered from 0, which runs on the caller's thread) before it begins its transaction and
    /// after it has read the state in it (tests make a write come between two lanes' first reads).
    var hook: (@Sendable (_ lane: Int, _ moment: Moment) -> Void)? = nil

    /// The facts, with the state of the derived tables they are the facts of. After `Plan.attemptsShared` reads
    /// spoiled by writes between the lanes' first reads, one lane reads everything: it cannot be spoiled so.
    func read(plan: Plan? = nil) throws -> (state: FiguresCache.State, wanted: [WantedFacts], releases: [ReleaseFacts])
    {
        var attempts = 0
        while true {
            attempts += 1
            let single = attempts > Plan.attemptsShared ? Plan(lanes: 1, partsPerTable: 1) : nil
            let (parts, chosen) = try self.parts(plan: single ?? plan)
            if let read = try read(parts, lanes: chosen.lanes) { return read }
        }
    }

    /// The parts of both tables, cut by the row ids and counts the file holds now (the lanes may see a later state:
    /// the first and last parts of each table are open-ended).
    private func parts(plan: Plan?) throws -> ([Part], Plan) {
        try registry.read { db in
            // The first and last row ids: two look-ups, each its own subquery (`SELECT min(rowid), max(rowid)` is not
            // one: with two aggregates SQLite scans a whole index, 0.1 s at 1M rows, as counting the rows would).
            func span(_ table: String) throws -> (first: Int64, last: Int64) {
                let row = try Row.fetchOne(
                    db, sql: "SELECT (SELECT min(rowid) FROM \(table)), (SELECT max(rowid) FROM \(table))")
                return (row?[0] ?? 0, row?[1] ?? 0)
            }
            let wanted = try span(WantedCaseTable.tableName)
            let releases = try span(ReleaseCaseTable.tableName)
            // At most so many cases (row ids have gaps where rows were replaced).
            let most = Int(clamping: (wanted.last - wanted.first + 1) + (releases.last - releases.first + 1))
            let plan = plan ?? Plan.forCases(most)
            func cut(_ table: Part.Table, _ span: (first: Int64, last: Int64)) -> [Part] {
                let pieces = Int64(max(1, plan.partsPerTable))
                let width = max(1, (span.last - span.first + 1 + pieces - 1) / pieces)
                // Room for every row id of the range, up to a point: beyond it the buffer grows.
                let estimate = Int(clamping: min(width, Int64(Plan.largestReserve)))
                return (0..<pieces).map { i in
                    Part(
                        table: table, after: i == 0 ? nil : span.first - 1 + i * width,
                        through: i == pieces - 1 ? nil : span.first - 1 + (i + 1) * width, estimate: estimate)
                }
            }
            let transfers = Part(table: .transfers, after: nil, through: nil, estimate: 0)
            return ([transfers] + cut(.releases, releases) + cut(.wanted, wanted), plan)
        }
    }

    /// The parts read on `lanes` connections at once; nil when the lanes' transactions saw different states.
    private func read(_ parts: [Part], lanes: Int) throws -> (
        state: FiguresCache.State, wanted: [WantedFacts], releases: [ReleaseFacts]
    )? {
        struct Shared {
            var next = 0
            var reads: [Read?]
            var states: [FiguresCache.State?]
            var failure: (any Error)?
        }
        final class Lanes: Sendable {
            let shared: Mutex<Shared>
            init(_ shared: Shared) { self.shared = Mutex(shared) }
        }
        let lanes = max(1, lanes)
        let box = Lanes(
            Shared(
                reads: Array(repeating: nil, count: parts.count), states: Array(repeating: nil, count: lanes),
                failure: nil))
        let (registry, hook) = (self.registry, self.hook)
        @Sendable func run(_ lane: Int) {
            do {
                hook?(lane, .beforeTransaction)
                try registry.read { db in
                    let state = try Figures.derivedState(db)
                    box.shared.withLock { $0.states[lane] = state }
                    hook?(lane, .afterState)
                    var units = FactRows.Units()
                    while true {
                        let index: Int? = box.shared.withLock { shared in
                            guard shared.failure == nil, shared.next < parts.count else { return nil }
                            defer { shared.next += 1 }
                            return shared.next
                        }
                        guard let index else { return }
                        let read = try FactReader.read(parts[index], db, &units, path: registry.path)
                        box.shared.withLock { $0.reads[index] = read }
                    }
                }
            } catch {
                box.shared.withLock { if $0.failure == nil { $0.failure = error } }
            }
        }
        // Threads of their own, not a shared pool: each lane holds a transaction open until every part is taken.
        let done = DispatchGroup()
        for lane in 1..<lanes {
            done.enter()
            Thread.detachNewThread {
                run(lane)
                done.leave()
            }
        }
        run(0)
        done.wait()
        return try box.shared.withLock { shared -> (FiguresCache.State, [WantedFacts], [ReleaseFacts])? in
            let reads = shared.reads
            shared.reads = []
            guard shared.failure == nil, let state = shared.states[0], shared.states.allSatisfy({ $0 == state })
            else {
                for read in reads { read?.discard() }
                if let failure = shared.failure { throw failure }
                return nil
            }
            return (state, Self.wanted(reads), Self.releases(reads))
        }
    }

    private static func wanted(_ reads: [Read?]) -> [WantedFacts] {
        var pieces: [FactBuffer<WantedFacts>] = []
        for case .wanted(let facts)? in reads { pieces.append(facts) }
        return FactBuffer.moveAll(pieces)
    }

    private static func releases(_ reads: [Read?]) -> [ReleaseFacts] {
        var pieces: [FactBuffer<ReleaseFacts>] = []
        var transfers: [UUID: [ReleaseFacts.Responsibility]] = [:]
        for read in reads {
            switch read {
            case .releases(let facts)?: pieces.append(facts)
            case .transfers(let read)?: transfers = read
            default: break
            }
        }
        var releases = FactBuffer.moveAll(pieces)
        // The look-up skipped when there are no transfers, as in most registries.
        if !transfers.isEmpty {
            for i in releases.indices {
                if let moves = transfers[releases[i].caseID] { releases[i].transfers = moves }
            }
        }
        return releases
    }

    /// Reads one part. The columns are read as raw bytes (`FactRows`): building a `String` per column and parsing it
    /// was most of the time of the figures.
    private static func read(_ part: Part, _ db: Database, _ units: inout FactRows.Units, path: String) throws -> Read {
        func damaged(_ table: String) -> DragnetError {
            DragnetError(
                .failure, "\(path): a row of \(table) cannot be read; run `dragnet rebuild` to derive it again")
        }
        switch part.table {
        case .transfers:
            var transfers: [UUID: [ReleaseFacts.Responsibility]] = [:]
            try FactRows.each(
                """
                SELECT \(ReleaseTransferTable.list(.caseID, .date, .toUnit)) FROM \(ReleaseTransferTable.tableName)
                ORDER BY \(ReleaseTransferTable.list(.caseID, .position))
                """, in: db
            ) { row in
                guard let id = row.uuid(0), let date = row.date(1), let unit = row.unit(2, &units) else {
                    throw damaged(ReleaseTransferTable.tableName)
                }
                transfers[id, default: []].append(.init(from: date, unit: unit))
            }
            return .transfers(transfers)
        case .wanted:
            var wanted = FactBuffer<WantedFacts>(capacity: part.estimate)
            do {
                try FactRows.each(
                    """
                    SELECT \(WantedCaseTable.list(.id, .ownerUnit, .openedOn, .closingKind, .closingDate, .personID))
                    FROM \(WantedCaseTable.tableName) \(part.condition)
                    """, in: db
                ) { row in
                    guard let id = row.uuid(0), let unit = row.unit(1, &units), let opened = row.date(2),
                        let person = row.uuid(5)
                    else { throw damaged(WantedCaseTable.tableName) }
                    var closing: WantedFacts.Closing?
                    if !row.isNull(3) {
                        guard let kind = row.text(3).flatMap(ClosingKind.init(rawValue:)), let date = row.date(4) else {
                            throw damaged(WantedCaseTable.tableName)
                        }
                        closing = .init(kind: kind, date: date)
                    }
                    wanted.append(
                        WantedFacts(caseID: id, ownerUnit: unit, openedOn: opened, closing: closing, personID: person))
                }
            } catch {
                wanted.discard()
                throw error
            }
            return .wanted(wanted)
        case .releases:
            var releases = FactBuffer<ReleaseFacts>(capacity: part.estimate)
            do {
                try FactRows.each(
                    """
                    SELECT \(ReleaseCaseTable.list(
                    .id, .unit, .releaseType, .releasedOn, .endingKind, .endingDate, .personID, .probationUntil,
                    .supervision))
                    FROM \(ReleaseCaseTable.tableName) \(part.condition)
                    """, in: db
                ) { row in
                    guard let id = row.uuid(0), let unit = row.unit(1, &units),
                        let type = row.text(2).flatMap(ReleaseType.init(rawValue:)), let released = row.date(3),
                        let person = row.uuid(6)
                    else { throw damaged(ReleaseCaseTable.tableName) }
                    var probation: LocalDate?
                    if !row.isNull(7) {
                        guard let until = row.date(7) else { throw damaged(ReleaseCaseTable.tableName) }
                        probation = until
                    }
                    guard let marks = row.marks(8) else { throw damaged(ReleaseCaseTable.tableName) }
                    var ending: ReleaseFacts.Ending?
                    if !row.isNull(4) {
                        guard let kind = row.text(4).flatMap(EndingKind.init(rawValue:)), let date = row.date(5) else {
                            throw damaged(ReleaseCaseTable.tableName)
                        }
                        ending = .init(kind: kind, date: date)
                    }
                    releases.append(
                        ReleaseFacts(
                            caseID: id, releaseType: type, releasedOn: released, responsibleUnit: unit, ending: ending,
                            personID: person, probationUntil: probation, marks: marks))
                }
            } catch {
                releases.discard()
                throw error
            }
            return .releases(releases)
        }
    }
}
