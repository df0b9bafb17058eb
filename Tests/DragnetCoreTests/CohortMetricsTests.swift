import Foundation
import Testing

@testable import DragnetCore

@Suite("Cohort view: horizons and Kaplan–Meier")
struct CohortMetricsTests {
    /// |a − b| ≤ 1e-12.
    static func close(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) <= 1e-12 } ?? false }

    @Test("Kaplan–Meier on six people, worked by hand")
    func tinyCurve() throws {
        // P1 reoffends on day 0, P2 censored day 2, P3 reoffends day 4, P4 censored day 4, P5 reoffends day 7,
        // P6 censored day 9.
        let curve = KaplanMeierCurve(observations: [
            .init(day: 0, reoffended: true), .init(day: 2, reoffended: false), .init(day: 4, reoffended: true),
            .init(day: 4, reoffended: false), .init(day: 7, reoffended: true), .init(day: 9, reoffended: false),
        ])
        #expect(curve.subjects == 6)
        #expect(curve.events == 3)
        #expect(curve.censored == 3)
        #expect(curve.censoredAfterLastEvent == 1)  // P6, day 9 ≥ 7
        #expect(curve.lastFollowUpDay == 9)
        #expect(curve.points.map(\.day) == [0, 4, 7])
        // Day 0: n = 6, d = 1, nobody censored before. S = 5/6 ≈ 0.833333.
        //   Σ = 1/(6·5) = 1/30; var = (5/6)² · 1/30 = 25/1080 = 5/216 ≈ 0.023148; 1.96·√var ≈ 0.298205;
        //   band 0.535129 … 1.131538 → clipped to 1.
        // Day 4: P2 censored on day 2 → 1 censored since day 0; n = 6 − 1 − 1 = 4 (P3, P4 censored that day is
        //   still at risk, P5, P6); d = 1. S = 5/6 · 3/4 = 5/8 = 0.625.
        //   Σ = 1/30 + 1/(4·3) = 7/60; var = (5/8)² · 7/60 = 35/768 ≈ 0.045573; band 0.206583 … 1.043417 → 1.
        // Day 7: P4 censored on day 4 → 1; n = 4 − 1 − 1 = 2 (P5, P6); d = 1. S = 5/8 · 1/2 = 5/16 = 0.3125.
        //   Σ = 7/60 + 1/(2·1) = 37/60; var = (5/16)² · 37/60 = 185/3072 ≈ 0.060221;
        //   band −0.168485 → 0 … 0.793485.
        #expect(curve.points.map(\.atRisk) == [6, 4, 2])
        #expect(curve.points.map(\.events) == [1, 1, 1])
        #expect(curve.points.map(\.censored) == [0, 1, 1])
        let s = [5.0 / 6, 5.0 / 8, 5.0 / 16], v = [5.0 / 216, 35.0 / 768, 185.0 / 3072]
        let lower = [0.5351288298, 0.2065828437, 0.0], upper = [1.0, 1.0, 0.7934847754]
        for i in 0..<3 {
            let p = curve.points[i]
            #expect(Self.close(p.survival, s[i]), "S at day \(p.day)")
            #expect(Self.close(p.cumulative, 1 - s[i]))
            #expect(Self.close(p.variance, v[i]), "Greenwood variance at day \(p.day)")
            #expect(abs((p.lower ?? -1) - lower[i]) < 1e-9, "lower at day \(p.day)")
            #expect(abs((p.upper ?? -1) - upper[i]) < 1e-9, "upper at day \(p.day)")
        }
        // Between points the estimate stays where it was; before day 0 there is no point (S = 1).
        #expect(curve.point(atDay: 5)?.day == 4)
        #expect(curve.point(atDay: 100)?.day == 7)
        #expect(curve.point(atDay: -1) == nil)
    }

    @Test("when everyone still at risk reoffends (n = d), S is 0 and the variance and band are null")
    func everyoneReoffends() {
        // Day 1: n = 3, d = 1 → S = 2/3; var = (2/3)² · 1/(3·2) = 4/9 · 1/6 = 2/27 ≈ 0.074074.
        // Day 2: n = 2, d = 2 → S = 2/3 · 0 = 0; d/(n(n−d)) divides by 0 → no variance, no band.
        let curve = KaplanMeierCurve(observations: [
            .init(day: 1, reoffended: true), .init(day: 2, reoffended: true), .init(day: 2, reoffended: true),
        ])
        #expect(Self.close(curve.points[0].variance, 2.0 / 27))
        #expect(curve.points[1].survival == 0)
        #expect(curve.points[1].cumulative == 1)
        #expect(curve.points[1].variance == nil)
        #expect(curve.points[1].lower == nil && curve.points[1].upper == nil)
        #expect(curve.censoredAfterLastEvent == 0)
    }

    @Test("no reoffence: no point, everyone censored")
    func noEvent() {
        let curve = KaplanMeierCurve(observations: [.init(day: 3, reoffended: false), .init(day: 8, reoffended: false)])
        #expect(curve.points.isEmpty)
        #expect(curve.censored == 2)
        #expect(curve.censoredAfterLastEvent == 2)
        #expect(curve.lastFollowUpDay == 8)
        #expect(KaplanMeierCurve(observations: []).lastFollowUpDay == nil)
    }

    /// Cohort 2020 in scope 79, observed until 2023-06-30, horizons 1 and 3 years.
    static let cohortFacts: [ReleaseFacts] = [
        // R1: released 2020-06-30, no ending. +1y = 2021-06-30, +3y = 2023-06-30 = observation day → eligible for
        // both (exactly on the boundary). KM: censored at 2023-06-30, 365 · 3 = 1095 days (no 29 February between).
        MetricsFixture.release(.amnesty, released: "2020-06-30"),
        // R2: released 2020-07-01, reoffended 2021-07-01 = release + 1y → reoffended within 1y (date ≤ end).
        // +3y = 2023-07-01 > observation day → not eligible for 3y. KM: event at day 365.
        MetricsFixture.release(.amnesty, released: "2020-07-01", .reoffended, on: "2021-07-01"),
        // R3: released 2020-02-29; +1y = 2021-02-28, +3y = 2023-02-28. Reoffended 2021-03-01: after the 1y end,
        // before the 3y end. KM: 2020-02-29 → 2021-02-28 is 365 days, so 2021-03-01 is day 366.
        MetricsFixture.release(.sentenceCompleted, released: "2020-02-29", .reoffended, on: "2021-03-01"),
        // R4, R5: released the day before from and the day after to → not in the cohort.
        MetricsFixture.release(.amnesty, released: "2019-12-31"),
        MetricsFixture.release(.amnesty, released: "2021-01-01"),
        // R6: released 2020-03-01, died 2020-09-01: eligible for 1y and 3y, not reoffended.
        // KM: censored at day 31 + 30 + 31 + 30 + 31 + 31 = 184 (March … August).
        MetricsFixture.release(.earlyRelease, released: "2020-03-01", .died, on: "2020-09-01"),
        // R7: reoffended on the release day → day 0 event, within every horizon.
        MetricsFixture.release(.amnesty, released: "2020-05-10", .reoffended, on: "2020-05-10"),
        // R8: supervised in province 48 → outside the scope.
        MetricsFixture.release(.amnesty, "48.1", released: "2020-05-10"),
        // R9: transferred out of the scope on to → responsible unit on to is 48.1 → not in the cohort.
        MetricsFixture.release(.amnesty, released: "2020-04-04", transfers: [("2020-12-31", "48.1")]),
    ]

    @Test("horizons: eligible when release + h ≤ observation day, reoffended when on or before release + h")
    func horizons() throws {
        let report = CohortMetrics.compute(
            releases: Self.cohortFacts, scope: MetricsFixture.unit("79"), from: MetricsFixture.from,
            to: MetricsFixture.to,
            observedOn: MetricsFixture.day("2023-06-30"), horizonsInYears: [3, 1])
        // Cohort: R1, R2, R3, R6, R7.
        #expect(report.cohortSize == 5)
        // 1 year: all 5 eligible; reoffended R2 (on the last day), R7 (day 0); R3 is a day late → 2/5 = 0.4.
        // 3 years: R1, R3, R6, R7 eligible (R2 not yet); reoffended R3, R7 → 2/4 = 0.5.
        #expect(
            report.horizons == [
                .init(years: 1, eligible: 5, reoffended: 2), .init(years: 3, eligible: 4, reoffended: 2),
            ])
        #expect(report.horizons.map(\.rate) == [0.4, 0.5])
        // KM: R7 event 0, R6 censored 184, R2 event 365, R3 event 366, R1 censored 1095.
        // Day 0: n 5, d 1 → S = 4/5; Σ = 1/20; var = 16/25 · 1/20 = 4/125 = 0.032.
        // Day 365: R6 censored since → n = 5 − 1 − 1 = 3, d 1 → S = 4/5 · 2/3 = 8/15; Σ = 1/20 + 1/6 = 13/60;
        //   var = 64/225 · 13/60 = 208/3375 ≈ 0.061630.
        // Day 366: n = 2, d 1 → S = 8/15 · 1/2 = 4/15; Σ = 13/60 + 1/2 = 43/60; var = 16/225 · 43/60 = 172/3375.
        let km = report.kaplanMeier
        #expect(km.subjects == 5)
        #expect(km.points.map(\.day) == [0, 365, 366])
        #expect(km.points.map(\.atRisk) == [5, 3, 2])
        #expect(km.points.map(\.censored) == [0, 1, 0])
        #expect(Self.close(km.points[2].survival, 4.0 / 15))
        #expect(Self.close(km.points[1].variance, 208.0 / 3375))
        #expect(Self.close(km.points[2].variance, 172.0 / 3375))
        #expect(km.censoredAfterLastEvent == 1)
        #expect(km.lastFollowUpDay == 1095)
    }

    @Test("one release type only")
    func oneType() {
        let report = CohortMetrics.compute(
            releases: Self.cohortFacts, scope: MetricsFixture.unit("79"), from: MetricsFixture.from,
            to: MetricsFixture.to,
            observedOn: MetricsFixture.day("2023-06-30"), releaseType: .amnesty)
        // Amnesty members: R1, R2, R7. 1y: 3 eligible, R2 and R7 reoffended. 3y: R1, R7 eligible, R7 reoffended.
        // 5y: nobody released by 2018-06-30 → eligible 0, rate null.
        #expect(report.cohortSize == 3)
        #expect(report.horizons.map(\.eligible) == [3, 2, 0])
        #expect(report.horizons.map(\.reoffended) == [2, 1, 0])
        #expect(report.horizons[2].rate == nil)
    }

    @Test("an ending after the observation day is censored there; a release after it is left out of the curve")
    func afterObservation() {
        let facts = [
            // Released 2020-01-01, reoffended 2021-01-01, observed until 2020-12-31: censored at day 365
            // (2020 has 366 days; 2020-12-31 is day 365). 1y end 2021-01-01 > 2020-12-31 → not eligible.
            MetricsFixture.release(released: "2020-01-01", .reoffended, on: "2021-01-01"),
            // Released after the observation day: in the cohort, no follow-up.
            MetricsFixture.release(released: "2021-01-01"),
        ]
        let report = CohortMetrics.compute(
            releases: facts, scope: MetricsFixture.unit("79"), from: MetricsFixture.day("2020-01-01"),
            to: MetricsFixture.day("2021-06-30"),
            observedOn: MetricsFixture.day("2020-12-31"), horizonsInYears: [1])
        #expect(report.cohortSize == 2)
        #expect(report.horizons == [.init(years: 1, eligible: 0, reoffended: 0)])
        #expect(report.horizons[0].rate == nil)
        #expect(report.kaplanMeier.subjects == 1)
        #expect(report.kaplanMeier.points.isEmpty)
        #expect(report.kaplanMeier.lastFollowUpDay == 365)
    }

    @Test("cohort JSON: snake_case names, nulls")
    func json() throws {
        // One person released 2020-03-03, never ended, observed until 2020-12-31 (303 days: 29+30+31+30+31+31+30
        // +31+30+31 = 304 from 3 March to 31 December inclusive, so 2020-12-31 − 2020-03-03 = 303).
        let report = CohortMetrics.compute(
            releases: [MetricsFixture.release(.amnesty, "79.1", released: "2020-03-03")],
            scope: MetricsFixture.unit("79"),
            from: MetricsFixture.from, to: MetricsFixture.to, observedOn: MetricsFixture.day("2020-12-31"),
            horizonsInYears: [1])
        let expected = """
            {"scope":"79","from":"2020-01-01","to":"2020-12-31","observed_on":"2020-12-31","as_of":null,\
            "release_type":null,"cohort_size":1,"horizons":[{"years":1,"eligible":0,"reoffended":0,"rate":null}],\
            "kaplan_meier":{"subjects":1,"events":0,"censored":1,"censored_after_last_event":1,\
            "last_follow_up_day":303,"points":[]}}
            """
        #expect(try report.jsonString() == expected)
        let decoded = try JSONDecoder().decode(CohortReport.self, from: try report.jsonData())
        #expect(decoded == report)
    }

    @Test("cohort table and curve CSV")
    func renderings() throws {
        let report = CohortMetrics.compute(
            releases: Self.cohortFacts, scope: MetricsFixture.unit("79"), from: MetricsFixture.from,
            to: MetricsFixture.to,
            observedOn: MetricsFixture.day("2023-06-30"), horizonsInYears: [1, 3])
        let table = report.table()
        #expect(table.contains("Cohort: 5 released persons."))
        // 1 year: 2 of 5 = 40.0 %; 3 years: 2 of 4 = 50.0 %.
        #expect(PlanReportFormatTests.words(table, startingWith: "1") == ["1", "year", "5", "2", "40.0", "%"])
        #expect(PlanReportFormatTests.words(table, startingWith: "3") == ["3", "years", "4", "2", "50.0", "%"])
        // Day 366: 1 − 4/15 = 11/15 ≈ 73.3 %.
        #expect(
            PlanReportFormatTests.words(table, startingWith: "366").prefix(6) == ["366", "2", "1", "0", "73.3", "%"])
        // Sampled when there are more points than rows: 3 points, 2 rows at most → every 548 days up to 1095.
        let sampled = report.table(maxCurveRows: 2)
        #expect(sampled.contains("Shown every 548 days"))
        #expect(PlanReportFormatTests.words(sampled, startingWith: "548").prefix(3) == ["548", "73.3", "%"])
        let csv = report.curveCSV().split(separator: "\n")
        #expect(csv.count == 4)
        #expect(csv[0] == "day,at_risk,events,censored,survival,cumulative,variance,lower,upper")
        #expect(csv[1].hasPrefix("0,5,1,0,0.8,"))
    }
}
