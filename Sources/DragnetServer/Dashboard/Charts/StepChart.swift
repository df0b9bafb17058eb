/// A Kaplan–Meier curve: the share reoffended as a step function of days since release, with its 95 % band as a
/// shaded step area. Drawn from the points the caller gives (and tabulates), starting at day 0 with 0 %.
struct StepChart {
    struct Point {
        var day: Int
        var value: Double
        var lower: Double?
        var upper: Double?
    }

    var title: String
    var description: String
    var points: [Point]
    /// The last day of follow-up (the x axis ends there).
    var lastDay: Int
    var xLabel: String
    var formatPercent: (Double) -> String
    var formatNumber: (Int) -> String

    static let width = 560.0, height = 260.0
    static let left = 64.0, right = 30.0, top = 14.0, bottom = 40.0

    var xScale: LinearScale {
        LinearScale(domain: (0, Double(max(lastDay, 1))), range: (Self.left, Self.width - Self.right))
    }

    var yTop: Double {
        LinearScale.rateAxisTop(points.map { $0.upper ?? $0.value } + points.map(\.value))
    }

    var yScale: LinearScale { LinearScale(domain: (0, yTop), range: (Self.height - Self.bottom, Self.top)) }

    /// The step path through `(day, value)` pairs: flat until the next day, then straight up (or down).
    func stepPath(_ steps: [(day: Int, value: Double)]) -> String {
        // The scales once: each scans the values.
        let xAt = xScale; let yAt = yScale
        var d = "M\(SVG.number(xAt(0))) \(SVG.number(yAt(0)))"
        var last = 0.0
        for step in steps {
            let x = SVG.number(xAt(Double(step.day)))
            d += " L\(x) \(SVG.number(yAt(last))) L\(x) \(SVG.number(yAt(step.value)))"
            last = step.value
        }
        return d + " L\(SVG.number(xAt(Double(lastDay)))) \(SVG.number(yAt(last)))"
    }

    /// The band: the upper bound's steps forward, then the lower bound's steps back, closed.
    func bandPath() -> String? {
        // The scales once: each scans the values.
        let xAt = xScale; let yAt = yScale
        let banded = points.filter { $0.lower != nil && $0.upper != nil }
        guard !banded.isEmpty else { return nil }
        var upper: [(Double, Double)] = [], lower: [(Double, Double)] = []
        for (i, p) in banded.enumerated() {
            let next = i + 1 < banded.count ? Double(banded[i + 1].day) : Double(lastDay)
            upper += [(Double(p.day), p.upper!), (next, p.upper!)]
            lower += [(Double(p.day), p.lower!), (next, p.lower!)]
        }
        let forward = upper.map { "\(SVG.number(xAt($0.0))) \(SVG.number(yAt($0.1)))" }
        let back = lower.reversed().map { "\(SVG.number(xAt($0.0))) \(SVG.number(yAt($0.1)))" }
        return "M" + (forward + back).joined(separator: " L") + " Z"
    }

    func render(id: String) -> String {
        // The scales once: each scans the values.
        let xAt = xScale; let yAt = yScale
        var out = SVG.open(
            "step", width: Self.width, height: Self.height, id: id, title: title, description: description)
        out += SVG.rateGrid(
            yAt, top: yTop, left: Self.left, right: Self.width - Self.right, format: formatPercent)
        for tick in LinearScale.ticks(top: Double(max(lastDay, 1)), count: 4) {
            out +=
                "<text class=\"axis\" x=\"\(SVG.number(xAt(tick)))\" y=\"\(SVG.number(Self.height - Self.bottom + 16))\" text-anchor=\"middle\">\(SVG.escape(formatNumber(Int(tick.rounded()))))</text>"
        }
        out +=
            "<text class=\"axis\" x=\"\(SVG.number((Self.left + Self.width - Self.right) / 2))\" y=\"\(SVG.number(Self.height - 6))\" text-anchor=\"middle\">\(SVG.escape(xLabel))</text>"
        if let band = bandPath() { out += "<path class=\"band\" d=\"\(band)\"/>" }
        out += "<path class=\"series this\" d=\"\(stepPath(points.map { ($0.day, $0.value) }))\"/>"
        return out + "</svg>"
    }
}
