import DragnetCore
import Testing

@testable import DragnetServer

/// The dashboard's chart geometry, worked out by hand from the charts' fixed sizes.
@Suite struct ChartTests {
    @Test func escapingAndNumbers() {
        #expect(SVG.escape(#"<a & "b">'"#) == "&lt;a &amp; &quot;b&quot;&gt;&#39;")
        #expect(SVG.escape("Nguyễn Văn Đức") == "Nguyễn Văn Đức")
        #expect(SVG.number(12.345) == "12.3")
        #expect(SVG.number(40) == "40")
        #expect(SVG.number(-3.26) == "-3.3")
        #expect(SVG.number(.nan) == "0")
    }

    @Test func scales() {
        let scale = LinearScale(domain: (0, 0.4), range: (190, 16))
        #expect(scale(0) == 190 && scale(0.4) == 16)
        #expect(abs(scale(0.1) - 146.5) < 1e-9)
        #expect(LinearScale(domain: (1, 1), range: (0, 100))(1) == 50, "a single point sits in the middle")
        #expect(LinearScale.rateAxisTop([0.05]) == 0.2)
        #expect(LinearScale.rateAxisTop([0.3, 0.1]) == 0.4)
        #expect(LinearScale.rateAxisTop([0.95]) == 1)
        #expect(LinearScale.rateAxisTop([]) == 0.2)
        #expect(LinearScale.ticks(top: 0.4, count: 4) == [0, 0.1, 0.2, 0.30000000000000004, 0.4])
    }

    /// Width 420, left 56, right 12: x runs from 66 to 398, five points 83 apart. The target 0.3 makes the axis top
    /// 0.4; y runs from 190 (0) to 16 (0.4): y(v) = 190 − v / 0.4 × 174, so y(0.1) = 146.5, y(0.2) = 103,
    /// y(0.3) = 59.5. A point without a rate breaks the line: the next point starts a new one.
    @Test func aLineBreaksWhereNothingIsCounted() {
        let chart = LineChart(
            title: "Tiến độ <thử>", description: "mô tả & ghi chú", labels: ["T1", "T2", "T3", "T4", "T5"],
            series: [.init(name: "Kỳ này", values: [nil, 0.1, 0.2, nil, 0.3], style: "this")], target: 0.3,
            targetLabel: "Chỉ tiêu", formatPercent: { Language.vi.percent($0) })
        #expect(chart.path([nil, 0.1, 0.2, nil, 0.3]) == "M149 146.5 L232 103 M398 59.5")
        let svg = chart.render(id: "c")
        #expect(svg.contains("<title id=\"c-t\">Tiến độ &lt;thử&gt;</title>"))
        #expect(svg.contains("<desc id=\"c-d\">mô tả &amp; ghi chú</desc>"))
        #expect(svg.components(separatedBy: "<circle").count - 1 == 3, "a dot for each rate")
        #expect(svg.contains("y1=\"59.5\" y2=\"59.5\""), "the target line at 30 %")
        #expect(svg.contains(">40,0 %</text>"), "the axis in Vietnamese")
    }

    /// Width 420, labels 90, values 64: bars run from x = 90 (0) to 356 (axis top). Rates 0.5 and 0.25 with target
    /// 0.3 make the top 0.6: the 0.5 bar is 0.5 / 0.6 × 266 = 221.7 wide, the 0.25 bar 110.8; a unit without a rate
    /// has no bar and a dash.
    @Test func barsAndTheTargetMark() {
        let chart = BarChart(
            title: "t", description: "d",
            bars: [
                .init(label: "79", value: 0.5, valueText: "50,0 %", met: true),
                .init(label: "01", value: 0.25, valueText: "25,0 %", met: false),
                .init(label: "80", value: nil, valueText: "—", met: nil),
            ], target: 0.3, targetLabel: "30,0 %")
        let svg = chart.render(id: "b")
        #expect(svg.components(separatedBy: "<rect").count - 1 == 2)
        #expect(svg.contains("class=\"bar met\" x=\"90\" y=\"24\" width=\"221.7\""))
        #expect(svg.contains("class=\"bar not-met\" x=\"90\" y=\"48\" width=\"110.8\""))
        #expect(svg.contains(">—</text>"))
        // Target 0.3 of 0.6: x = 90 + 133 = 223.
        #expect(svg.contains("<line class=\"target\" x1=\"223\" x2=\"223\""))
        #expect(chart.height == 20 + 3 * 24 + 8)
    }

