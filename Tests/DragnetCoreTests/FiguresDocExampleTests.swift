import Testing

@testable import DragnetCore

/// The worked example of docs/figures.md, whose figures were worked out by hand there.
@Suite("docs/figures.md worked example")
struct FiguresDocExampleTests {
    @Test("docsWorkedExample: the figures the doc gives")
    func docsWorkedExample() throws {
        let ward1 = "79.26734", ward2 = "79.26737"
        let wanted = [
            MetricsFixture.wanted(ward1, opened: "2018-04-02", .arrested, on: "2020-03-15"),  // A
            MetricsFixture.wanted(ward1, opened: "2019-11-20"),  // B
            MetricsFixture.wanted(ward1, opened: "2019-06-01", .surrendered, on: "2019-12-30"),  // C
            MetricsFixture.wanted(ward2, opened: "2017-09-09", .died, on: "2020-08-01"),  // D
            MetricsFixture.wanted(ward2, opened: "2020-02-10", .arrested, on: "2021-01-05"),  // E
            MetricsFixture.wanted(ward2, opened: "2020-05-05", .surrendered, on: "2020-11-11"),  // F
            MetricsFixture.wanted(ward1, opened: "2020-12-31"),  // G
            MetricsFixture.wanted(ward1, opened: "2019-02-02", .arrested, on: "2020-06-06"),  // H
        ]
        let releases = [
            MetricsFixture.release(.amnesty, ward1, released: "2019-09-02"),  // P
            MetricsFixture.release(.sentenceCompleted, ward1, released: "2016-05-01", .reoffended, on: "2020-07-20"),
            MetricsFixture.release(.earlyRelease, ward2, released: "2020-03-01", .revoked, on: "2020-06-01"),  // R
            MetricsFixture.release(.sentenceCompleted, ward2, released: "2018-01-01", .reoffended, on: "2019-10-10"),
            MetricsFixture.release(.amnesty, ward2, released: "2020-09-02", transfers: [("2020-11-01", "75.26001")]),
            MetricsFixture.release(.amnesty, ward1, released: "2021-01-01"),  // U
            MetricsFixture.release(.sentenceCompleted, ward2, released: "2020-04-30", .reoffended, on: "2021-02-01"),
        ]
        let report = MetricsFixture.report(wanted: wanted, releases: releases, scope: "79")

        // Existing {A, B, D, H}: arrested 2, died 1, open 1; 2/4 = 50 %, met.
        #expect(CaptureCounts(report.wanted.existing) == CaptureCounts(4, 2, 2, 0, 1, 0, 1))
        #expect(report.wanted.existing.rate == 0.5)
        #expect(report.wanted.existing.met == true)
        // New {E, F, G}: surrendered 1, open 2; 1/3, NOT met.
        #expect(CaptureCounts(report.wanted.new) == CaptureCounts(3, 1, 0, 1, 0, 0, 2))
        #expect(report.wanted.new.rate == 1.0 / 3.0)
        #expect(report.wanted.new.met == false)
        // Reoffending {P, Q, R, V}: Q reoffended; 1/4 = 25 %, NOT met. Types: amnesty 0/1, early 0/1, completed 1/2.
        #expect(report.reoffending.population == 4)
        #expect(report.reoffending.reoffended == 1)
        #expect(report.reoffending.rate == 0.25)
        #expect(report.reoffending.met == false)
        #expect(report.reoffending.byType.amnesty == .init(population: 1, reoffended: 0))
        #expect(report.reoffending.byType.earlyRelease == .init(population: 1, reoffended: 0))
        #expect(report.reoffending.byType.sentenceCompleted == .init(population: 2, reoffended: 1))

        #expect(report.units.map(\.unit.rawValue) == [ward1, ward2])
        let (first, second) = (report.units[0], report.units[1])
        // 79.26734: existing {A, B, H} 2 captured (66.7 %, met); new {G} 0 (NOT met); released {P, Q} 1 (NOT met).
        #expect(CaptureCounts(first.wanted.existing) == CaptureCounts(3, 2, 2, 0, 0, 0, 1))
        #expect(first.wanted.existing.met == true)
        #expect(CaptureCounts(first.wanted.new) == CaptureCounts(1, 0, 0, 0, 0, 0, 1))
        #expect(first.wanted.new.met == false)
        #expect(first.reoffending.population == 2 && first.reoffending.reoffended == 1)
        #expect(first.reoffending.met == false)
        // 79.26737: existing {D} 0 (NOT met); new {E, F} 1 (50 %, met); released {R, V} 0 (met).
        #expect(CaptureCounts(second.wanted.existing) == CaptureCounts(1, 0, 0, 0, 1, 0, 0))
        #expect(second.wanted.existing.met == false)
        #expect(CaptureCounts(second.wanted.new) == CaptureCounts(2, 1, 0, 1, 0, 0, 1))
        #expect(second.wanted.new.met == true)
        #expect(second.reoffending.population == 2 && second.reoffending.reoffended == 0)
        #expect(second.reoffending.met == true)

        // Seen from province 75, T is there on 31 December.
        #expect(MetricsFixture.report(releases: releases, scope: "75").reoffending.population == 1)
    }
}
