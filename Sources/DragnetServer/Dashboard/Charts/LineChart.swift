/// A chart of rates over a few points in time (the months of a period): one line per series, a dashed horizontal
/// line for the target, a y axis in percent. Points without a rate (nothing counted yet) break the line.
struct LineChart {
    struct Series {
        var name: String
        var values: [Double?]
        /// A CSS class: `this` (strong) or `last` (pale).
        var style: String
    }

    var title: String
    var description: String
    /// The labels under the x axis, one per point.
    var labels: [String]
    var series: [Series]
    var target: Double?
    var targetLabel: String
    var formatPercent: (Double) -> String

    static let width = 420.0, height = 220.0
    static let left = 56.0, right = 12.0, top = 16.0, bottom = 30.0

    var xScale: LinearScale {
        LinearScale(
            domain: (0, Double(max(labels.count - 1, 1))),
            range: (Self.left + 10, Self.width - Self.right - 10))
    }

    var yTop: Double { LinearScale.rateAxisTop(series.flatMap { $0.values.compactMap { $0 } } + [target ?? 0]) }

    var yScale: LinearScale {
        LinearScale(domain: (0, yTop), range: (Self.height - Self.bottom, Self.top))
    }

    /// The `d` of one series' path: a move to the first point after each gap, lines between neighbours.
    func path(_ values: [Double?]) -> String {
        // The scales once: each scans the values.
        let xAt = xScale; let yAt = yScale
        var d = ""
        var drawing = false
        for (i, value) in values.enumerated() {
            guard let value else {
                drawing = false
                continue
            }
            d +=
                (drawing ? " L" : (d.isEmpty ? "M" : " M"))
                + "\(SVG.number(xAt(Double(i)))) \(SVG.number(yAt(value)))"
            drawing = true
        }
        return d
    }

    func render(id: String) -> String {
        // The scales once: each scans the values.
        let xAt = xScale; let yAt = yScale
        var out = SVG.open(
            "line", width: Self.width, height: Self.height, id: id, title: title, description: description)
        out += SVG.rateGrid(
            yAt, top: yTop, left: Self.left, right: Self.width - Self.right, format: formatPercent)
        for (i, label) in labels.enumerated() {
            out +=
                "<text class=\"axis\" x=\"\(SVG.number(xAt(Double(i))))\" y=\"\(SVG.number(Self.height - 10))\" text-anchor=\"middle\">\(SVG.escape(label))</text>"
        }
        if let target {
            let y = SVG.number(yAt(target))
            out +=
                "<line class=\"target\" x1=\"\(SVG.number(Self.left))\" x2=\"\(SVG.number(Self.width - Self.right))\" y1=\"\(y)\" y2=\"\(y)\"/>"
        }
        for series in series.reversed() {
            out += "<path class=\"series \(series.style)\" d=\"\(path(series.values))\"/>"
            for (i, value) in series.values.enumerated() {
                guard let value else { continue }
                out +=
                    "<circle class=\"dot \(series.style)\" cx=\"\(SVG.number(xAt(Double(i))))\" cy=\"\(SVG.number(yAt(value)))\" r=\"3\"/>"
            }
        }
        // The target's label last, over the lines, with a white halo (style sheet) so that it stays readable.
        if let target {
            out +=
                "<text class=\"target-label\" x=\"\(SVG.number(Self.left + 4))\" y=\"\(SVG.number(yAt(target) - 5))\">\(SVG.escape(targetLabel))</text>"
        }
        return out + "</svg>"
    }
}
