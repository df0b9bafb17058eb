import DragnetCore
import DragnetGzip
import Foundation
import Logging

/// What a sync did.
public struct SyncReport: Sendable, Equatable {
    public var pushed = 0
    public var created = 0
    public var duplicates = 0
    /// Events the server refused in this sync, with its reasons; they stay on the station and are offered again.
    public var rejected: [RejectedEvent] = []
    public var pulled = 0
    /// Pulled events that were new here.
    public var stored = 0
    public var cursor: Int64 = 0
    /// Set when the central log no longer held the position this station last saw of it (its database was restored
    /// from an older backup, or another server answers at the address): what the station forgot before this sync
    /// offered all its events again and read the log from its start.
    public var centralLogChanged: ForgottenSync?
    /// Pushes sent before the answer to the push before them (two in flight, judged in order by the server).
    public var sentAhead = 0
    /// Time spent pushing (reading the outbox, the requests, storing the receipts).
    public var pushTime: Duration = .zero
    /// Time spent pulling (the requests, storing the events).
    public var pullTime: Duration = .zero
    public init() {}
}

/// Runs a sync of one station database with one central server: push, then pull (SPEC §7).
/// Blocking: run it on a thread of its own (the command line's main thread does).
public struct Synchronizer: Sendable {
    let registry: Registry
    let client: CentralClient
    let logger: Logger
    /// Told of progress: (phase, events so far, the push's total when `countsPushTotal`).
    public var progress: @Sendable (_ phase: String, _ count: Int, _ total: Int?) -> Void = { _, _, _ in }
    /// Whether to count the events to push before pushing (a query over the whole log), for `progress`'s total.
    public var countsPushTotal = false
    /// The most this station sends in one push; narrowed to what the server announces (`pushLimits()`).
    public var ownPushLimits = SyncWire.PushLimits.standard

    public init(registry: Registry, client: CentralClient, logger: Logger) {
        self.registry = registry
        self.client = client
        self.logger = logger
    }

    /// The server key under which the cursor and receipts are kept.
    var server: String { client.baseURL }

