/// How the English renderings write a fraction: a percentage with one decimal, rounded half away from zero.
enum Percent {
    /// `0.308333` → `30.8 %`; `nil` → `—` (`Language.percent` in English).
    static func text(_ fraction: Double?) -> String { Language.en.percent(fraction) }
}
