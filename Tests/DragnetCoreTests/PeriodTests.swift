import Testing

@testable import DragnetCore

@Suite("Report periods")
struct PeriodTests {
    /// The message of the usage error `body` throws; `nil` when it throws none or another error.
    static func usageMessage(_ body: () throws -> Period) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as DragnetError {
            return error.code == .usage ? error.message : nil
        } catch {
            return nil
        }
    }

    @Test(
        "year, quarter and month shortcuts give their first and last days",
        arguments: [
            ("year", "2020", "2020-01-01", "2020-12-31"),
            ("quarter", "2020Q1", "2020-01-01", "2020-03-31"),
            ("quarter", "2020Q2", "2020-04-01", "2020-06-30"),
            ("quarter", "2020Q3", "2020-07-01", "2020-09-30"),
            ("quarter", "2020q4", "2020-10-01", "2020-12-31"),
            ("month", "2020-07", "2020-07-01", "2020-07-31"),
            // 2020 is a leap year (divisible by 4, not by 100): February has 29 days.
            ("month", "2020-02", "2020-02-01", "2020-02-29"),
            ("month", "2021-02", "2021-02-01", "2021-02-28"),
            // 1900 is divisible by 100 and not by 400: no 29 February. 2000 is divisible by 400: it has one.
            ("month", "1900-02", "1900-02-01", "1900-02-28"),
            ("month", "2000-02", "2000-02-01", "2000-02-29"),
            ("month", "2020-04", "2020-04-01", "2020-04-30"),
            // Q1 of a leap year still ends on 31 March.
            ("quarter", "2024Q1", "2024-01-01", "2024-03-31"),
        ])
    func shortcut(kind: String, text: String, first: String, last: String) throws {
        let period: Period
        switch kind {
        case "year": period = try Period.resolve(year: text)
        case "quarter": period = try Period.resolve(quarter: text)
        default: period = try Period.resolve(month: text)
        }
        #expect(period.from == MetricsFixture.day(first))
        #expect(period.to == MetricsFixture.day(last))
    }

    @Test(
        "malformed shortcuts are refused with an example",
        arguments: [
            ("year", "20", "2020"), ("year", "20x0", "2020"), ("year", "0000", "2020"), ("year", "2020 ", "2020"),
            ("quarter", "2020Q5", "2020Q3"), ("quarter", "2020Q0", "2020Q3"), ("quarter", "2020-3", "2020Q3"),
            ("quarter", "Q3 2020", "2020Q3"), ("month", "2020-13", "2020-07"), ("month", "2020-00", "2020-07"),
            ("month", "2020-7", "2020-07"), ("month", "2020/07", "2020-07"),
        ])
    func malformed(kind: String, text: String, example: String) {
        do {
            switch kind {
            case "year": _ = try Period.parse(year: text)
            case "quarter": _ = try Period.parse(quarter: text)
            default: _ = try Period.parse(month: text)
            }
            Issue.record("\(kind) \(text) was accepted")
        } catch let error as DragnetError {
            #expect(error.code == .usage)
            #expect(error.exitStatus == 64)
            #expect(error.message.contains("\"\(text)\""))
            #expect(error.message.contains(example))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("from and to: one day is a period, from after to is refused naming both dates")
    func fromTo() throws {
        let day = try Period.parse(from: "2020-05-05", to: "2020-05-05")
        #expect(day.from == day.to)
        #expect(
            Self.usageMessage { try Period.parse(from: "2021-01-01", to: "2020-12-31") }
                == "the period ends before it starts: from 2021-01-01 is after to 2020-12-31")
        #expect(
            Self.usageMessage { try Period.parse(from: "2021-02-30", to: "2021-12-31") }
                == "from \"2021-02-30\" is not a date: write YYYY-MM-DD, as in 2020-01-01")
    }

    @Test(
        "exactly one way of giving the period",
        arguments: [
            (nil, nil, nil, nil, nil, "no period is given"),
            ("2020-01-01", nil, nil, nil, nil, "from is given without to"),
            (nil, "2020-01-01", nil, nil, nil, "to is given without from"),
            (nil, nil, "2020", "2020Q1", nil, "more than one period is given"),
            ("2020-01-01", "2020-02-01", "2020", nil, nil, "from and to leave no room"),
        ] as [(String?, String?, String?, String?, String?, String)])
    func resolve(from: String?, to: String?, year: String?, quarter: String?, month: String?, problem: String) {
        do {
            _ = try Period.resolve(from: from, to: to, year: year, quarter: quarter, month: month)
            Issue.record("accepted")
        } catch let error as DragnetError {
            #expect(error.message.hasPrefix(problem))
            #expect(error.message.contains("quarter (2020Q3)"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("a period is in progress until its last day is over")
    func inProgress() throws {
        let q3 = try Period.parse(quarter: "2020Q3")
        #expect(q3.isInProgress(observedOn: MetricsFixture.day("2020-08-01")))
        #expect(q3.isInProgress(observedOn: MetricsFixture.day("2020-09-30")))
        #expect(!q3.isInProgress(observedOn: MetricsFixture.day("2020-10-01")))
        #expect(q3.contains(MetricsFixture.day("2020-07-01")) && q3.contains(MetricsFixture.day("2020-09-30")))
        #expect(!q3.contains(MetricsFixture.day("2020-06-30")) && !q3.contains(MetricsFixture.day("2020-10-01")))
        #expect(q3.description == "2020-07-01 to 2020-09-30")
    }
}

/// "The same period last year" on the dashboard.
@Suite struct YearEarlierTests {
    @Test(
        arguments: [
            // A whole year: the whole year before.
            ("2021-01-01", "2021-12-31", "2020-01-01", "2020-12-31"),
            // February 2021 (28 days) against all of February 2020 (29 days): a month's last day stays one.
            ("2021-02-01", "2021-02-28", "2020-02-01", "2020-02-29"),
            // February 2020 against February 2019: 29 February is the month's last day, so 28 February 2019.
            ("2020-02-01", "2020-02-29", "2019-02-01", "2019-02-28"),
            // Part of a month: the same days.
            ("2021-03-01", "2021-03-15", "2020-03-01", "2020-03-15"),
            // The first day of the year to a day in the middle (the dashboard's default).
            ("2026-01-01", "2026-12-02", "2025-01-01", "2025-12-02"),
        ])
    func theSameDaysAYearBefore(from: String, to: String, earlierFrom: String, earlierTo: String) throws {
        let earlier = try Period(from: day(from), to: day(to)).yearEarlier
        #expect(earlier.from == day(earlierFrom) && earlier.to == day(earlierTo))
    }
}