    public func run(pullOnly: Bool = false, pushOnly: Bool = false, now: @Sendable () -> Timestamp) throws -> SyncReport
    {
        var report = SyncReport()
        report.centralLogChanged = try checkCentralLog()
        let pushTotal = countsPushTotal && !pullOnly ? try registry.station.outboxCount() : nil
        let cursor = try registry.station.cursor(server: server)
        var machine = SyncMachine(cursor: cursor, pullOnly: pullOnly, pushOnly: pushOnly)
        // The next push, read and compressed on another thread while the server judges this one.
        let prefetch = Prefetch<Int64, OutgoingPush>()
        // What one push may carry, asked of the server before the first push (and again after the log changed:
        // another server may answer at the address).
        var negotiated: SyncWire.PushLimits?
        defer { prefetch.discard() }
        // The next pages to pull, asked for and read on another thread while these are stored.
        let pages = Prefetch<PageKey, [SyncWire.PullResponse]>(ownThread: true)
        defer { pages.discard() }
        // The receipts of the last batch, written on another thread while the next batch is sent. Waited for before
        // anything else reads or writes the sync's state; if the process dies first, those events are offered again
        // next time and the server answers `duplicate`.
        var receiptsWrite: BackgroundWork<Void>?
        func settleReceipts() throws {
            defer { receiptsWrite = nil }
            try receiptsWrite?.wait()
        }
        defer { try? settleReceipts() }
        // The mark kept so far. Every request names it and every answer says what the server has at it now: an
        // answer from another log (restored or replaced during this sync) is not trusted; what the station believed
        // is forgotten and the sync starts again, at most `maxRestarts` times.
        var expected = try registry.station.centralMark()
        var restarts = 0
        // A new station (it never stored a pulled event) says so in its first pull (`first=1`): its unit's horizon then
        // also withholds the other units' cases that reached the central closed (docs/protocol.md). Asked again when
        // the sync starts over.
        var isNew = try cursor == 0 && registry.station.isNew()

        // Pushes numbered in one sync, two in flight, when the server announces it (`PushLimits.maxInFlight`): the
        // sync's id and the next push's number. Nil: one push at a time, unnumbered (the server does not take them,
        // or refused one out of order in this sync).
        var numbering: (sync: UUID, next: Int)?
        var unnumberedFromNowOn = false
        // The push sent and not answered yet besides the one being handled: the next batch, sent before the answer
        // to the current one.
        var inFlight: PushInFlight?
        func settleInFlight() {
            _ = try? inFlight?.answer.wait()
            inFlight = nil
        }
        defer { settleInFlight() }
        func send(_ push: OutgoingPush, after: Int64) -> PushInFlight {
            var order: Int?
            if let numbered = numbering {
                order = numbered.next
                numbering = (numbered.sync, numbered.next + 1)
            }
            let path = "/v1/events" + Self.pushQuery(mark: expected, sync: numbering?.sync, order: order)
            let client = self.client
            return PushInFlight(
                after: after, push: push, mark: expected, order: order,
                answer: BackgroundWork(ownThread: true) { try client.post(path, gzippedJSON: push.body) })
        }
        /// Whether an answer comes from another log than the one whose mark `named` its request named (the mark kept
        /// when it was sent).
        func isFromAnotherLog(_ answered: SyncWire.LogMark?, named: SyncWire.LogMark?) throws -> Bool {
            guard let kept = named, answered != kept else { return false }
            try settleReceipts()
            settleInFlight()
            expected = nil
            let forgotten = try registry.station.forgetCentralLog()
            report.centralLogChanged = ForgottenSync(
                receipts: (report.centralLogChanged?.receipts ?? 0) + forgotten.receipts,
                cursors: (report.centralLogChanged?.cursors ?? 0) + forgotten.cursors)
            restarts += 1
            logger.warning(
                "the central log changed during the sync; starting again",
                metadata: ["server": "\(server)", "sequence": "\(kept.sequence)"])
            guard restarts <= Self.maxRestarts else {
                throw DragnetError(
                    .unreachable,
                    "the central server's log kept changing during the sync (restored or replaced \(restarts) times); "
                        + "nothing is lost here: run the sync again later")
            }
            machine = SyncMachine(cursor: 0, pullOnly: pullOnly, pushOnly: pushOnly)
            isNew = try registry.station.isNew()
            negotiated = nil
            numbering = nil
            return true
        }
        while true {
            let stepStart = ContinuousClock.now
            if case .push = machine.step {} else { try settleReceipts() }
            switch machine.step {
            case .push(let after):
                defer { report.pushTime += ContinuousClock.now - stepStart }
                if negotiated == nil {
                    let limits = try pushLimits()
                    negotiated = limits
                    numbering = limits.maxInFlight >= 2 && !unnumberedFromNowOn ? (UUID(), 1) : nil
                }
                let limits = negotiated!
                // The push to handle: the one sent ahead when it follows `after`, else read (or taken from the
                // read-ahead) and sent now.
                var current: PushInFlight
                if let sent = inFlight, sent.after == after {
                    current = sent
                    inFlight = nil
                } else {
                    settleInFlight()
                    let push = try prefetch.take(after) ?? OutgoingPush.read(after: after, from: registry, limits)
                    guard !push.events.isEmpty else {
                        try settleReceipts()
                        _ = machine.pushed(lastSequence: nil)
                        continue
                    }
                    current = send(push, after: after)
                }
                let batch = current.push.events
                let last = batch[batch.count - 1]
                // While the server judges this batch, the next one: sent now, numbered, when the server judges two in
                // order, knows this sync (its first push was answered) and nothing in it hangs on this batch's
                // answer (an event refused before, whose acceptance now lets its retraction go; a retraction, which
                // a refusal of what it retracts settles); else read from the outbox and compressed on another
                // thread, to send once the answer is in.
                if numbering != nil, current.order.map({ $0 > 1 }) == true, !batch.contains(where: \.wasRejected) {
                    let next =
                        try prefetch.take(last.sequence)
                        ?? OutgoingPush.read(after: last.sequence, from: registry, limits)
                    if let nextLast = next.events.last, !next.events.contains(where: \.isRetraction) {
                        inFlight = send(next, after: last.sequence)
                        report.sentAhead += 1
                        prefetch.start(nextLast.sequence) { [registry] in
                            try OutgoingPush.read(after: nextLast.sequence, from: registry, limits)
                        }
                    } else if !next.events.isEmpty {
                        prefetch.start(last.sequence) { next }
                    }
                } else {
                    prefetch.start(last.sequence) { [registry] in
                        try OutgoingPush.read(after: last.sequence, from: registry, limits)
                    }
                }
                let answered: [UInt8]
                do {
                    answered = try current.answer.wait()
                } catch let refused as OutOfOrderPush where current.order != nil {
                    // The server could not judge it in its order (it started again since this sync's first push, or
                    // the push before did not come in time): the rest of this sync goes one push at a time. What was
                    // sent ahead is refused too (the server refuses a sync's later pushes once it refused one).
                    logger.info(
                        "the central server takes the rest of this sync one push at a time",
                        metadata: ["server": "\(server)", "reason": "\(refused.message)"])
                    settleInFlight()
                    prefetch.discard()
                    numbering = nil
                    unnumberedFromNowOn = true
                    current = send(current.push, after: current.after)
                    answered = try current.answer.wait()
                }
                // The server's answer reads fast; anything else goes to `JSONDecoder` (see `EventJSON`).
                let answer =
                    try SyncWire.PushResponse.read(answered) ?? Self.decode(SyncWire.PushResponse.self, answered)
                try settleReceipts()
                if try isFromAnotherLog(answer.mark, named: current.mark) {
                    prefetch.discard()
                    continue
                }
                // A push sent ahead named the mark kept before the answer to the push before it. The log that stored it
                // must also hold that push's events (the head kept since): asked before its receipts are written, so
                // that a log replaced between the two answers is noticed here, not only at the next request.
                if let kept = expected, kept != current.mark {
                    if try isFromAnotherLog(try logMark(at: kept.sequence), named: kept) {
                        prefetch.discard()
                        continue
                    }
                }
                guard answer.results.count == batch.count else {
                    throw DragnetError(
                        .failure,
                        "the central server answered \(answer.results.count) results for "
                            + "\(batch.count) events; nothing was marked as sent")
                }
                // A rejection settles a later event (the retraction of a rejected event is not sent), and so can the
                // acceptance of an event rejected before (its retraction, recorded since, must now go): then the
                // receipts are written before the next batch is read again (a batch sent ahead holds neither kind of
                // event). Otherwise they are written while the next batch goes out, and the mark they keep is known
                // here already.
                let stamp = now()
                if answer.results.contains(where: { $0.status == .rejected }) || batch.contains(where: \.wasRejected) {
                    prefetch.discard()
                    try registry.station.recordReceipts(answer.results, server: server, head: answer.head, now: stamp)
                    expected = try registry.station.centralMark()
                } else {
                    let (registry, server, results, head) = (registry, server, answer.results, answer.head)
                    receiptsWrite = BackgroundWork {
                        try registry.station.recordReceipts(results, server: server, head: head, now: stamp)
                    }
                    expected = StationState.furthest(expected, head)
                }
                for (pushed, result) in zip(batch, answer.results) {
                    switch result.status {
                    case .created: report.created += 1
                    case .duplicate: report.duplicates += 1
                    case .rejected:
                        report.rejected.append(RejectedEvent(event: try pushed.event(), reason: result.reason ?? ""))
                    }
                }
                report.pushed += batch.count
                progress("pushed", report.pushed, pushTotal)
                _ = machine.pushed(lastSequence: last.sequence)
            case .pull(let after):
                defer { report.pullTime += ContinuousClock.now - stepStart }
                // Where the server stored this station's own events after the cursor (its push answers said so): the
                // pull names them and is not sent them back. Read with the mark, for each group: both belong to the
                // log the mark names, which the answer is checked against (another sync of this database may have
                // forgotten the log and written receipts for a new one since).
                let kept = try registry.station.markAndHeldRuns(server: server, after: after)
                expected = kept.mark
                let held = HeldRuns(kept.held) ?? .none
                let key = PageKey(after: after, mark: expected, first: isNew, held: held)
                let group = try pages.take(key) ?? Self.readPages(key, client: client)
                // Each page is checked against the mark the pages before it leave kept (the first, against the one
                // kept): a page from another log means none of the group is stored.
                var mark = expected
                var fromAnotherLog = false
                for page in group {
                    if try isFromAnotherLog(page.mark, named: mark) {
                        fromAnotherLog = true
                        break
                    }
                    mark = StationState.furthest(mark, page.head)
                }
                if fromAnotherLog { continue }
                let last = group[group.count - 1]
                // While this group is stored, the next is asked for and read, naming the mark this group leaves kept;
                // it is used only when that is the mark kept then (else asked for again), and checked like any answer.
                if last.more {
                    let next = PageKey(after: last.next, mark: mark, first: isNew, held: held.after(last.next))
                    pages.start(next) { [client] in try Self.readPages(next, client: client) }
                }
                // The mark this leaves kept is read with the held runs at the next pull step (nothing else reads it).
                report.stored += try registry.station.storePulled(group, server: server, now: now())
                report.pulled += group.reduce(0) { $0 + $1.events.count }
                report.cursor = last.next
                progress("pulled", report.pulled, nil)
                _ = machine.pulled(next: last.next, more: last.more)
            case .done:
                logger.info("sync done", metadata: ["pushed": "\(report.pushed)", "pulled": "\(report.pulled)"])
                return report
            }
        }
    }

