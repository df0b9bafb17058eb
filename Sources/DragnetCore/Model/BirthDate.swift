/// A birth date: a full date, or only the year, as many old records know no more.
public enum BirthDate: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The day is known.
    case full(LocalDate)
    /// Only the year is known.
    case year(Int)

    /// Parses `YYYY-MM-DD` or `YYYY`.
    public init?(_ text: some StringProtocol) {
        if let date = LocalDate(text) {
            self = .full(date)
        } else if text.utf8.count == 4, let y = LocalDate.digits(ArraySlice(text.utf8)), y >= 1 {
            self = .year(y)
        } else {
            return nil
        }
    }

    /// The earliest day the person can have been born.
    public var earliestDay: LocalDate {
        switch self {
        case .full(let date): return date
        case .year(let y): return LocalDate(year: y, month: 1, day: 1)!
        }
    }

    /// `YYYY-MM-DD` or `YYYY`.
    public var description: String {
        switch self {
        case .full(let date): return date.description
        case .year(let y): return String(repeating: "0", count: max(0, 4 - String(y).count)) + String(y)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = BirthDate(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a birth date")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
