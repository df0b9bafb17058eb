import Foundation

/// The order of one station's pushes when it sends the next before the answer to the last (docs/protocol.md, "Two
/// pushes in flight"). The station names its sync (`sync`, a random id) and numbers its pushes in it (`order`, from
/// 1); the server reads and checks a push's body at once, but judges it only after the push before it in the same
/// sync is stored. An event on a record created by the push before would otherwise be refused, and a refusal is
/// final at the station: the order in which two connections' handlers run must not decide it.
///
/// A push may go when its order is at most one more than the last stored (a retry of a push already stored is
/// judged again: every event is then `duplicate`). Otherwise it waits for its predecessor to be stored, at most
/// `patience`; then, or when the server does not know the sync (it started again since the station's first push:
/// what was stored before is unknown here), it is refused with 409 and so is every later push of that sync that
/// cannot go at once. The station then sends what is left one push at a time, without an order, as before.
///
/// Held in memory only: the last stored order of each sync seen in the last `forgetAfter`, at most `capacity`
/// syncs.
actor PushOrder {
    /// What is known of one sync.
    private struct Sync {
        /// The last order stored (0: none).
        var stored = 0
        /// A push of this sync was refused: later ones that cannot go at once are refused too.
        var refused = false
        var lastSeen: ContinuousClock.Instant
        /// Pushes waiting for their predecessor: order and how to wake them (true: go; false: refused).
        var waiting: [Int: (order: Int, resume: CheckedContinuation<Bool, Never>)] = [:]
    }

    private var syncs: [UUID: Sync] = [:]
    private var nextWaiter = 0
    let patience: Duration
    let forgetAfter: Duration
    let capacity: Int

    init(patience: Duration = .seconds(15), forgetAfter: Duration = .seconds(600), capacity: Int = 10_000) {
        self.patience = patience
        self.forgetAfter = forgetAfter
        self.capacity = capacity
    }

    /// Waits until push `order` of `sync` may be judged; false when it must be refused (409).
    func turn(sync id: UUID, order: Int) async -> Bool {
        let now = ContinuousClock.now
        guard var sync = syncs[id] else {
            // The first push of a sync goes; a later one of a sync not known here cannot be ordered, and neither can
            // the ones after it (kept as refused, so that they do not wait for it).
            forgetOld(now: now)
            syncs[id] = Sync(refused: order != 1, lastSeen: now)
            return order == 1
        }
        sync.lastSeen = now
        syncs[id] = sync
        if order <= sync.stored + 1 { return true }
        if sync.refused { return false }
        let waiter = nextWaiter
        nextWaiter += 1
        let patience = self.patience
        return await withCheckedContinuation { resume in
            syncs[id]?.waiting[waiter] = (order, resume)
            Task { [weak self] in
                try? await Task.sleep(for: patience)
                await self?.giveUp(sync: id, waiter: waiter)
            }
        }
    }

    /// Push `order` of `sync` is stored: the push after it may go.
    func stored(sync id: UUID, order: Int) {
        guard var sync = syncs[id] else { return }
        sync.stored = max(sync.stored, order)
        sync.lastSeen = ContinuousClock.now
        let ready = sync.waiting.filter { $0.value.order <= sync.stored + 1 }
        for key in ready.keys { sync.waiting[key] = nil }
        syncs[id] = sync
        for waiter in ready.values { waiter.resume.resume(returning: true) }
    }

    /// Push `order` of `sync` failed before it was stored (its body, its size, the database): the pushes waiting for
    /// it are refused rather than kept waiting, and so are later ones that cannot go at once. A retry of it may
    /// still go, since its predecessor is stored.
    func failed(sync id: UUID, order: Int) {
        guard let sync = syncs[id], order > sync.stored else { return }
        refuse(id)
    }

    /// The last order stored for `sync`, for tests (nil: not known).
    func storedOrder(sync id: UUID) -> Int? { syncs[id]?.stored }

    private func giveUp(sync id: UUID, waiter: Int) {
        guard syncs[id]?.waiting[waiter] != nil else { return }
        refuse(id)
    }

    /// Marks `sync` refused and refuses the pushes waiting in it.
    private func refuse(_ id: UUID) {
        guard let waiting = syncs[id]?.waiting.values else { return }
        syncs[id]?.refused = true
        syncs[id]?.waiting = [:]
        for waiter in waiting { waiter.resume.resume(returning: false) }
    }

    /// Forgets syncs not seen for `forgetAfter`, and the least recently seen beyond `capacity` (none waiting).
    private func forgetOld(now: ContinuousClock.Instant) {
        guard syncs.count >= capacity else { return }
        syncs = syncs.filter { now - $0.value.lastSeen < forgetAfter || !$0.value.waiting.isEmpty }
        guard syncs.count >= capacity else { return }
        let oldest = syncs.filter { $0.value.waiting.isEmpty }.sorted { $0.value.lastSeen < $1.value.lastSeen }
        for (id, _) in oldest.prefix(syncs.count - capacity / 2) { syncs[id] = nil }
    }
}