    /// What this station may send the server in one push: its own limits narrowed to those the server announces in
    /// `GET /v1/health`, or to `PushLimits.unannounced` when it announces none (a server older than the field).
    func pushLimits() throws -> SyncWire.PushLimits {
        let health = try Self.decode(SyncWire.Health.self, try client.get("/v1/health"))
        guard let announced = health.push else {
            logger.info(
                "the central server announces no push limits; sending at most the older servers' limits",
                metadata: ["server": "\(server)", "max_events": "\(SyncWire.PushLimits.unannounced.maxEvents)"])
            return ownPushLimits.narrowed(to: .unannounced)
        }
        if let wrong = announced.nonPositive {
            throw DragnetError(
                .failure,
                "the central server at \(server) announces push.\(wrong) in GET /v1/health; a limit must be 1 or more")
        }
        return ownPushLimits.narrowed(to: announced)
    }

    /// `?mark=S` (or `&mark=S` after `separator` `&`) naming the kept mark, or nothing when none is kept.
    static func markQuery(_ separator: String, _ mark: SyncWire.LogMark?) -> String {
        mark.map { "\(separator)mark=\($0.sequence)" } ?? ""
    }

    /// The query of a push naming the kept mark `mark` and, when numbered, its sync and order.
    static func pushQuery(mark: SyncWire.LogMark?, sync: UUID?, order: Int?) -> String {
        var parameters: [String] = []
        if let mark { parameters.append("mark=\(mark.sequence)") }
        if let sync, let order { parameters += ["sync=\(sync.uuidString.lowercased())", "order=\(order)"] }
        return parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&")
    }

