import Foundation

/// A moment in UTC with millisecond precision: when an event was recorded, or the `as_of` of a report.
/// Printed and stored as `2020-03-01T10:15:00.000Z`, a fixed-width form that sorts as text in time order.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public let milliseconds: Int64

    /// The moment `milliseconds` after the Unix epoch.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// The moment a Foundation `Date` stands for, truncated to the millisecond.
    public init(_ date: Date) { self.milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    /// The current moment. Only the edges of the program (the command line, the server) call this.
    public static func now() -> Timestamp { Timestamp(Date()) }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z`, or a bare date `YYYY-MM-DD` meaning the end of that day in UTC
    /// (a report "as known on 2021-01-15" includes everything recorded that day).
    public init?(_ text: some StringProtocol) {
        let s = String(text)
        if let date = LocalDate(s) {
            self.milliseconds = Int64(date.dayNumber + 1) * 86_400_000 - 1
            return
        }
        let bytes = Array(s.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z"),
            let date = LocalDate(String(decoding: bytes[0..<10], as: UTF8.self)),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let hh = LocalDate.digits(bytes[11..<13]), let mm = LocalDate.digits(bytes[14..<16]),
            let ss = LocalDate.digits(bytes[17..<19]), hh < 24, mm < 60, ss < 60
        else { return nil }
        var millis = 0
        if bytes.count == 20 {
            guard bytes[19] == UInt8(ascii: "Z") else { return nil }
        } else {
            let fraction = bytes[20..<(bytes.count - 1)]
            guard bytes[19] == UInt8(ascii: "."), (1...9).contains(fraction.count),
                let value = LocalDate.digits(fraction.prefix(3))
            else { return nil }
            guard LocalDate.digits(fraction) != nil else { return nil }
            millis = value * [1, 100, 10, 1][min(fraction.count, 3)]
        }
        let seconds = Int64(date.dayNumber) * 86_400 + Int64(hh * 3600 + mm * 60 + ss)
        self.milliseconds = seconds * 1000 + Int64(millis)
    }

    /// The UTC calendar date of this moment.
    public var date: LocalDate {
        LocalDate(dayNumber: Int((milliseconds >= 0 ? milliseconds : milliseconds - 86_399_999) / 86_400_000))
    }

    /// `YYYY-MM-DDTHH:MM:SS.fffZ`.
    public var description: String {
        let dayMillis = Int((milliseconds % 86_400_000 + 86_400_000) % 86_400_000)
        let s = dayMillis / 1000, ms = dayMillis % 1000
        let day = date.description
        return day
            + String(unsafeUninitializedCapacity: 14) { out in
                out[0] = UInt8(ascii: "T")
                LocalDate.write(s / 3600, digits: 2, to: out, at: 1)
                out[3] = UInt8(ascii: ":")
                LocalDate.write(s / 60 % 60, digits: 2, to: out, at: 4)
                out[6] = UInt8(ascii: ":")
                LocalDate.write(s % 60, digits: 2, to: out, at: 7)
                out[9] = UInt8(ascii: ".")
                LocalDate.write(ms, digits: 3, to: out, at: 10)
                out[13] = UInt8(ascii: "Z")
                return 14
            }
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Timestamp(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not a UTC timestamp")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
