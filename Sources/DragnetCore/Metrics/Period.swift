/// A report period: calendar days from `from` to `to`, both included, with `from ≤ to`.
///
/// Read from `--from`/`--to`, or from `--year 2020`, `--quarter 2020Q3`, `--month 2020-07` (and the same names as
/// query parameters on the central endpoint). Errors name the field and the value and show a correct example.
public struct Period: Sendable, Codable, Equatable, CustomStringConvertible {
    /// The first day.
    public let from: LocalDate
    /// The last day (included).
    public let to: LocalDate

    /// The period from `from` to `to`; a `DragnetError` (usage) when it would end before it starts.
    public init(from: LocalDate, to: LocalDate) throws {
        guard from <= to else {
            throw DragnetError(.usage, "the period ends before it starts: from \(from) is after to \(to)")
        }
        self.from = from
        self.to = to
    }

    /// The calendar year `year`, 1 January to 31 December.
    public static func year(_ year: Int) throws -> Period {
        guard let first = LocalDate(year: year, month: 1, day: 1), let last = LocalDate(year: year, month: 12, day: 31)
        else { throw DragnetError(.usage, "year \(year) is out of range: write a year from 1 to 9999") }
        return try Period(from: first, to: last)
    }

    /// Quarter `quarter` (1 to 4) of `year`: Q1 is January to March, Q3 July to September.
    public static func quarter(_ quarter: Int, of year: Int) throws -> Period {
        guard (1...4).contains(quarter) else {
            throw DragnetError(.usage, "quarter \(quarter) is not 1, 2, 3 or 4")
        }
        let first = try month(quarter * 3 - 2, of: year), last = try month(quarter * 3, of: year)
        return try Period(from: first.from, to: last.to)
    }

    /// Month `month` (1 to 12) of `year`, first to last day (29 February in a leap year).
    public static func month(_ month: Int, of year: Int) throws -> Period {
        guard (1...12).contains(month), (1...9999).contains(year),
            let first = LocalDate(year: year, month: month, day: 1),
            let last = LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year))
        else { throw DragnetError(.usage, "month \(month) of year \(year) is not a month") }
        return try Period(from: first, to: last)
    }

    /// Reads `2020`.
    public static func parse(year text: String) throws -> Period {
        guard text.utf8.count == 4, let value = LocalDate.digits(ArraySlice(text.utf8)), value >= 1 else {
            throw DragnetError(.usage, "year \"\(text)\" is not a year: write four digits, as in 2020")
        }
        return try year(value)
    }

    /// Reads `2020Q3` (or `2020q3`).
    public static func parse(quarter text: String) throws -> Period {
        let bytes = Array(text.utf8)
        guard bytes.count == 6, bytes[4] == UInt8(ascii: "Q") || bytes[4] == UInt8(ascii: "q"),
            let y = LocalDate.digits(bytes[0..<4]), y >= 1, let q = LocalDate.digits(bytes[5..<6]), (1...4).contains(q)
        else {
            throw DragnetError(
                .usage, "quarter \"\(text)\" is not a quarter: write the year, Q and 1 to 4, as in 2020Q3")
        }
        return try quarter(q, of: y)
    }

    /// Reads `2020-07`.
    public static func parse(month text: String) throws -> Period {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"), let y = LocalDate.digits(bytes[0..<4]), y >= 1,
            let m = LocalDate.digits(bytes[5..<7]), (1...12).contains(m)
        else {
            throw DragnetError(.usage, "month \"\(text)\" is not a month: write YYYY-MM, as in 2020-07")
        }
        return try month(m, of: y)
    }

    /// Reads two `YYYY-MM-DD` dates and checks that the first is not after the second.
    public static func parse(from fromText: String, to toText: String) throws -> Period {
        guard let first = LocalDate(fromText) else {
            throw DragnetError(.usage, "from \"\(fromText)\" is not a date: write YYYY-MM-DD, as in 2020-01-01")
        }
        guard let last = LocalDate(toText) else {
            throw DragnetError(.usage, "to \"\(toText)\" is not a date: write YYYY-MM-DD, as in 2020-12-31")
        }
        return try Period(from: first, to: last)
    }

    /// The period given by exactly one of: `from` with `to`, `year`, `quarter`, `month` (as the command line and the
    /// endpoint's query take them); a `DragnetError` (usage) saying what is missing or too much otherwise.
    public static func resolve(
        from: String? = nil, to: String? = nil, year: String? = nil, quarter: String? = nil, month: String? = nil
    ) throws -> Period {
        let usage =
            "give the period as from and to (YYYY-MM-DD), or as one of year (2020), quarter (2020Q3), "
            + "month (2020-07)"
        let shortcuts = [year, quarter, month].compactMap { $0 }.count
        switch (from, to) {
        case (let from?, let to?):
            guard shortcuts == 0 else {
                throw DragnetError(.usage, "from and to leave no room for another period: " + usage)
            }
            return try parse(from: from, to: to)
        case (.some, nil):
            throw DragnetError(.usage, "from is given without to: " + usage)
        case (nil, .some):
            throw DragnetError(.usage, "to is given without from: " + usage)
        case (nil, nil):
            guard shortcuts == 1 else {
                let problem = shortcuts == 0 ? "no period is given: " : "more than one period is given: "
                throw DragnetError(.usage, problem + usage)
            }
            if let year { return try parse(year: year) }
            if let quarter { return try parse(quarter: quarter) }
            return try parse(month: month ?? "")
        }
    }

    /// The same days one year earlier, for "the same period last year": a day becomes the same day a year before
    /// (29 February becomes 28 February), except that a month's last day stays a month's last day, so that February
    /// 2021 compares with all of February 2020 (1 to 29) and a whole year with the whole year before.
    public var yearEarlier: Period {
        func earlier(_ day: LocalDate) -> LocalDate {
            let shifted = day.adding(years: -1)
            let lastDay = LocalDate.daysIn(month: day.month, year: day.year)
            guard day.day == lastDay else { return shifted }
            return LocalDate(
                year: shifted.year, month: shifted.month,
                day: LocalDate.daysIn(month: shifted.month, year: shifted.year)) ?? shifted
        }
        let from = earlier(self.from), to = earlier(self.to)
        return (try? Period(from: min(from, to), to: to)) ?? self
    }

    /// Whether the period is not over on `observedOn`: its last day is that day or later, so its figures will change.
    public func isInProgress(observedOn: LocalDate) -> Bool { to >= observedOn }

    /// The day the supervision figures (SPEC §10) are counted on: the period's last day, or `observedOn` (the day the
    /// facts were observed: `as_of`'s date, else today) when the period is not over by then. A day still to come would
    /// count every person not yet contacted as overdue.
    public func supervisionDay(observedOn: LocalDate) -> LocalDate { min(to, observedOn) }

    /// Whether `date` is one of the period's days.
    public func contains(_ date: LocalDate) -> Bool { from <= date && date <= to }

    /// `2020-07-01 to 2020-09-30`.
    public var description: String { "\(from) to \(to)" }

    enum CodingKeys: String, CodingKey {
        case from, to
    }

    /// Reads `{"from": …, "to": …}` and checks that `from ≤ to`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let first = try c.decode(LocalDate.self, forKey: .from), last = try c.decode(LocalDate.self, forKey: .to)
        do {
            try self.init(from: first, to: last)
        } catch let error as DragnetError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }
}