    /// The pull request of the page after `after`, naming the kept mark `mark`; a new station's first (`first`, after
    /// 0) says so; the runs of its own events it holds after `after` (`held`), which are not sent back.
    static func pullPath(_ after: Int64, _ mark: SyncWire.LogMark?, first: Bool = false, held: HeldRuns = .none)
        -> String
    {
        let runs = held.after(after).query
        return "/v1/events?after=\(after)&limit=\(SyncWire.maxPullPage)" + markQuery("&", mark)
            + (first && after == 0 ? "&first=1" : "") + (runs.isEmpty ? "" : "&held=\(runs)")
    }

    /// How many times a sync starts again when the central log changes under it before it gives up.
    static let maxRestarts = 3

    /// Asks the server for the fingerprint of the newest position of its log this station saw at its last sync; when
    /// it differs (or the position is gone), the receipts and cursors describe another log, and are forgotten, so
    /// that no event this station recorded stays missing from the server and nothing the server holds is skipped.
    func checkCentralLog() throws -> ForgottenSync? {
        guard let mark = try registry.station.centralMark() else { return nil }
        guard try logMark(at: mark.sequence) != mark else { return nil }
        let forgotten = try registry.station.forgetCentralLog()
        logger.warning(
            "the central log has changed since the last sync; offering every event again and reading its log again",
            metadata: [
                "server": "\(server)", "sequence": "\(mark.sequence)", "receipts_forgotten": "\(forgotten.receipts)",
            ])
        return forgotten
    }

    /// The fingerprint of the server's log at `sequence` now (`GET /v1/log/mark`).
    func logMark(at sequence: Int64) throws -> SyncWire.LogMark {
        try Self.decode(SyncWire.LogMark.self, try client.get("/v1/log/mark?sequence=\(sequence)"))
    }

    /// The pages to store in one transaction from `key` on: up to `eventsPerTransaction` events, each page asked
    /// after the cursor the one before it leaves and naming the mark it leaves kept (the main loop checks each mark
    /// before anything is stored). The last page says whether more follow.
    static func readPages(_ key: PageKey, client: CentralClient) throws -> [SyncWire.PullResponse] {
        var group: [SyncWire.PullResponse] = []
        var key = key
        var events = 0
        while true {
            let page = try readPage(client.get(pullPath(key.after, key.mark, first: key.first, held: key.held)))
            group.append(page)
            events += page.events.count
            // A page from another log ends the group: the main loop sees it and starts again.
            guard page.more, events < eventsPerTransaction, key.mark.map({ page.mark == $0 }) ?? true else {
                return group
            }
            key = PageKey(
                after: page.next, mark: StationState.furthest(key.mark, page.head), first: key.first, held: key.held)
        }
    }

