import Foundation
import Testing

@testable import DragnetCore

/// The dashboard's cumulative view within a period: each month's point is the plan's figures from the period's first
/// day to that month's end.
@Suite struct ProgressMetricsTests {
    typealias F = MetricsFixture

    @Test func monthEndsRunToTheLastDay() {
        #expect(
            ProgressMetrics.monthEnds(from: F.day("2020-01-15"), to: F.day("2020-04-10"))
                == ["2020-01-31", "2020-02-29", "2020-03-31", "2020-04-10"].map(F.day))
        #expect(ProgressMetrics.monthEnds(from: F.day("2020-12-31"), to: F.day("2020-12-31")) == [F.day("2020-12-31")])
        #expect(ProgressMetrics.monthEnds(from: F.day("2020-11-30"), to: F.day("2021-01-01")).count == 3)
        #expect(ProgressMetrics.monthEnds(from: F.day("2020-02-01"), to: F.day("2020-01-01")).isEmpty)
    }

    /// Worked by hand, scope 79, period 2020-01-01 … 2020-04-30 (points at 31/1, 29/2, 31/3, 30/4):
    /// - existing: A (opened 2019-05-01, arrested 2020-03-10) and B (2019-06-01, open) are counted at every point;
    ///   A is captured from March: 0/2, 0/2, 1/2, 1/2. D (79.2, opened 2019-01-01, died 2019-12-31) is closed
    ///   before the period: never counted. E is owned by 80: never counted.
    /// - new: C opened 2020-02-15, surrendered 2020-04-01: January counts nothing (no rate), then 0/1, 0/1, 1/1.
    /// - reoffending: R (79.1, released 2019-01-01, reoffended 2020-02-20) is followed at every point and
    ///   reoffended from February; S (79.2, released 2020-03-05) moved to 80.1 on 2020-03-20, so on 31/3 and 30/4
    ///   another province supervises it: never counted; T (80.5, released 2020-03-05) moved to 79.3 on 2020-04-10:
    ///   counted on 30/4 only. So 0/1, 1/1, 1/1, 1/2.
    @Test func aHandWorkedPeriod() {
        let wanted = [
            F.wanted("79.1", opened: "2019-05-01", .arrested, on: "2020-03-10"),
            F.wanted("79.1", opened: "2019-06-01"),
            F.wanted("79.2", opened: "2020-02-15", .surrendered, on: "2020-04-01"),
            F.wanted("79.2", opened: "2019-01-01", .died, on: "2019-12-31"),
            F.wanted("80", opened: "2019-01-01"),
        ]
        let releases = [
            F.release(.amnesty, "79.1", released: "2019-01-01", .reoffended, on: "2020-02-20"),
            F.release(.earlyRelease, "79.2", released: "2020-03-05", transfers: [("2020-03-20", "80.1")]),
            F.release(.sentenceCompleted, "80.5", released: "2020-03-05", transfers: [("2020-04-10", "79.3")]),
        ]
        let points = ProgressMetrics.compute(
            wanted: wanted, releases: releases, scope: F.unit("79"), from: F.day("2020-01-01"),
            to: F.day("2020-04-30"))
        #expect(points.map(\.to) == ["2020-01-31", "2020-02-29", "2020-03-31", "2020-04-30"].map(F.day))
        #expect(points.map(\.existing) == [Ratio(0, of: 2), Ratio(0, of: 2), Ratio(1, of: 2), Ratio(1, of: 2)])
        #expect(points.map(\.new) == [Ratio(0, of: 0), Ratio(0, of: 1), Ratio(0, of: 1), Ratio(1, of: 1)])
        #expect(points[0].new.rate == nil)
        #expect(points.map(\.reoffending) == [Ratio(0, of: 1), Ratio(1, of: 1), Ratio(1, of: 1), Ratio(1, of: 2)])
    }

    /// Every point equals the plan report for the period cut at that point's day (the reference the figures are
    /// trusted by), on random cases with closings, endings and transfers, for several scopes and periods.
    @Test(arguments: ["79", "79.1", "80", "*"])
    func everyPointIsThePlanReportUpToIt(scope: String) {
        var random = SystemRandomNumberGenerator()
        let units = ["79.1", "79.1.5", "79.2", "80", "80.3", "01.00004"]
        func date() -> String {
            let day = LocalDate(dayNumber: F.day("2018-06-01").dayNumber + Int.random(in: 0...1000, using: &random))
            return day.description
        }
        var wanted: [WantedFacts] = []
        var releases: [ReleaseFacts] = []
        for _ in 0..<400 {
            let opened = date()
            let closedOn = date()
            let closed = closedOn >= opened && Bool.random(using: &random)
            wanted.append(
                F.wanted(
                    units.randomElement(using: &random)!, opened: opened,
                    closed ? ClosingKind.allCases.randomElement(using: &random) : nil, on: closed ? closedOn : nil))
            let released = date()
            let endedOn = date()
            let ended = endedOn >= released && Bool.random(using: &random)
            let moved = Bool.random(using: &random)
            releases.append(
                F.release(
                    ReleaseType.allCases.randomElement(using: &random)!, units.randomElement(using: &random)!,
                    released: released,
                    transfers: moved ? [(max(released, date()), units.randomElement(using: &random)!)] : [],
                    ended ? EndingKind.allCases.randomElement(using: &random) : nil, on: ended ? endedOn : nil))
        }
        let scopeCode = UnitCode(scope: scope)!
        for (from, to) in [("2019-01-01", "2019-12-31"), ("2020-03-15", "2020-09-10"), ("2020-02-01", "2020-02-29")] {
            let points = ProgressMetrics.compute(
                wanted: wanted, releases: releases, scope: scopeCode, from: F.day(from), to: F.day(to))
            for point in points {
                let report = PlanMetrics.compute(
                    wanted: wanted, releases: releases, scope: scopeCode, from: F.day(from), to: point.to, asOf: nil,
                    targets: TargetBook())
                #expect(point.existing == Ratio(report.wanted.existing.captured, of: report.wanted.existing.count))
                #expect(point.new == Ratio(report.wanted.new.captured, of: report.wanted.new.count))
                #expect(point.reoffending == Ratio(report.reoffending.reoffended, of: report.reoffending.population))
            }
        }
    }
}
