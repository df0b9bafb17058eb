import Foundation
import Testing

@testable import DragnetCore

/// The figures route answers from memory while the file has not changed (`DataVersion`, `KeptRequests`): the token,
/// the settings and the state of the log are read again after any commit — by this process's writer or by another
/// connection, as `dragnet token revoke` or `dragnet targets` run while the server serves — so a revoked token is
/// refused, new targets are in the report, and a new event is counted, at the very next request.
@Suite("Figures requests answered from memory while the file has not changed")
struct KeptRequestsTests {
    static let hash = String(repeating: "a", count: 64)
    static let year = try! Period.year(2020)
    static let observed = LocalDate("2026-11-26")!

    struct Unauthorized: Error {}

    /// What the metrics route asks for: the token's own scope, the year 2020.
    static func query(_ token: AccessToken?) throws -> Figures.FiguresQuery {
        guard let token else { throw Unauthorized() }
        return .init(scope: token.unit, period: year, asOf: nil, observedOn: observed)
    }

    /// A central database holding one wanted case and one release case of each of two provinces (79.26734 and 01;
    /// each wanted case opened 2020-02-02 and still open), a national headquarters token, and the facts kept as
    /// `dragnet serve` keeps them.
    static func central() throws -> TestRegistry {
        let (central, _, _) = try NationalScopeRegistryTests.twoProvinces()
        _ = try central.registry.central.addToken(
            hash: hash, unit: .national, role: .hq, label: "national HQ", now: TestRegistry.now)
        try central.registry.figures.prepare()
        return central
    }

    static func kept(_ registry: Registry) throws -> Data? {
        try registry.figures.keptPlanReportJSON(tokenHash: hash, resolve: query)
    }

    static func asked(_ registry: Registry) throws -> Data {
        try registry.figures.planReportJSON(tokenHash: hash, resolve: query)
    }