    /// Width 560, left 64, right 30: x(d) = 64 + d / 100 × 466 over 100 days; top 0.4 (values up to 0.25): y(v) =
    /// 220 − v / 0.4 × 206. Steps: flat at 0 until day 10 (x 110.6), up to 0.1 (y 168.5), flat until day 30
    /// (x 203.8), up to 0.25 (y 91.25, written 91.3), flat to day 100 (x 530).
    @Test func theCurveIsAStepFunction() {
        let chart = StepChart(
            title: "t", description: "d",
            points: [
                .init(day: 10, value: 0.1, lower: nil, upper: nil), .init(day: 30, value: 0.25, lower: nil, upper: nil),
            ],
            lastDay: 100, xLabel: "days", formatPercent: { Language.en.percent($0) }, formatNumber: { "\($0)" })
        #expect(
            chart.stepPath([(10, 0.1), (30, 0.25)])
                == "M64 220 L110.6 220 L110.6 168.5 L203.8 168.5 L203.8 91.3 L530 91.3")
        #expect(chart.bandPath() == nil, "no band without bounds")
        let banded = StepChart(
            title: "t", description: "d", points: [.init(day: 50, value: 0.2, lower: 0.1, upper: 0.3)], lastDay: 100,
            xLabel: "days", formatPercent: { Language.en.percent($0) }, formatNumber: { "\($0)" })
        // From day 50 (x 297) to 100 (x 530): upper 0.3 (y 65.5), then back along lower 0.1 (y 168.5).
        #expect(banded.bandPath() == "M297 65.5 L530 65.5 L530 168.5 L297 168.5 Z")
    }

    @Test func aLongCurveIsSampledToAboutSixtyPoints() {
        let observations = (0..<400).map { KaplanMeierCurve.Observation(day: $0 * 3, reoffended: $0 % 2 == 0) }
        let curve = KaplanMeierCurve(observations: observations)
        #expect(curve.points.count == 200)
        let shown = DashboardView.sampled(curve)
        #expect(shown.count <= 61 && shown.count >= 50)
        #expect(shown.last == curve.points.last, "the last point is always shown")
        #expect(zip(shown, shown.dropFirst()).allSatisfy { $0.day < $1.day })
        let short = KaplanMeierCurve(observations: Array(observations.prefix(20)))
        #expect(DashboardView.sampled(short) == short.points, "a short curve is shown whole")
    }
}

/// What the dashboard writes for people: CSV cells that no spreadsheet takes for a formula, values shown back
/// without control characters.
@Suite struct DashboardTextTests {
    @Test func csvCellsAreNeverFormulas() {
        #expect(CaseSelection.cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")")
        #expect(CaseSelection.cell("+84 90") == "'+84 90")
        #expect(CaseSelection.cell("-1") == "'-1")
        #expect(CaseSelection.cell("@SUM(A1)") == "'@SUM(A1)")
        #expect(CaseSelection.cell("Nguyễn Văn Đức") == "Nguyễn Văn Đức")
        #expect(CaseSelection.cell("") == "")
    }

    @Test func valuesShownBackHaveNoControlCharacters() {
        #expect(DashboardQuery.shown("79\u{0}\n") == "79\u{FFFD}\u{FFFD}")
        #expect(DashboardQuery.shown(String(repeating: "x", count: 100)) == String(repeating: "x", count: 80) + "…")
    }

    @Test func vietnamTodayIsSevenHoursAhead() {
        #expect(DashboardClock.today(Timestamp("2026-12-01T16:59:59Z")!) == LocalDate("2026-12-01")!)
        #expect(DashboardClock.today(Timestamp("2026-12-01T17:00:00Z")!) == LocalDate("2026-12-02")!)
    }
}
