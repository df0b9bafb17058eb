import Testing

@testable import DragnetCore

@Suite("Plan figures: scope, units and targets")
struct PlanScopeTests {
    /// One open existing case (opened 2019-05-01) owned by each unit.
    static func openCase(_ owner: String) -> WantedFacts { MetricsFixture.wanted(owner, opened: "2019-05-01") }

    @Test(
        "scope 79 covers 79, 79.1 and 79.2.3, not 790, 7 or 80",
        arguments: [
            ("79", true), ("79.1", true), ("79.2.3", true), ("790", false), ("7", false), ("80", false),
            ("790.1", false),
        ])
    func rollUp(owner: String, counted: Bool) {
        let report = MetricsFixture.report(wanted: [Self.openCase(owner)], scope: "79")
        #expect(report.wanted.existing.count == (counted ? 1 : 0))
    }

    @Test("units: one row per unit below the scope, the scope's own row, sorted, only with counted cases")
    func unitRows() {
        let wanted = [
            Self.openCase("79"),  // owned by the scope itself → row "79"
            Self.openCase("79.2.3"),  // → row "79.2"
            Self.openCase("79.2"),  // → row "79.2"
            Self.openCase("79.1.7.9"),  // → row "79.1"
            Self.openCase("790"),  // outside → no row
            // 79.3's only case closed before the period: not counted → no row "79.3".
            MetricsFixture.wanted("79.3", opened: "2018-01-01", .arrested, on: "2019-01-01"),
        ]
        // 79.4 has only a release case: a row with the wanted figures at 0 and a population of 1.
        let releases = [MetricsFixture.release(.amnesty, "79.4.1", released: "2019-09-09")]
        let report = MetricsFixture.report(wanted: wanted, releases: releases, scope: "79")
        #expect(report.units.map(\.unit.rawValue) == ["79", "79.1", "79.2", "79.4"])
        #expect(report.units.map(\.wanted.existing.count) == [1, 1, 2, 0])
        #expect(report.units.map(\.reoffending.population) == [0, 0, 0, 1])
        #expect(report.units[3].wanted.existing.rate == nil)
        // The scope's totals: 4 open existing cases (79, 79.2.3, 79.2, 79.1.7.9), 1 release case.
        #expect(CaptureCounts(report.wanted.existing) == CaptureCounts(4, 0, 0, 0, 0, 0, 4))
        #expect(report.reoffending.population == 1)
    }

    @Test("a leaf scope has itself as its only row")
    func leafScope() {
        let report = MetricsFixture.report(
            wanted: [Self.openCase("79.1"), Self.openCase("79.2")], scope: "79.1")
        #expect(report.units.map(\.unit.rawValue) == ["79.1"])
        #expect(report.units[0].wanted.existing.count == 1)
    }

    @Test("a scope two levels down lists the units directly below it")
    func deeperScope() {
        let report = MetricsFixture.report(
            wanted: [Self.openCase("01.001.00004"), Self.openCase("01.001.00005"), Self.openCase("01.002.00001")],
            scope: "01.001")
        #expect(report.units.map(\.unit.rawValue) == ["01.001.00004", "01.001.00005"])
        #expect(report.wanted.existing.count == 2)
    }

    @Test("a period that ends before it starts counts nothing")
    func reversedPeriod() {
        // Period's own check refuses it; if a caller skips that, no case is counted rather than a half-figure.
        let report = MetricsFixture.report(
            wanted: [Self.openCase("79.1")], releases: [MetricsFixture.release(released: "2019-01-01")],
            from: MetricsFixture.day("2020-12-31"), to: MetricsFixture.day("2020-01-01"))
        #expect(report.wanted.existing.count == 0)
        #expect(report.reoffending.population == 0)
        #expect(report.units.isEmpty)
    }

