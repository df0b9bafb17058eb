import Foundation
import Testing

@testable import DragnetCore

/// The national scope `*` in a real SQLite database: tokens and targets stored for it, and what it sees of the
/// central log (every scope-coverage query: pull visibility, open cases, export).
@Suite("National scope *: storage, tokens and pull")
struct NationalScopeRegistryTests {
    static func hash(_ digit: Character) -> String { String(repeating: digit, count: 64) }

    @Test("an hq token for * is listed and found by its hash")
    func tokens() throws {
        let central = try TestRegistry(unit: "central", role: .central)
        let added = try central.registry.central.addToken(
            hash: Self.hash("a"), unit: .national, role: .hq, label: "national HQ", now: TestRegistry.now)
        _ = try central.registry.central.addToken(
            hash: Self.hash("b"), unit: UnitCode("79")!, role: .hq, label: "HCMC", now: TestRegistry.now)
        #expect(try central.registry.central.tokens().map(\.unit.rawValue) == ["*", "79"])
        let found = try #require(try central.registry.central.token(hash: Self.hash("a")))
        #expect(found == added)
        #expect(found.unit.isNational && found.role == .hq)
    }

    @Test("a station token for * is refused and nothing is stored")
    func noStationTokenForTheCountry() throws {
        let central = try TestRegistry(unit: "central", role: .central)
        expectRefusal("a station token needs a unit code") {
            _ = try central.registry.central.addToken(
                hash: Self.hash("c"), unit: .national, role: .station, label: "", now: TestRegistry.now)
        }
        #expect(try central.registry.central.tokens().isEmpty)
    }

    @Test("targets set for * are stored and read back, below a province's own")
    func targets() throws {
        let t = try TestRegistry(unit: "79")
        let countryWide = try Targets(existingCapture: 0.6, newCapture: 0.1, reoffending: 0.5)
        try t.registry.figures.setTargets(countryWide, for: .national)
        try t.registry.figures.setTargets(try Targets(existingCapture: 0.4), for: UnitCode("79")!)
        let book = try t.registry.figures.targetBook()
        #expect(book.targets(for: UnitCode("01.00004")!) == countryWide)
        #expect(book.targets(for: UnitCode("79.26734")!).existingCapture == 0.4)
        try t.registry.figures.setTargets(nil, for: .national)
        #expect(try t.registry.figures.targetBook().targets(for: UnitCode("01.00004")!) == .plan)
    }

    /// A central database holding the events of two stations in two provinces, each with one wanted case and one
    /// release case (events as pushed: `receive` with the central policy). One station is a ward (`79.26734`), the
    /// other a province's own unit (`01`, a code without a dot: the national pattern must match it too).
    static func twoProvinces() throws -> (central: TestRegistry, releases: [String: UUID], wanted: [String: UUID]) {
        let central = try TestRegistry(unit: "central", role: .central)
        var releases: [String: UUID] = [:]
        var wanted: [String: UUID] = [:]
        for unit in ["79.26734", "01"] {
            var station = try TestRegistry(unit: unit)
            wanted[unit] = try station.wanted("TN-1", opened: "2020-02-02", name: "Lê Văn \(unit)").id
            releases[unit] = try station.release("DX-1", on: "2019-09-02").id
            let events = try station.registry.station.outbox(after: 0, limit: 100).map(\.event)
            let outcomes = try central.registry.receive(events, policy: .central(now: TestRegistry.now))
            #expect(outcomes.allSatisfy { if case .created = $0 { true } else { false } }, "\(outcomes)")
        }
        return (central, releases, wanted)
    }

    static func pulledRecords(_ registry: Registry, scope: UnitCode) throws -> Set<UUID> {
        Set(try registry.central.pull(after: 0, scope: scope, limit: 500).events.map(\.event.recordID))
    }

    @Test("a pull for * sees the release cases of every province; a province's pull still sees only its own")
    func pull() throws {
        let (central, releases, wanted) = try Self.twoProvinces()
        let hcmc = try #require(releases["79.26734"]), hanoi = try #require(releases["01"])
        let national = try Self.pulledRecords(central.registry, scope: .national)
        #expect(national.contains(hcmc) && national.contains(hanoi))
        #expect(national.isSuperset(of: wanted.values))

        let province79 = try Self.pulledRecords(central.registry, scope: UnitCode("79")!)
        #expect(province79.contains(hcmc))
        #expect(!province79.contains(hanoi), "01's release case is not 79's to see")
        // Open wanted cases are national: 79 sees 01's too.
        #expect(province79.isSuperset(of: wanted.values))
        let province01 = try Self.pulledRecords(central.registry, scope: UnitCode("01")!)
        #expect(province01.contains(hanoi) && !province01.contains(hcmc))
    }

    @Test("open cases and export for * cover both provinces; for 79 only 79's")
    func openCasesAndExport() throws {
        let (central, _, _) = try Self.twoProvinces()
        let everywhere = try central.registry.records.openCases(scope: .national)
        #expect(Set(everywhere.wanted.map(\.ownerUnit.rawValue)) == ["79.26734", "01"])
        #expect(Set(everywhere.releases.map(\.responsibleUnit.rawValue)) == ["79.26734", "01"])
        let hcmc = try central.registry.records.openCases(scope: UnitCode("79")!)
        #expect(hcmc.wanted.map(\.ownerUnit.rawValue) == ["79.26734"])
        #expect(hcmc.releases.map(\.responsibleUnit.rawValue) == ["79.26734"])

        for (scope, rows) in [(UnitCode.national, 2), (UnitCode("01")!, 1)] {
            var wantedCSV = CSVWriter()
            #expect(try Exporter.exportWanted(central.registry, scope: scope, to: &wantedCSV) == rows, "\(scope)")
            var releasesCSV = CSVWriter()
            #expect(try Exporter.exportReleases(central.registry, scope: scope, to: &releasesCSV) == rows, "\(scope)")
        }
    }
}
