import DragnetCore
import Hummingbird

/// What a dashboard page or download was asked for, read from its query string. Every value is checked; a wrong one
/// is a `DashboardError.badRequest` that names the parameter and the value, in the reader's language.
struct DashboardQuery: Sendable {
    var language: Language
    /// The scope asked for; nil for the token's own.
    var unit: UnitCode?
    var period: Period
    var asOf: Timestamp?
    /// The query's period parameters as given (carried into every link of the page).
    var periodItems: [(String, String)]

    /// The parameters that choose a period, in the order links write them.
    static let periodNames = ["year", "quarter", "month", "from", "to", "as_of"]

    /// Reads the query; `today` is the default period's last day (the period runs from 1 January of its year).
    static func parse(_ request: Request, today: LocalDate, known extra: Set<String> = []) throws -> DashboardQuery {
        let query = request.uri.queryParameters
        let language = query["lang"].flatMap { Language(code: $0) } ?? .vi
        func bad(_ name: String, _ value: String, _ vi: String, _ en: String) -> DashboardError {
            .badRequest(
                language,
                language == .vi
                    ? "Tham số \(name) = \"\(value)\" không hợp lệ: \(vi)."
                    : "The parameter \(name) = \"\(value)\" is not valid: \(en).")
        }
        var seen: Set<String> = []
        for (name, value) in query {
            let key = String(name)
            guard Self.periodNames.contains(key) || key == "lang" || key == "unit" || extra.contains(key) else {
                throw bad(
                    key, String(value), "trang này không dùng tham số này", "this page takes no such parameter")
            }
            guard seen.insert(key).inserted || key == "horizon" else {
                throw bad(key, String(value), "tham số chỉ được ghi một lần", "give it once only")
            }
        }
        if let text = query["lang"], Language(code: text) == nil {
            throw bad("lang", String(text), "chỉ nhận vi hoặc en", "write vi or en")
        }
        var unit: UnitCode?
        if let text = query["unit"], !text.isEmpty {
            guard let code = UnitCode(scope: text) else {
                throw bad(
                    "unit", String(text),
                    "mã đơn vị gồm các nhóm chữ số cách nhau bởi dấu chấm, ví dụ 79.26734, hoặc * (toàn quốc)",
                    "a unit code is dot-separated segments, as in 79.26734, or * for the whole country")
            }
            unit = code
        }
        func text(_ name: String) -> String? {
            query[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        }
        var items: [(String, String)] = []
        for name in Self.periodNames { if let value = text(name) { items.append((name, value)) } }
        let period: Period
        let periodGiven = ["year", "quarter", "month", "from", "to"].contains { text($0) != nil }
        if periodGiven {
            do {
                period = try Period.resolve(
                    from: text("from"), to: text("to"), year: text("year"), quarter: text("quarter"),
                    month: text("month"))
            } catch {
                let (name, value) =
                    ["year", "quarter", "month", "from", "to"].compactMap { n in text(n).map { (n, $0) } }.first
                    ?? ("year", "")
                throw bad(
                    name, value,
                    "ghi kỳ báo cáo bằng một trong các cách: năm (2020), quý (2020Q3), tháng (2020-07), hoặc từ ngày và đến ngày (2020-01-01, 2020-12-31), từ ngày không sau đến ngày",
                    "give the period as one of year (2020), quarter (2020Q3), month (2020-07), or from and to (2020-01-01, 2020-12-31), from not after to"
                )
            }
        } else {
            period = try Period(from: LocalDate(year: today.year, month: 1, day: 1) ?? today, to: today)
        }
        var asOf: Timestamp?
        if let value = text("as_of") {
            guard let moment = Timestamp(value) else {
                throw bad(
                    "as_of", value, "ghi thời điểm UTC, ví dụ 2021-01-15T08:00:00Z",
                    "write a UTC time, as in 2021-01-15T08:00:00Z")
            }
            asOf = moment
        }
        return DashboardQuery(language: language, unit: unit, period: period, asOf: asOf, periodItems: items)
    }

    /// A link to `path` with this query's period and language, for `unit`, and `extra` parameters.
    func link(_ path: String, unit: UnitCode?, language: Language? = nil, _ extra: [(String, String)] = []) -> String {
        var items: [(String, String)] = []
        if let unit { items.append(("unit", unit.rawValue)) }
        items += periodItems
        items += extra
        let lang = language ?? self.language
        if lang != .vi { items.append(("lang", lang.rawValue)) }
        guard !items.isEmpty else { return path }
        return path + "?" + items.map { "\($0.0)=\(Self.encode($0.1))" }.joined(separator: "&")
    }

    /// Percent-encodes a query value (unit codes, dates and words need little, but `*`, `:` and `+` do).
    static func encode(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 15)])"
            }
        }
        return out
    }
}
