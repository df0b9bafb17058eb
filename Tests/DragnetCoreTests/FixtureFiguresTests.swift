import Foundation
import Testing

@testable import DragnetCore

/// The figures of the bundled fixture (both stations of province 79 imported into one database) against the figures
/// worked out by hand in Fixtures/README.md (machine-readable copy: Fixtures/expected-figures.json), and against an
/// independent computation straight from the CSV rows for many more periods and scopes.
@Suite struct FixtureFiguresTests {
    static func province() throws -> TestRegistry {
        let t = try TestRegistry(unit: "79")
        let importer = Importer(registry: t.registry, factory: t.factory)
        for station in ["79.26734", "79.26737"] {
            let w = try importer.importWanted(
                path: fixtures.appendingPathComponent("station-\(station)/wanted.csv").path)
            let r = try importer.importReleases(
                path: fixtures.appendingPathComponent("station-\(station)/releases.csv").path)
            #expect(w.committed && r.committed)
        }
        return t
    }

    /// The report's figures, read back from its JSON (the exact output of `dragnet metrics --format json`).
    static func json(_ report: PlanReport) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: try report.jsonData()) as? [String: Any] ?? [:]
    }

    static func counts(_ object: Any?, _ keys: [String]) -> [Int] {
        let dict = object as? [String: Any] ?? [:]
        return keys.map { (dict[$0] as? Int) ?? -1 }
    }

    static let captureKeys = ["count", "captured", "arrested", "surrendered", "died", "struck_off", "open"]

    @Test func figuresEqualTheHandWorkedExpectations() throws {
        let t = try Self.province()
        let data = try Data(contentsOf: fixtures.appendingPathComponent("expected-figures.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(expected.count == 6)
        for entry in expected {
            let scope = try #require(UnitCode(entry["scope"] as? String ?? ""))
            let period = try Period(from: day(entry["from"] as? String ?? ""), to: day(entry["to"] as? String ?? ""))
            let actual = try Self.json(try t.registry.figures.planReport(scope: scope, period: period, asOf: nil))
            let wanted = actual["wanted"] as? [String: Any]
            let label = "\(scope) \(period)"
            for group in ["existing", "new"] {
                #expect(
                    Self.counts(wanted?[group], Self.captureKeys) == Self.counts(entry[group], Self.captureKeys),
                    "\(label) \(group)")
            }
            let reoffending = actual["reoffending"] as? [String: Any]
            let expectedReoffending = entry["reoffending"] as? [String: Any]
            #expect(
                Self.counts(reoffending, ["population", "reoffended"])
                    == Self.counts(expectedReoffending, ["population", "reoffended"]), "\(label) reoffending")
            for type in ReleaseType.allCases.map(\.rawValue) {
                #expect(
                    Self.counts((reoffending?["by_type"] as? [String: Any])?[type], ["population", "reoffended"])
                        == Self.counts(
                            (expectedReoffending?["by_type"] as? [String: Any])?[type],
                            ["population", "reoffended"]), "\(label) \(type)")
            }
        }
    }

    @Test func theProvinceReportListsBothStationsAsUnits() throws {
        let t = try Self.province()
        let report = try t.registry.figures.planReport(scope: UnitCode("79")!, period: try Period.year(2020), asOf: nil)
        #expect(report.units.map(\.unit.rawValue) == ["79.26734", "79.26737"])
        // Fixtures/README.md: existing 2020 for 79.26734 is 8 with 3 captured; for 79.26737, 8 with 4 captured.
        #expect(report.units.map(\.wanted.existing.count) == [8, 8])
        #expect(report.units.map(\.wanted.existing.captured) == [3, 4])
    }

    /// A second, deliberately simple computation of the same definitions straight from the CSV rows: no registry,
    /// no events, no folding.
    struct Independent {
        struct WantedCase { var unit: String; var opened: String; var closing: String; var closingDate: String }
        struct ReleaseCase {
            var unit: String; var type: String; var released: String; var ending: String
            var endingDate: String
        }
        var wanted: [String: WantedCase] = [:]
        var releases: [ReleaseCase] = []

        init() throws {
            for station in ["79.26734", "79.26737"] {
                for row in try Self.rows(fixtures.appendingPathComponent("station-\(station)/wanted.csv")) {
                    let key = row["unit"]! + "/" + row["case_ref"]!
                    var c =
                        wanted[key]
                        ?? WantedCase(
                            unit: row["unit"]!, opened: row["decision_date"]!,
                            closing: row["closing"]!, closingDate: row["closing_date"]!)
                    c.opened = min(c.opened, row["decision_date"]!)
                    wanted[key] = c
                }
                for row in try Self.rows(fixtures.appendingPathComponent("station-\(station)/releases.csv")) {
                    releases.append(
                        ReleaseCase(
                            unit: row["unit"]!, type: row["release_type"]!,
                            released: row["released_on"]!, ending: row["ending"]!, endingDate: row["ending_date"]!))
                }
            }
        }

        static func rows(_ url: URL) throws -> [[String: String]] {
            let reader = try CSVReader(path: url.path)
            guard let header = try reader.next() else { return [] }
            var rows: [[String: String]] = []
            while let record = try reader.next() {
                rows.append(Dictionary(uniqueKeysWithValues: zip(header.fields, record.fields)))
            }
            return rows
        }

        static func inScope(_ unit: String, _ scope: String) -> Bool { unit == scope || unit.hasPrefix(scope + ".") }

        /// [count, captured, arrested, surrendered, died, struck_off, open] for existing (new: false) or new cases.
        func capture(scope: String, from: String, to: String, new: Bool) -> [Int] {
            var out = [0, 0, 0, 0, 0, 0, 0]
            for c in wanted.values where Self.inScope(c.unit, scope) {
                let counted =
                    new
                    ? (c.opened >= from && c.opened <= to)
                    : (c.opened < from && (c.closing.isEmpty || c.closingDate >= from))
                guard counted else { continue }
                out[0] += 1
                let closedInWindow = !c.closing.isEmpty && c.closingDate <= to && (new || c.closingDate >= from)
                if closedInWindow {
                    let index = ["arrested": 2, "surrendered": 3, "died": 4, "struck_off": 5][c.closing]!
                    out[index] += 1
                    if index <= 3 { out[1] += 1 }
                }
                if c.closing.isEmpty || c.closingDate > to { out[6] += 1 }
            }
            return out
        }

        /// [population, reoffended] for one release type, or all when nil.
        func reoffending(scope: String, from: String, to: String, type: String?) -> [Int] {
            var out = [0, 0]
            for r in releases where Self.inScope(r.unit, scope) && (type == nil || r.type == type) {
                guard r.released <= to, r.ending.isEmpty || r.endingDate >= from else { continue }
                out[0] += 1
                if r.ending == "reoffended" && r.endingDate >= from && r.endingDate <= to { out[1] += 1 }
            }
            return out
        }
    }

    @Test func theJSONEqualsAnIndependentComputationFromTheCSVLists() throws {
        let t = try Self.province()
        let independent = try Independent()
        var periods: [Period] = try (2017...2022).map { try Period.year($0) }
        periods += try (1...4).map { try Period.quarter($0, of: 2020) }
        periods += [try Period(from: day("2019-07-01"), to: day("2021-06-30"))]
        for scope in ["79", "79.26734", "79.26737"] {
            for period in periods {
                let actual = try Self.json(
                    try t.registry.figures.planReport(scope: UnitCode(scope)!, period: period, asOf: nil))
                let wanted = actual["wanted"] as? [String: Any]
                let (from, to) = (period.from.description, period.to.description)
                #expect(
                    Self.counts(wanted?["existing"], Self.captureKeys)
                        == independent.capture(scope: scope, from: from, to: to, new: false), "\(scope) \(period)")
                #expect(
                    Self.counts(wanted?["new"], Self.captureKeys)
                        == independent.capture(scope: scope, from: from, to: to, new: true), "\(scope) \(period)")
                let reoffending = actual["reoffending"] as? [String: Any]
                #expect(
                    Self.counts(reoffending, ["population", "reoffended"])
                        == independent.reoffending(scope: scope, from: from, to: to, type: nil), "\(scope) \(period)")
                for type in ReleaseType.allCases.map(\.rawValue) {
                    #expect(
                        Self.counts((reoffending?["by_type"] as? [String: Any])?[type], ["population", "reoffended"])
                            == independent.reoffending(scope: scope, from: from, to: to, type: type), "\(scope) \(type)"
                    )
                }
            }
        }
    }

    @Test func targetsSetForAScopeAreStoredAndUsed() throws {
        let t = try Self.province()
        try t.registry.figures.setTargets(
            try Targets(existingCapture: 0.5, newCapture: 0.5, reoffending: 0.15),
            for: UnitCode("79.26737")!)
        let report = try t.registry.figures.planReport(scope: UnitCode("79")!, period: try Period.year(2020), asOf: nil)
        // 79.26737 in 2020: existing 4 captured of 8 = 0.5, which meets 0.5; 79.26734: 3 of 8 against the plan's 0.3.
        #expect(report.units.map(\.wanted.existing.target) == [0.3, 0.5])
        #expect(report.units[1].wanted.existing.met == true)
        #expect(report.wanted.existing.target == 0.3, "the scope 79 itself keeps the plan's targets")
    }
}
