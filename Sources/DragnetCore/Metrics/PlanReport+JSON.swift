import Foundation

extension PlanReport {
    /// The report's compact JSON, written straight into bytes: the very bytes `OrderedJSONEncoder` writes for it
    /// (`encode(to:)`'s keys in its order, `null` for an absent rate, no `supervision` when there is none), without
    /// its tree of nodes. The central server writes the JSON of every report in use again at each push, so this is
    /// most of a small push's allocations (`PlanReportJSONTests` hold the two to the same bytes). Nil when a number
    /// JSON cannot hold is in it (the encoder then says where).
    func compactJSON() -> [UInt8]? {
        var w = ReportJSONWriter()
        w.out.reserveCapacity(512 + units.count * 900)
        w.open()
        w.key("scope")
        w.string(scope.rawValue)
        w.key("from")
        w.string(from.description)
        w.key("to")
        w.string(to.description)
        w.key("as_of")
        if let asOf { w.string(asOf.description) } else { w.null() }
        w.key("wanted")
        w.write(wanted)
        w.key("reoffending")
        w.write(reoffending)
        if let supervision {
            w.key("supervision")
            w.write(supervision)
        }
        w.key("units")
        w.out.append(UInt8(ascii: "["))
        for (i, unit) in units.enumerated() {
            if i > 0 { w.out.append(UInt8(ascii: ",")) }
            w.open()
            w.key("unit")
            w.string(unit.unit.rawValue)
            w.key("wanted")
            w.write(unit.wanted)
            w.key("reoffending")
            w.write(unit.reoffending)
            if let supervision = unit.supervision {
                w.key("supervision")
                w.write(supervision)
            }
            w.close()
        }
        w.out.append(UInt8(ascii: "]"))
        w.close()
        return w.finite ? w.out : nil
    }
}

/// Writes JSON objects member by member, as `OrderedJSONEncoder`'s compact layout does.
private struct ReportJSONWriter {
    var out: [UInt8] = []
    /// False once a NaN or infinite double was met.
    var finite = true
    /// Whether the object being written has no member yet.
    private var first = true

    mutating func open() {
        out.append(UInt8(ascii: "{"))
        first = true
    }

    mutating func close() {
        out.append(UInt8(ascii: "}"))
        first = false
    }

    mutating func key(_ name: StaticString) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: "\":".utf8)
    }

    mutating func string(_ text: String) { JSONNode.writeString(text, to: &out) }
    mutating func null() { out.append(contentsOf: "null".utf8) }
    mutating func int(_ value: Int) { out.append(contentsOf: String(value).utf8) }

    mutating func double(_ value: Double?) {
        guard let value else { return null() }
        if !value.isFinite { finite = false }
        out.append(contentsOf: "\(value)".utf8)
    }

    mutating func bool(_ value: Bool?) {
        guard let value else { return null() }
        out.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func write(_ figures: PlanReport.WantedFigures) {
        open()
        key("existing")
        write(figures.existing)
        key("new")
        write(figures.new)
        close()
    }

    mutating func write(_ f: PlanReport.CaptureFigures) {
        open()
        key("count")
        int(f.count)
        key("captured")
        int(f.captured)
        key("arrested")
        int(f.arrested)
        key("surrendered")
        int(f.surrendered)
        key("died")
        int(f.died)
        key("struck_off")
        int(f.struckOff)
        key("open")
        int(f.open)
        rated(f.rate, target: f.target, met: f.met)
        close()
    }

    /// `rate`, `target` and `met`, as every figure with a target writes them.
    private mutating func rated(_ rate: Double?, target: Double, met: Bool?) {
        key("rate")
        double(rate)
        key("target")
        double(target)
        key("met")
        bool(met)
    }

    /// `population`, `reoffended` and `rate`, as every reoffending count writes them.
    private mutating func reoffending(_ population: Int, _ reoffended: Int, rate: Double?) {
        key("population")
        int(population)
        key("reoffended")
        int(reoffended)
        key("rate")
        double(rate)
    }

    mutating func write(_ f: PlanReport.ReoffendingFigures) {
        open()
        reoffending(f.population, f.reoffended, rate: f.rate)
        key("target")
        double(f.target)
        key("met")
        bool(f.met)
        key("by_type")
        open()
        key("amnesty")
        write(f.byType.amnesty)
        key("early_release")
        write(f.byType.earlyRelease)
        key("sentence_completed")
        write(f.byType.sentenceCompleted)
        close()
        close()
    }

    mutating func write(_ f: PlanReport.ReleaseTypeFigures) {
        open()
        reoffending(f.population, f.reoffended, rate: f.rate)
        close()
    }

    mutating func write(_ s: PlanReport.SupervisionReport) {
        open()
        key("on")
        string(s.on.description)
        key("supervised")
        int(s.supervised)
        for kind in PlanReport.SupervisionReport.Kind.allCases {
            keyText(kind.rawValue)
            let part = s[kind]
            open()
            key("count")
            int(part.count)
            key("share")
            double(part.share)
            close()
        }
        close()
    }

    private mutating func keyText(_ name: String) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        JSONNode.writeString(name, to: &out)
        out.append(UInt8(ascii: ":"))
    }
}
