import Foundation
import Testing

@testable import DragnetCore

/// The national scope `*` (SPEC §9): parsed only where a scope is asked for, covering every code, its rows the
/// provinces, its figures those of §5 unchanged.
@Suite("National scope *: the code and the figures")
struct NationalScopeTests {
    static func unit(_ text: String) -> UnitCode { MetricsFixture.unit(text) }

    @Test(
        "* is read only as a scope; other texts the same way by both parsers",
        arguments: [
            ("*", nil, "*"), ("79", "79", "79"), ("79.26734", "79.26734", "79.26734"), ("**", nil, nil),
            ("*.79", nil, nil), ("79.*", nil, nil), (" *", nil, nil), ("", nil, nil),
        ] as [(String, String?, String?)])
    func parsing(text: String, asUnit: String?, asScope: String?) {
        #expect(UnitCode(text)?.rawValue == asUnit)
        #expect(UnitCode(scope: text)?.rawValue == asScope)
    }

    @Test("a * in JSON is not a unit code: events and other records refuse it")
    func decodingIsStrict() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([UnitCode].self, from: Data(#"["*"]"#.utf8)) }
        #expect(throws: Never.self) { try JSONDecoder().decode([UnitCode].self, from: Data(#"["79"]"#.utf8)) }
    }

    @Test("* covers every code and itself; no code covers *")
    func covers() {
        for code in ["79", "79.26734", "01.001.00004", "central", "8"] {
            #expect(UnitCode.national.covers(Self.unit(code)), "\(code)")
            #expect(!Self.unit(code).covers(.national), "\(code)")
        }
        #expect(UnitCode.national.covers(.national))
        #expect(UnitCode.national.isNational && !Self.unit("79").isNational)
    }

    @Test(
        "the unit directly below * is the province: the first segment",
        arguments: [("79", "79"), ("79.26734", "79"), ("01.001.00004", "01"), ("790.1", "790")])
    func childTowardIsTheProvince(code: String, province: String) {
        #expect(UnitCode.national.child(toward: Self.unit(code))?.rawValue == province)
    }

    @Test("* has no unit below it on the way to itself")
    func childTowardItself() {
        #expect(UnitCode.national.child(toward: .national) == nil)
        #expect(UnitCode.national.segments.isEmpty)
    }

    @Test(
        "depth: 0 for *, else the number of segments",
        arguments: [("*", 0), ("79", 1), ("79.26734", 2), ("01.001.00004", 3)])
    func depth(text: String, depth: Int) throws {
        #expect(try #require(UnitCode(scope: text)).depth == depth)
    }

    // MARK: - Figures over three provinces

    /// The period is 2020 (MetricsFixture's default).
    ///
    /// Wanted cases:
    /// - 79.1, opened 2019-05-01, arrested 2020-03-01: existing, arrested → province 79
    /// - 79.2.3, opened 2019-06-01, open: existing, open → province 79
    /// - 01.001.00004, opened 2018-01-01, surrendered 2020-07-07: existing, surrendered → province 01
    /// - 01 (the province itself), opened 2020-02-02, open: new, open → province 01
    /// - 790.5, opened 2020-04-04, died 2020-05-05: new, died → province 790 (not 79: another first segment)
    /// - 80.1, opened 2019-01-01, arrested 2019-12-31: closed before `from`, not counted
    static let wanted = [
        MetricsFixture.wanted("79.1", opened: "2019-05-01", .arrested, on: "2020-03-01"),
        MetricsFixture.wanted("79.2.3", opened: "2019-06-01"),
        MetricsFixture.wanted("01.001.00004", opened: "2018-01-01", .surrendered, on: "2020-07-07"),
        MetricsFixture.wanted("01", opened: "2020-02-02"),
        MetricsFixture.wanted("790.5", opened: "2020-04-04", .died, on: "2020-05-05"),
        MetricsFixture.wanted("80.1", opened: "2019-01-01", .arrested, on: "2019-12-31"),
    ]

    /// Release cases:
    /// - amnesty, 79.1, released 2019-01-01, reoffended 2020-06-06: population, reoffended → 79
    /// - early_release, 01.002, released 2020-03-03: population → 01
    /// - sentence_completed, 80.1, released 2019-01-01, transferred to 79.3 from 2020-05-01: responsible on `to` is
    ///   79.3 → population of 79, not of 80
    /// - amnesty, 80.2, released 2021-01-01: after `to`, not counted
    static let releases = [
        MetricsFixture.release(.amnesty, "79.1", released: "2019-01-01", .reoffended, on: "2020-06-06"),
        MetricsFixture.release(.earlyRelease, "01.002", released: "2020-03-03"),
        MetricsFixture.release(
            .sentenceCompleted, "80.1", released: "2019-01-01", transfers: [("2020-05-01", "79.3")]),
        MetricsFixture.release(.amnesty, "80.2", released: "2021-01-01"),
    ]

    static func report(scope: UnitCode, targets: TargetBook = TargetBook()) -> PlanReport {
        PlanMetrics.compute(
            wanted: wanted, releases: releases, scope: scope, from: MetricsFixture.from, to: MetricsFixture.to,
            asOf: nil, targets: targets)
    }

    @Test("national totals are the sum of the provinces; the rows are the provinces, sorted")
    func nationalFigures() {
        let report = Self.report(scope: .national)
        #expect(report.scope == .national)
        // Existing: 79.1 (arrested), 79.2.3 (open), 01.001.00004 (surrendered) → count 3, captured 2, rate 2/3.
        #expect(CaptureCounts(report.wanted.existing) == CaptureCounts(3, 2, 1, 1, 0, 0, 1))
        #expect(report.wanted.existing.rate == 2.0 / 3.0)
        // New: 01 (open), 790.5 (died) → count 2, captured 0, rate 0.
        #expect(CaptureCounts(report.wanted.new) == CaptureCounts(2, 0, 0, 0, 1, 0, 1))
        #expect(report.wanted.new.rate == 0)
        // Released: 79.1 (amnesty, reoffended), 01.002 (early release), 80.1 → 79.3 (sentence completed): 1 of 3.
        #expect(report.reoffending.population == 3 && report.reoffending.reoffended == 1)
        #expect(report.reoffending.byType.amnesty.population == 1 && report.reoffending.byType.amnesty.reoffended == 1)
        #expect(report.reoffending.byType.earlyRelease.population == 1)
        #expect(report.reoffending.byType.sentenceCompleted.population == 1)

        // Rows: 01, 79, 790 in code order; no row 80 (its wanted case closed before 2020, its release cases moved
        // away or released after 2020), no row for any commune.
        #expect(report.units.map(\.unit.rawValue) == ["01", "79", "790"])
        // 01: existing 01.001.00004 (surrendered); new 01 (open); population 01.002.
        // 79: existing 79.1 (arrested) and 79.2.3 (open); no new; population 79.1 (reoffended) and 79.3.
        // 790: new 790.5 (died).
        #expect(
            report.units.map { CaptureCounts($0.wanted.existing) } == [
                CaptureCounts(1, 1, 0, 1, 0, 0, 0), CaptureCounts(2, 1, 1, 0, 0, 0, 1), .none,
            ])
        #expect(
            report.units.map { CaptureCounts($0.wanted.new) } == [
                CaptureCounts(1, 0, 0, 0, 0, 0, 1), .none, CaptureCounts(1, 0, 0, 0, 1, 0, 0),
            ])
        #expect(report.units.map(\.reoffending.population) == [1, 2, 0])
        #expect(report.units.map(\.reoffending.reoffended) == [0, 1, 0])
    }

    @Test("each province's row equals the totals of that province's own report")
    func rowsMatchProvinceReports() {
        let national = Self.report(scope: .national)
        for row in national.units {
            let province = Self.report(scope: row.unit)
            #expect(row.wanted == province.wanted, "\(row.unit)")
            #expect(row.reoffending == province.reoffending, "\(row.unit)")
        }
    }

    @Test("targets set for * hold everywhere a province does not override them")
    func nationalTargets() throws {
        var book = TargetBook()
        let countryWide = try Targets(existingCapture: 0.6, newCapture: 0.1, reoffending: 0.5)
        let hcmc = try Targets(existingCapture: 0.4, newCapture: 0.5, reoffending: 0.15)
        book.set(countryWide, for: .national)
        book.set(hcmc, for: Self.unit("79"))
        #expect(book.targets(for: .national) == countryWide)
        #expect(book.targets(for: Self.unit("01.001.00004")) == countryWide)
        #expect(book.targets(for: Self.unit("790")) == countryWide)
        #expect(book.targets(for: Self.unit("79.26734")) == hcmc)

        let report = Self.report(scope: .national, targets: book)
        // The country: existing 2/3 ≥ 0.6 met; new 0/2 ≥ 0.1 not met; reoffending 1/3 < 0.5 met.
        #expect(report.wanted.existing.target == 0.6 && report.wanted.existing.met == true)
        #expect(report.wanted.new.target == 0.1 && report.wanted.new.met == false)
        #expect(report.reoffending.target == 0.5 && report.reoffending.met == true)
        // 79 by its own targets: existing 1/2 = 0.5 ≥ 0.4 met (it would fail the country's 0.6); reoffending
        // 1/2 = 0.5 < 0.15 not met.
        let row79 = try #require(report.units.first { $0.unit.rawValue == "79" })
        #expect(row79.wanted.existing.target == 0.4 && row79.wanted.existing.met == true)
        #expect(row79.reoffending.target == 0.15 && row79.reoffending.met == false)
        // 01 by the country's: existing 1/1 ≥ 0.6 met; new 0/1 ≥ 0.1 not met.
        let row01 = try #require(report.units.first { $0.unit.rawValue == "01" })
        #expect(row01.wanted.existing.target == 0.6 && row01.wanted.new.met == false)
    }

    @Test("the report's JSON says \"scope\": \"*\" and reads back; the table names the whole country")
    func formats() throws {
        let report = Self.report(scope: .national)
        let json = try report.jsonString()
        #expect(json.hasPrefix(#"{"scope":"*","from":"2020-01-01","to":"2020-12-31","as_of":null,"#))
        #expect(try JSONDecoder().decode(PlanReport.self, from: Data(json.utf8)) == report)
        let table = report.table(observedOn: MetricsFixture.day("2021-01-15"))
        #expect(table.hasPrefix("Plan figures for * (whole country), 2020-01-01 to 2020-12-31,"))
        #expect(report.csv().split(separator: "\n")[1].hasPrefix("scope,*,2020-01-01,2020-12-31,,3,2,"))
    }

    @Test("the cohort view works for * and its JSON reads back")
    func cohort() throws {
        // Released in 2020: only 01.002 (2020-03-03); the others were released in 2019 or 2021.
        let report = CohortMetrics.compute(
            releases: Self.releases, scope: .national, from: MetricsFixture.from, to: MetricsFixture.to,
            observedOn: MetricsFixture.day("2026-01-01"), horizonsInYears: [1], releaseType: nil, asOf: nil)
        #expect(report.cohortSize == 1)
        #expect(try JSONDecoder().decode(CohortReport.self, from: try report.jsonData()) == report)
        #expect(report.table().hasPrefix("Reoffending cohort for * (whole country):"))
    }
}
