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

    /// The longest period a page shows: its month-by-month view costs a pass per month.
    static let longestPeriodInYears = 10

    /// The reader's language: `lang=en`, else Vietnamese.
    static func language(_ request: Request) -> Language {
        request.uri.queryParameters["lang"].flatMap { Language(code: $0) } ?? .vi
    }

    /// A value as it may be shown back to the reader: control characters replaced, at most 80 characters.
    static func shown(_ value: some StringProtocol) -> String {
        var out = String.UnicodeScalarView()
        for scalar in value.unicodeScalars.prefix(80) {
            out.append(scalar.properties.generalCategory == .control ? "\u{FFFD}" : scalar)
        }
        return String(out) + (value.unicodeScalars.count > 80 ? "…" : "")
    }

    /// The 400 page for parameter `name` with `value`, for `reason`.
    static func bad(
        _ language: Language, _ name: String, _ value: some StringProtocol, _ reason: Phrase,
        _ slots: [String: String] = [:]
    ) -> DashboardError {
        .badRequest(
            language,
            Phrase.badParameter.text(
                language, ["name": shown(name), "value": shown(value), "reason": reason.text(language, slots)]))
    }

    /// Reads the query; `today` is the default period's last day (the period runs from 1 January of its year) and
    /// `now` the latest `as_of` allowed.
    static func parse(_ request: Request, today: LocalDate, now: Timestamp, known extra: Set<String> = [])
        throws -> DashboardQuery
    {
        let query = request.uri.queryParameters
        let language = Self.language(request)
        var seen: Set<String> = []
        for (name, value) in query {
            let key = String(name)
            guard Self.periodNames.contains(key) || key == "lang" || key == "unit" || extra.contains(key) else {
                throw bad(language, key, value, .reasonUnknownParameter)
            }
            guard seen.insert(key).inserted else { throw bad(language, key, value, .reasonRepeated) }
        }
        if let text = query["lang"], Language(code: text) == nil { throw bad(language, "lang", text, .reasonLanguage) }
        var unit: UnitCode?
        if let text = query["unit"], !text.isEmpty {
            guard let code = UnitCode(scope: text) else { throw bad(language, "unit", text, .reasonUnit) }
            unit = code
        }
        func text(_ name: String) -> String? {
            query[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        }
        var items: [(String, String)] = []
        for name in Self.periodNames { if let value = text(name) { items.append((name, value)) } }
        let kinds = ["year", "quarter", "month", "from", "to"].filter { text($0) != nil }
        let period: Period
        if kinds.isEmpty {
            period = try Period(from: LocalDate(year: today.year, month: 1, day: 1) ?? today, to: today)
        } else {
            let shortcuts = kinds.filter { ["year", "quarter", "month"].contains($0) }.count
            let range = kinds.contains("from") || kinds.contains("to")
            if shortcuts + (range ? 1 : 0) > 1 {
                let names = kinds.joined(separator: ", ")
                throw bad(language, kinds[0], text(kinds[0]) ?? "", .reasonSeveralPeriods, ["names": names])
            }
            do {
                period = try Period.resolve(
                    from: text("from"), to: text("to"), year: text("year"), quarter: text("quarter"),
                    month: text("month"))
            } catch {
                let name =
                    kinds.first { name in
                        switch name {
                        case "year": (try? Period.parse(year: text(name) ?? "")) == nil
                        case "quarter": (try? Period.parse(quarter: text(name) ?? "")) == nil
                        case "month": (try? Period.parse(month: text(name) ?? "")) == nil
                        default: LocalDate(text(name) ?? "") == nil
                        }
                    } ?? kinds[0]
                throw bad(language, name, text(name) ?? "", .reasonPeriod)
            }
            // Ten years are at most 3,652 days from the first day to the last (three leap days); counted in days so
            // that no clamping at year 9999 can get in the way.
            guard period.to.dayNumber - period.from.dayNumber <= 365 * longestPeriodInYears + 2 else {
                throw bad(language, kinds[0], text(kinds[0]) ?? "", .reasonPeriodTooLong)
            }
        }
        var asOf: Timestamp?
        if let value = text("as_of") {
            guard let moment = Timestamp(value) else { throw bad(language, "as_of", value, .reasonAsOf) }
            guard moment <= now else { throw bad(language, "as_of", value, .reasonAsOfFuture) }
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

/// The dashboard's notion of today: the day in Vietnam (UTC+7), where its readers are, so that "this year, to
/// today" does not lag a day between midnight and 7 a.m. Moments (`as_of`) stay in UTC, as everywhere in Dragnet.
enum DashboardClock {
    static let vietnamOffsetMilliseconds: Int64 = 7 * 3600 * 1000

    static func today(_ now: Timestamp = .now()) -> LocalDate {
        Timestamp(milliseconds: now.milliseconds + vietnamOffsetMilliseconds).date
    }
}
