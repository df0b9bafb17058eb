import Foundation
import GRDB
import Testing

@testable import DragnetCore

/// What a batch asks the database while it judges: every event on a case is folded with its person's birth date,
/// and a batch asks the store for a person it does not hold once, not once per event (a push of supervision events
/// asked it for most of its events).
@Suite("A batch asks the store for a person once")
struct BatchLookupTests {
    /// `StoredRecords`, counting the persons it is asked for.
    final class CountingLookup: RecordLookup {
        let inner: StoredRecords
        var personAsks = 0
        init(_ inner: StoredRecords) { self.inner = inner }
        func event(withID id: UUID) throws -> Event? { try inner.event(withID: id) }
        func events(ofRecord id: UUID) throws -> [Event] { try inner.events(ofRecord: id) }
        func person(_ id: UUID) throws -> PersonSummary? {
            personAsks += 1
            return try inner.person(id)
        }
        func openWantedCases(of person: UUID) throws -> [(id: UUID, reference: CaseReference)] {
            try inner.openWantedCases(of: person)
        }
        func cases(_ kind: RecordKind, named reference: CaseReference) throws -> [UUID] {
            try inner.cases(kind, named: reference)
        }
        func cases(concerning person: UUID) throws -> [UUID] { try inner.cases(concerning: person) }
    }

    @Test("three supervision events on one release case: the person asked once, every event accepted and stored")
    func personAskedOnce() throws {
        var station = try TestRegistry()
        let release = try station.release("DX-1", on: "2025-01-02")
        let registered = try station.registry.station.outbox(after: 0, limit: 100)
        _ = try station.registry.reportIn(release.label, on: day("2025-01-05"), factory: &station.factory)
        _ = try station.registry.recordContact(
            release.label, kind: .inPerson, note: nil, on: day("2025-02-05"), factory: &station.factory)
        _ = try station.registry.recordContact(
            release.label, kind: .inPerson, note: nil, on: day("2025-03-05"), factory: &station.factory)
        let supervision = try station.registry.station.outbox(after: registered.last?.sequence ?? 0, limit: 100)
            .map(\.event)
        #expect(supervision.count == 3)

        let central = try TestRegistry(unit: "central", role: .central)
        let policy = AppendPolicy.central(now: TestRegistry.now)
        _ = try central.registry.receive(registered.map(\.event), policy: policy)
        let asks = try central.registry.write { db in
            let lookup = CountingLookup(StoredRecords(db: db))
            let checker = Checker(policy: policy, stored: lookup)
            for event in supervision { #expect(try checker.judge(event) == .accepted) }
            try central.registry.store(checker.batch, origin: "remote", in: db)
            return lookup.personAsks
        }
        #expect(asks == 1, "the store was asked for the person \(asks) times")
        let stored = try central.registry.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM event WHERE record_id = ?", arguments: [release.id.lowercased])
        }
        // The registration and the three supervision events of DX-1.
        #expect(stored == 4)
    }
}
