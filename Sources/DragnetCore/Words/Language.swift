/// The language of what people read: Vietnamese first (the officers and commanders who read the figures read
/// Vietnamese), English on request. Machine output (JSON, CSV headers, codes) does not change with it.
public enum Language: String, Sendable, CaseIterable, Codable {
    /// Tiếng Việt: decimal comma (`43,8 %`), thousands with a dot (`1.234`), dates `dd/mm/yyyy`.
    case vi
    /// English: decimal point (`43.8 %`), thousands with a comma (`1,234`), dates `YYYY-MM-DD`.
    case en

    /// `vi` or `en` (also `vi-VN`, `en-GB`, any case), else nil.
    public init?(code: some StringProtocol) {
        let lower = code.lowercased()
        let base = lower.split(separator: "-").first.map(String.init) ?? lower
        guard let language = Language(rawValue: base) else { return nil }
        self = language
    }

    /// `vi, en`: the spellings accepted, for error messages.
    public static let spellings = allCases.map(\.rawValue).joined(separator: ", ")
}

extension Language {
    /// A fraction as a percentage with one decimal, rounded half away from zero: `0.30833` → `30,8 %` (vi) or
    /// `30.8 %` (en); `nil` (nothing to divide by) → `—`.
    public func percent(_ fraction: Double?) -> String {
        guard let fraction, fraction.isFinite else { return "—" }
        let tenths = Int((fraction * 1000).rounded())
        let sign = tenths < 0 ? "-" : ""
        let separator = self == .vi ? "," : "."
        return "\(sign)\(abs(tenths) / 10)\(separator)\(abs(tenths) % 10) %"
    }

    /// A whole number with thousands grouped: `1.234.567` (vi), `1,234,567` (en).
    public func number(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += self == .vi ? "." : "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// A day: `31/12/2020` (vi), `2020-12-31` (en).
    public func date(_ day: LocalDate) -> String {
        guard self == .vi else { return day.description }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(day.day))/\(two(day.month))/\(day.year)"
    }

    /// A UTC moment: `2021-01-15T08:00:00.000Z` (en, as everywhere else), `15/01/2021 08:00:00 UTC` (vi).
    public func moment(_ time: Timestamp) -> String {
        let text = time.description  // 2021-01-15T08:00:00.000Z
        guard self == .vi else { return text }
        return "\(date(time.date)) \(text.dropFirst(11).prefix(8)) UTC"
    }

    /// The month's short name for a chart's axis: `T1` … `T12` (vi), `Jan` … `Dec` (en).
    public func shortMonth(_ month: Int) -> String {
        switch self {
        case .vi: return "T\(month)"
        case .en:
            let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            return names[(month - 1 + 12) % 12]
        }
    }

    /// The month with its year, for tables: `Tháng 7/2020` (vi), `July 2020` (en).
    public func month(_ month: Int, of year: Int) -> String {
        switch self {
        case .vi: return "Tháng \(month)/\(year)"
        case .en:
            let names = [
                "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December",
            ]
            return "\(names[(month - 1 + 12) % 12]) \(year)"
        }
    }
}
