/// Horizontal bars, one per unit, in the order given (ranked by the caller), each labelled with its unit and rate,
/// with a vertical mark at the target. A unit without a rate (nothing counted) gets no bar and a dash.
struct BarChart {
    struct Bar {
        var label: String
        var value: Double?
        var valueText: String
        /// Whether the unit meets its target (colours the bar); nil without a rate.
        var met: Bool?
    }

    var title: String
    var description: String
    var bars: [Bar]
    var target: Double?
    var targetLabel: String

    static let width = 420.0, rowHeight = 24.0, top = 20.0, labelWidth = 90.0, valueWidth = 64.0

    var height: Double { Self.top + Double(bars.count) * Self.rowHeight + 8 }

    var xScale: LinearScale {
        let top = LinearScale.rateAxisTop(bars.compactMap(\.value) + [target ?? 0])
        return LinearScale(domain: (0, top), range: (Self.labelWidth, Self.width - Self.valueWidth))
    }

    func render(id: String) -> String {
        // The scales once: each scans the values.
        let xAt = xScale
        var out = SVG.open(
            "bars", width: Self.width, height: height, id: id, title: title, description: description)
        for (i, bar) in bars.enumerated() {
            let y = Self.top + Double(i) * Self.rowHeight
            let middle = SVG.number(y + Self.rowHeight / 2)
            out +=
                "<text class=\"axis\" x=\"\(SVG.number(Self.labelWidth - 6))\" y=\"\(middle)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(SVG.escape(bar.label))</text>"
            if let value = bar.value {
                let x0 = xAt(0), x1 = xAt(value)
                let style = bar.met.map { $0 ? "met" : "not-met" } ?? "none"
                out +=
                    "<rect class=\"bar \(style)\" x=\"\(SVG.number(x0))\" y=\"\(SVG.number(y + 4))\" width=\"\(SVG.number(max(x1 - x0, 1)))\" height=\"\(SVG.number(Self.rowHeight - 8))\"/>"
                out +=
                    "<text class=\"value\" x=\"\(SVG.number(x1 + 4))\" y=\"\(middle)\" dominant-baseline=\"middle\">\(SVG.escape(bar.valueText))</text>"
            } else {
                out +=
                    "<text class=\"value\" x=\"\(SVG.number(xAt(0) + 4))\" y=\"\(middle)\" dominant-baseline=\"middle\">—</text>"
            }
        }
        if let target {
            let x = SVG.number(xAt(target))
            out +=
                "<line class=\"target\" x1=\"\(x)\" x2=\"\(x)\" y1=\"\(SVG.number(Self.top - 4))\" y2=\"\(SVG.number(height - 4))\"/>"
            out +=
                "<text class=\"target-label\" x=\"\(x)\" y=\"\(SVG.number(Self.top - 6))\" text-anchor=\"middle\">\(SVG.escape(targetLabel))</text>"
        }
        return out + "</svg>"
    }
}
