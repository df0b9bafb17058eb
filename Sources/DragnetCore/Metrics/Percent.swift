/// How the human renderings write a fraction: a percentage with one decimal, rounded half away from zero.
enum Percent {
    /// `0.308333` → `30.8 %`; `nil` → `—`.
    static func text(_ fraction: Double?) -> String {
        guard let fraction, fraction.isFinite else { return "—" }
        let tenths = Int((fraction * 1000).rounded())
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10) %"
    }
}
