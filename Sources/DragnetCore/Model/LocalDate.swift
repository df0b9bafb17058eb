/// A calendar date with no time of day and no time zone: the day a decision was signed, a person released, a case
/// closed. Stored and printed as `YYYY-MM-DD`.
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The year, 1 to 9999.
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int
    /// The day of the month, 1 to 28…31.
    public let day: Int

    /// A date, or `nil` when the three numbers are not a real calendar date (`2021-02-30`).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...LocalDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`; `nil` for anything else, including dates that do not exist.
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let y = LocalDate.digits(bytes[0..<4]), let m = LocalDate.digits(bytes[5..<7]),
            let d = LocalDate.digits(bytes[8..<10])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The date that is `dayNumber` days after 1970-01-01 (negative before it).
    public init(dayNumber: Int) {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// Days since 1970-01-01: the difference of two day numbers is the number of days between the dates.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date `days` days later (earlier when negative).
    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// The same day `years` years later; 29 February becomes 28 February in a year that has none. Clamped to the
    /// calendar's ends (0001-01-01 … 9999-12-31), so that no input can make it fail.
    public func adding(years: Int) -> LocalDate {
        let y = year.addingReportingOverflow(years).partialValue
        if y > 9999 || years > 9999 { return LocalDate.latest }
        if y < 1 || years < -9999 { return LocalDate.earliest }
        return LocalDate(year: y, month: month, day: min(day, LocalDate.daysIn(month: month, year: y)))
            ?? LocalDate.latest
    }

    /// The first day the type can hold.
    public static let earliest = LocalDate(dayNumber: -719_162)
    /// The last day the type can hold.
    public static let latest = LocalDate(dayNumber: 2_932_896)

    /// `YYYY-MM-DD`.
    public var description: String {
        // A date moved out of 1...9999 by arithmetic (`adding(days:)`) is written as it always was.
        guard (0...9999).contains(year) else {
            let y = String(year), m = String(month), d = String(day)
            return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + (m.count == 1 ? "0" : "") + m + "-"
                + (d.count == 1 ? "0" : "") + d
        }
        // Written digit by digit into the string's own storage: dates are written millions of times by an import.
        return String(unsafeUninitializedCapacity: 10) { out in
            LocalDate.write(year, digits: 4, to: out, at: 0)
            out[4] = UInt8(ascii: "-")
            LocalDate.write(month, digits: 2, to: out, at: 5)
            out[7] = UInt8(ascii: "-")
            LocalDate.write(day, digits: 2, to: out, at: 8)
            return 10
        }
    }

    /// Writes `value` (0 or more) as exactly `digits` decimal digits, zero-padded, at `offset` of `out`.
    static func write(_ value: Int, digits: Int, to out: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        var rest = value
        for position in stride(from: offset + digits - 1, through: offset, by: -1) {
            out[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// The number of days in a month of a year (Gregorian leap years).
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// What is wrong with a text that is not a date, as every reader says it.
    public static let notADate = "is not a date (YYYY-MM-DD, a day that exists)"

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" \(LocalDate.notADate)")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