    /// About how many pulled events a station stores in one transaction (pages of up to `SyncWire.maxPullPage`
    /// events, gathered): one commit for several pages, the projections' index pages written once for all of them.
    static let eventsPerTransaction = 4_000

    /// A pull page: a page of this server reads fast; anything else, and every error, is `JSONDecoder`'s
    /// (`EventJSON`).
    static func readPage(_ body: [UInt8]) throws -> SyncWire.PullResponse {
        try SyncWire.PullResponse.read(body) ?? decode(SyncWire.PullResponse.self, body)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            throw DragnetError(.failure, "the central server's answer could not be read: \(error)")
        }
    }
}

/// One piece of work running on another thread, whose result is waited for.
final class BackgroundWork<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the work's thread before `done` is signalled; read only after waiting for it.
    private var result: Result<T, any Error>?

    /// Starts `body` on a thread of Dispatch's pool, or on a thread of its own when `ownThread` (work that waits on
    /// the network, which should hold none of the pool's threads: a server in the same process runs on them).
    init(ownThread: Bool = false, _ body: @escaping @Sendable () throws -> T) {
        let run: @Sendable () -> Void = {
            self.result = Result(catching: body)
            self.done.signal()
        }
        if ownThread {
            Thread.detachNewThread(run)
        } else {
            DispatchQueue.global().async(execute: run)
        }
    }

    /// Waits for the work to end (again and again if asked) and gives its result.
    func wait() throws -> T {
        done.wait()
        done.signal()
        return try result!.get()
    }
}

/// A push sent and not yet handled: after which outbox sequence number it was read, what it carries, the mark its
/// request named, its number in the sync (nil: unnumbered) and its answer, awaited on a thread of its own.
struct PushInFlight {
    let after: Int64
    let push: OutgoingPush
    let mark: SyncWire.LogMark?
    let order: Int?
    let answer: BackgroundWork<[UInt8]>
}

/// One push as it goes out: the events of the outbox that fit the limits, and its body, gzip'd.
struct OutgoingPush: Sendable {
    var events: [OutgoingEvent]
    var body: [UInt8]

    /// The next push after `after`: as many events as `limits` let one push carry (the events the byte limits leave
    /// out come first in the next one), and their body compressed.
    static func read(after: Int64, from registry: Registry, _ limits: SyncWire.PushLimits) throws -> OutgoingPush {
        let read = try registry.station.outgoing(after: after, limit: limits.maxEvents)
        let events = Array(read.prefix(limits.fitting(read)))
        return OutgoingPush(events: events, body: try Gzip.compress(SyncWire.pushBody(events)))
    }
}

/// Work started ahead on another thread and taken when the sync gets to it, named by a key: the next push, read from
/// the outbox and compressed while the server judges the current one (a station's reads do not wait for its writes in
/// WAL mode), and the next pull page, asked for and read while the station stores the current one (a province's
/// station pulls every event of the province, 544 pages in the bench, one after the other). Nothing is stored from a
/// prefetched value until the main loop takes it and handles it as any other (a page's mark is checked, it is stored
/// with its cursor in one transaction).
final class Prefetch<Key: Equatable, Value: Sendable> {
    /// The work being done, and for which key.
    private var pending: (key: Key, work: BackgroundWork<Value>)?
    /// Whether the work runs on a thread of its own (`BackgroundWork`): work that waits on the network.
    private let ownThread: Bool

    init(ownThread: Bool = false) { self.ownThread = ownThread }

    /// Starts `body`, the work for `key` (forgetting any other).
    func start(_ key: Key, _ body: @escaping @Sendable () throws -> Value) {
        discard()
        pending = (key, BackgroundWork(ownThread: ownThread, body))
    }

    /// The value for `key` when it is the one being made (waiting for it), else nil (the other work is waited for
    /// and forgotten).
    func take(_ key: Key) throws -> Value? {
        guard let pending, pending.key == key else {
            discard()
            return nil
        }
        self.pending = nil
        return try pending.work.wait()
    }

    /// Forgets the work being done (after waiting for it to end).
    func discard() {
        _ = try? pending?.work.wait()
        pending = nil
    }
}

/// A pull page asked for ahead: after which cursor, naming which mark, whether as a new station (`first`).
struct PageKey: Equatable {
    var after: Int64
    var mark: SyncWire.LogMark?
    var first = false
    var held = HeldRuns.none
}
