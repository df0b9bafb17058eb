/// Small pieces for writing SVG and HTML by hand: escaping and number formatting for coordinates.
enum SVG {
    /// Text made safe for an element's content or a quoted attribute value.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        // By Unicode scalar, not by character: a quote followed by a combining mark is one character but must still
        // be escaped.
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A coordinate with at most one decimal (`12.3`, `40`): enough for a screen, short in the page.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        let whole = abs(tenths) / 10, fraction = abs(tenths) % 10
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }
}

extension SVG {
    /// The opening of a chart: its box, its role, and the `<title>` and `<desc>` that name and describe it (a screen
    /// reader reads them; a test checks every chart has both).
    static func open(_ kind: String, width: Double, height: Double, id: String, title: String, description: String)
        -> String
    {
        """
        <svg class="chart \(kind)" viewBox="0 0 \(number(width)) \(number(height))" role="img" \
        aria-labelledby="\(id)-t \(id)-d" xmlns="http://www.w3.org/2000/svg">\
        <title id="\(id)-t">\(escape(title))</title><desc id="\(id)-d">\(escape(description))</desc>
        """
    }

    /// The horizontal grid lines and labels of a rate axis from 0 to `top` in four steps, between `left` and
    /// `right` (the labels stand left of `left`).
    static func rateGrid(
        _ yScale: LinearScale, top: Double, left: Double, right: Double, format: (Double) -> String
    ) -> String {
        var out = ""
        for tick in LinearScale.ticks(top: top, count: 4) {
            let y = number(yScale(tick))
            out += "<line class=\"grid\" x1=\"\(number(left))\" x2=\"\(number(right))\" y1=\"\(y)\" y2=\"\(y)\"/>"
            out += "<text class=\"axis\" x=\"\(number(left - 6))\" y=\"\(y)\" text-anchor=\"end\" "
            out += "dominant-baseline=\"middle\">\(escape(format(tick)))</text>"
        }
        return out
    }
}

/// A linear map from a domain of values to a range of pixels (either way round: SVG's y grows downwards).
struct LinearScale: Equatable {
    var domain: (lower: Double, upper: Double)
    var range: (lower: Double, upper: Double)

    /// The pixel position of `value`; the middle of the range when the domain is a single point.
    func callAsFunction(_ value: Double) -> Double {
        let span = domain.upper - domain.lower
        guard span != 0 else { return (range.lower + range.upper) / 2 }
        return range.lower + (value - domain.lower) / span * (range.upper - range.lower)
    }

    static func == (a: LinearScale, b: LinearScale) -> Bool {
        a.domain == b.domain && a.range == b.range
    }

    /// A rate axis from 0 to the least of 20 %, 40 %, 60 %, 80 %, 100 % that holds every value: small rates are
    /// not squashed against the bottom, and the scale never passes 100 %.
    static func rateAxisTop(_ values: [Double]) -> Double {
        let top = values.max() ?? 0
        for step in [0.2, 0.4, 0.6, 0.8] where top <= step { return step }
        return 1
    }

    /// Tick values from 0 to `top` in `count` equal steps.
    static func ticks(top: Double, count: Int) -> [Double] {
        guard count > 0 else { return [0] }
        return (0...count).map { top * Double($0) / Double(count) }
    }
}