    @Test("zero denominators give null rates and null results, never 0 or an error")
    func zeroDenominators() throws {
        let report = MetricsFixture.report()
        for figures in [report.wanted.existing, report.wanted.new] {
            #expect(figures.count == 0)
            #expect(figures.rate == nil)
            #expect(figures.met == nil)
        }
        #expect(report.reoffending.rate == nil)
        #expect(report.reoffending.met == nil)
        for type in ReleaseType.allCases { #expect(report.reoffending.byType[type].rate == nil) }
        #expect(report.units.isEmpty)
        // Only new wanted cases: existing is null while new has a rate.
        let onlyNew = MetricsFixture.report(wanted: [MetricsFixture.wanted(opened: "2020-05-05")])
        #expect(onlyNew.wanted.existing.rate == nil)
        #expect(onlyNew.wanted.new.rate == 0)
        #expect(onlyNew.wanted.new.met == false)
    }

    @Test("each unit row is held to its own targets, the totals to the scope's")
    func targetsPerScope() throws {
        var book = TargetBook()
        try book.set(Targets(existingCapture: 0.6), for: MetricsFixture.unit("79.2"))
        try book.set(Targets(existingCapture: 0.1), for: MetricsFixture.unit("79.2.3"))
        // Existing cases: 79.1 has 2, one arrested (1/2 = 0.5); 79.2.3 has 2, one arrested (0.5).
        let wanted = [
            MetricsFixture.wanted("79.1", opened: "2019-01-01", .arrested, on: "2020-02-02"),
            MetricsFixture.wanted("79.1", opened: "2019-01-01"),
            MetricsFixture.wanted("79.2.3", opened: "2019-01-01", .arrested, on: "2020-02-02"),
            MetricsFixture.wanted("79.2.3", opened: "2019-01-01"),
        ]
        let report = MetricsFixture.report(wanted: wanted, scope: "79", targets: book)
        // Scope 79 has no targets of its own → plan default 0.30; 2/4 = 0.5 ≥ 0.30 → met.
        #expect(report.wanted.existing.target == 0.3)
        #expect(report.wanted.existing.met == true)
        // Row 79.1 → default 0.30: 0.5 → met. Row 79.2 → its own 0.6 (79.2.3's 0.1 is for scope 79.2.3 only):
        // 0.5 < 0.6 → not met.
        #expect(report.units.map(\.wanted.existing.target) == [0.3, 0.6])
        #expect(report.units.map(\.wanted.existing.met) == [true, false])
        // New capture and reoffending targets of 79.2 keep the defaults given with it (0.50, 0.15).
        #expect(report.units[1].wanted.new.target == 0.5)
        #expect(report.units[1].reoffending.target == 0.15)
        // Seen from scope 79.2, the row 79.2.3 has its own 0.1 → 0.5 ≥ 0.1 → met; the total uses 79.2's 0.6.
        let inner = MetricsFixture.report(wanted: wanted, scope: "79.2", targets: book)
        #expect(inner.wanted.existing.target == 0.6)
        #expect(inner.wanted.existing.met == false)
        #expect(inner.units.map(\.wanted.existing.met) == [true])
    }

    @Test(
        "the targets of a unit are those of the most specific scope covering it",
        arguments: [
            ("79", 0.4), ("79.1", 0.4), ("79.2", 0.5), ("79.2.3", 0.5), ("79.2.3.4", 0.5), ("790", 0.3),
            ("7", 0.3), ("48", 0.3),
        ])
    func targetLookup(unit: String, expected: Double) throws {
        let book = TargetBook(byScope: [
            MetricsFixture.unit("79"): try Targets(existingCapture: 0.4),
            MetricsFixture.unit("79.2"): try Targets(existingCapture: 0.5),
        ])
        #expect(book.targets(for: MetricsFixture.unit(unit)).existingCapture == expected)
    }

    @Test("a target book can drop a scope's targets")
    func removeTargets() throws {
        var book = TargetBook()
        book.set(try Targets(reoffending: 0.1), for: MetricsFixture.unit("79"))
        #expect(book.targets(for: MetricsFixture.unit("79.1")).reoffending == 0.1)
        book.remove(for: MetricsFixture.unit("79"))
        #expect(book.targets(for: MetricsFixture.unit("79.1")) == .plan)
    }

    @Test("the plan's targets are 0.30, 0.50 and 0.15")
    func planTargets() throws {
        #expect(Targets.plan.existingCapture == 0.30)
        #expect(Targets.plan.newCapture == 0.50)
        #expect(Targets.plan.reoffending == 0.15)
        #expect(try Targets() == Targets.plan)
    }

    @Test("a target that is not a fraction from 0 to 1 is refused, naming it", arguments: [30, -0.1, 1.01, .nan])
    func badTarget(value: Double) {
        #expect(throws: DragnetError.self) { try Targets(newCapture: value) }
        do {
            _ = try Targets(newCapture: value)
        } catch let error as DragnetError {
            #expect(error.code == .usage)
            #expect(error.message.contains("new_capture"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("the boundary targets 0 and 1 are allowed")
    func extremeTargets() throws {
        let targets = try Targets(existingCapture: 0, newCapture: 1, reoffending: 0)
        #expect(targets.newCapture == 1)
    }
}