    @Test("the second request for a report is answered from memory with the same bytes; another token's is not")
    func servedFromMemory() throws {
        let central = try Self.central()
        #expect(try Self.kept(central.registry) == nil, "nothing is kept before the first request")
        let first = try Self.asked(central.registry)
        let kept = try #require(try Self.kept(central.registry))
        #expect(kept == first)
        // New wanted persons in 2020, whole country: TN-1 of 79.26734 and TN-1 of 01, both opened 2020-02-02 = 2.
        #expect(String(decoding: kept, as: UTF8.self).contains(#""new":{"count":2,"captured":0,"#))
        #expect(
            try central.registry.figures.keptPlanReportJSON(
                tokenHash: String(repeating: "b", count: 64), resolve: Self.query) == nil,
            "a token not asked before is read from the database first")
    }

    @Test("a token revoked by another connection is refused at the next request, and at every one after it")
    func revokedElsewhere() throws {
        let central = try Self.central()
        _ = try Self.asked(central.registry)
        #expect(try Self.kept(central.registry) != nil)
        // What `dragnet token revoke --db` does while the server runs: another process, another connection.
        let other = try Registry.open(at: central.registry.path)
        let id = try #require(try other.central.tokens().first { $0.unit.isNational }?.id)
        #expect(try other.central.revokeToken(id: id, now: TestRegistry.now))
        #expect(try Self.kept(central.registry) == nil, "the file changed: what was kept is not used")
        #expect(throws: Unauthorized.self) { try Self.asked(central.registry) }
        #expect(try Self.kept(central.registry) == nil, "a token that is not live is never kept")
        #expect(throws: Unauthorized.self) { try Self.asked(central.registry) }
    }

    @Test("a token revoked by the server's own writer is refused at the next request")
    func revokedHere() throws {
        let central = try Self.central()
        _ = try Self.asked(central.registry)
        let id = try #require(try central.registry.central.tokens().first { $0.unit.isNational }?.id)
        #expect(try central.registry.central.revokeToken(id: id, now: TestRegistry.now))
        #expect(try Self.kept(central.registry) == nil, "the file changed: what was kept is not used")
        #expect(throws: Unauthorized.self) { try Self.asked(central.registry) }
        #expect(try Self.kept(central.registry) == nil, "a token that is not live is never kept")
        #expect(throws: Unauthorized.self) { try Self.asked(central.registry) }
    }

    @Test("targets set by another connection are in the next report")
    func targetsSetElsewhere() throws {
        let central = try Self.central()
        let before = String(decoding: try Self.asked(central.registry), as: UTF8.self)
        #expect(before.contains(#""target":0.3,"#) && !before.contains("0.42"), "the plan's targets at first")
        let other = try Registry.open(at: central.registry.path)
        try other.figures.setTargets(try Targets(existingCapture: 0.42), for: .national)
        #expect(try Self.kept(central.registry) == nil)
        let after = String(decoding: try Self.asked(central.registry), as: UTF8.self)
        #expect(after.contains(#""target":0.42,"#))
        #expect(try Self.kept(central.registry).map { String(decoding: $0, as: UTF8.self) } == after)
    }

    @Test("after an event is stored, the answer from memory is the new report, equal to a fresh process's")
    func afterAPush() throws {
        let central = try Self.central()
        _ = try Self.asked(central.registry)
        var station = try TestRegistry(unit: "79.26737")
        _ = try station.wanted("TN-2", opened: "2020-05-05", name: "Trần Văn Ba")
        let events = try station.registry.station.outbox(after: 0, limit: 100).map(\.event)
        let outcomes = try central.registry.receive(events, policy: .central(now: TestRegistry.now))
        #expect(outcomes.allSatisfy { if case .created = $0 { true } else { false } }, "\(outcomes)")
        #expect(try Self.kept(central.registry) == nil, "the push changed the file")
        let fresh = try Self.asked(central.registry)
        let kept = try #require(try Self.kept(central.registry))
        #expect(kept == fresh)
        // TN-2 opened 2020-05-05 makes three new wanted persons in 2020.
        #expect(String(decoding: kept, as: UTF8.self).contains(#""new":{"count":3,"captured":0,"#))
        let reread = try Registry.open(at: central.registry.path).figures.planReportJSON(
            scope: .national, period: Self.year, asOf: nil, observedOn: Self.observed)
        #expect(kept == reread, "a process that reads the tables anew gives the same bytes")
    }

    @Test("an event stored by another connection is counted at the next request (the facts are read again)")
    func pushedElsewhere() throws {
        let central = try Self.central()
        _ = try Self.asked(central.registry)
        #expect(try Self.kept(central.registry) != nil)
        var station = try TestRegistry(unit: "01.00004")
        _ = try station.wanted("TN-9", opened: "2020-07-07", name: "Phạm Thị Chín")
        let events = try station.registry.station.outbox(after: 0, limit: 100).map(\.event)
        let other = try Registry.open(at: central.registry.path)
        _ = try other.receive(events, policy: .central(now: TestRegistry.now))
        #expect(try Self.kept(central.registry) == nil)
        let reads = central.registry.keptFacts.reads
        let after = try Self.asked(central.registry)
        #expect(central.registry.keptFacts.reads == reads + 1, "another process's write makes the facts be read again")
        // TN-9 opened 2020-07-07 makes three new wanted persons in 2020.
        #expect(String(decoding: after, as: UTF8.self).contains(#""new":{"count":3,"captured":0,"#))
        #expect(try Self.kept(central.registry) == after)
    }

    @Test("a token unknown at one request and added by another connection is accepted at the next")
    func addedElsewhere() throws {
        let central = try Self.central()
        let second = String(repeating: "d", count: 64)
        func ask() throws -> Data {
            try central.registry.figures.planReportJSON(tokenHash: second, resolve: Self.query)
        }
        #expect(throws: Unauthorized.self) { try ask() }
        _ = try Registry.open(at: central.registry.path).central.addToken(
            hash: second, unit: UnitCode("79")!, role: .hq, label: "HCMC", now: TestRegistry.now)
        // Province 79 alone: its ward's TN-1 = 1 new wanted person in 2020.
        #expect(String(decoding: try ask(), as: UTF8.self).contains(#""new":{"count":1,"captured":0,"#))
    }

    @Test("the file's version moves with every commit, by the registry's writer or another connection, not with reads")
    func dataVersion() throws {
        let central = try Self.central()
        let version = DataVersion(path: central.registry.path)
        #expect(version.current(opening: false) == nil, "a caller that must not block never opens the connection")
        let first = try #require(version.current())
        #expect(version.current(opening: false) == first)
        _ = try central.registry.central.tokens()
        #expect(version.current() == first, "a read changes nothing")
        _ = try central.registry.central.addToken(
            hash: String(repeating: "c", count: 64), unit: .national, role: .hq, label: "second", now: TestRegistry.now)
        let second = try #require(version.current())
        #expect(second != first)
        try Registry.open(at: central.registry.path).figures.setTargets(try Targets(newCapture: 0.6), for: .national)
        #expect(version.current() != second)
    }

    @Test("past the limit of tokens kept for a version they are all forgotten; a new version forgets them too")
    func limits() throws {
        let central = try Self.central()
        let settings = try central.registry.read { try Figures.Settings($0) }
        let token = try #require(try central.registry.central.token(hash: Self.hash))
        let kept = KeptRequests()
        for index in 0..<KeptRequests.tokenLimit { kept.keep(token, for: "h\(index)", settings: settings, at: 1) }
        #expect(kept.lookup("h0", at: 1) != nil)
        #expect(kept.lookup("h0", at: 2) == nil, "kept for another version")
        kept.keep(token, for: "one more", settings: settings, at: 1)
        #expect(kept.lookup("h0", at: 1) == nil)
        #expect(kept.lookup("one more", at: 1) != nil)
        kept.keep(token, for: "next", settings: settings, at: 3)
        #expect(kept.lookup("one more", at: 1) == nil && kept.lookup("one more", at: 3) == nil)
        #expect(kept.lookup("next", at: 3) != nil)
        kept.keep(token, for: "late", settings: settings, at: 2)
        #expect(kept.lookup("next", at: 3) != nil, "a slow request's earlier version does not replace a later one")
        #expect(kept.lookup("late", at: 2) == nil)
    }
}
