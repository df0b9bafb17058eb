import Foundation
import Testing

@testable import DragnetServer

/// `PushOrder` on its own: which numbered push may be judged when (docs/protocol.md, "Two pushes in flight").
@Suite struct PushOrderUnitTests {
    @Test func theFirstPushOfASyncGoesAndALaterOneOfAnUnknownSyncIsRefused() async {
        let order = PushOrder()
        #expect(await order.turn(sync: UUID(), order: 1))
        let unknown = UUID()
        #expect(await order.turn(sync: unknown, order: 2) == false)
        // Refused at once from then on when it cannot go at once, not kept waiting for a push 2 that was refused.
        #expect(await order.turn(sync: unknown, order: 3) == false)
        // Push 1 of that sync still goes, and so does push 2 after it is stored.
        #expect(await order.turn(sync: unknown, order: 1))
        await order.stored(sync: unknown, order: 1)
        #expect(await order.turn(sync: unknown, order: 2))
    }

    /// A sync of `order` whose push 1 is stored and push 2 is being stored, and its push 3 asking for its turn
    /// (it waits).
    static func thirdWaiting(on order: PushOrder) async throws -> (sync: UUID, third: Task<Bool, Never>) {
        let sync = UUID()
        #expect(await order.turn(sync: sync, order: 1))
        await order.stored(sync: sync, order: 1)
        #expect(await order.turn(sync: sync, order: 2))
        let third = Task { await order.turn(sync: sync, order: 3) }
        try await Task.sleep(for: .milliseconds(100))
        return (sync, third)
    }

    @Test func aPushWaitsForTheOneBeforeItAndGoesWhenItIsStored() async throws {
        let order = PushOrder(patience: .seconds(3600))
        let (sync, third) = try await Self.thirdWaiting(on: order)
        // A retry of push 1 or 2 goes at once meanwhile (its events are then duplicates).
        #expect(await order.turn(sync: sync, order: 1))
        #expect(await order.turn(sync: sync, order: 2))
        await order.stored(sync: sync, order: 2)
        #expect(await third.value)
        #expect(await order.storedOrder(sync: sync) == 2)
    }

    @Test func aPushWaitingLongerThanThePatienceIsRefusedAndSoAreLaterOnes() async {
        let order = PushOrder(patience: .milliseconds(50))
        let sync = UUID()
        #expect(await order.turn(sync: sync, order: 1))
        await order.stored(sync: sync, order: 1)
        // Push 2 never comes: push 3 waits 50 ms, then is refused.
        #expect(await order.turn(sync: sync, order: 3) == false)
        #expect(await order.turn(sync: sync, order: 4) == false)
        // Push 2 may still go: the push before it is stored.
        #expect(await order.turn(sync: sync, order: 2))
    }

    @Test func aFailedPushRefusesTheOnesWaitingForItAtOnce() async throws {
        let order = PushOrder(patience: .seconds(3600))
        let (sync, third) = try await Self.thirdWaiting(on: order)
        await order.failed(sync: sync, order: 2)
        #expect(await third.value == false)
        // A failure of a push already stored (its answer failed after the commit) refuses nothing.
        let other = UUID()
        #expect(await order.turn(sync: other, order: 1))
        await order.stored(sync: other, order: 1)
        await order.failed(sync: other, order: 1)
        #expect(await order.turn(sync: other, order: 2))
    }

    @Test func syncsBeyondTheCapacityAreForgottenOldestFirst() async {
        let order = PushOrder(capacity: 4)
        let syncs = (0..<6).map { _ in UUID() }
        for sync in syncs {
            #expect(await order.turn(sync: sync, order: 1))
            await order.stored(sync: sync, order: 1)
        }
        // Adding the fifth found four kept and forgot the two seen longest ago (capacity / 2 kept); the sixth was
        // then added: syncs 2 to 5 are known.
        #expect(await order.storedOrder(sync: syncs[0]) == nil)
        #expect(await order.storedOrder(sync: syncs[1]) == nil)
        for sync in syncs[2...] { #expect(await order.storedOrder(sync: sync) == 1) }
    }
}
