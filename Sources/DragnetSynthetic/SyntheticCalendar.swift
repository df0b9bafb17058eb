import DragnetCore

/// The dates of a synthetic data set, as day numbers: the span cases are spread over (2015-01-01, or ten years
/// back when `today` is earlier than 2016, up to `today`), and their `YYYY-MM-DD` texts, made once and shared.
struct SyntheticCalendar: Sendable {
    /// The first day a case can start.
    let start: Int
    /// The last day anything can happen.
    let today: Int
    /// The first day early releases happen (the 2015 Code's conditional early release, from mid-2018), or `start`.
    let earlyReleaseStart: Int
    /// The days amnesties were granted on (2 September and before Tết each year), within the span.
    let amnestyDays: [Int]
    private let firstText: Int
    private let texts: [String]
    private let firstYear: Int
    private let yearTexts: [String]

    /// The calendar of a data set generated on `today`.
    init(today date: LocalDate) {
        today = date.dayNumber
        start = min(16_436, today - 3650)  // 2015-01-01, or ten years back
        let mid2018 = 17_713  // 2018-07-01
        earlyReleaseStart = mid2018 < today ? max(start, mid2018) : start
        var amnesties: [Int] = []
        let first = LocalDate(dayNumber: start).year
        for year in first...max(first, date.year) {
            for (month, day) in [(1, 25), (9, 2)] {
                guard let day = LocalDate(year: year, month: month, day: day)?.dayNumber else { continue }
                if day >= start && day <= today { amnesties.append(day) }
            }
        }
        amnestyDays = amnesties
        firstText = start - 90 * 366  // before the earliest birth: aged 70 at a conviction 16 years before `start`
        texts = (firstText...today).map { LocalDate(dayNumber: $0).description }
        firstYear = LocalDate(dayNumber: firstText).year
        yearTexts = (firstYear...max(firstYear, date.year)).map { BirthDate.year($0).description }
    }

    /// `YYYY-MM-DD` of a day number in the calendar's range.
    func text(_ day: Int) -> String {
        let index = day - firstText
        return index >= 0 && index < texts.count ? texts[index] : LocalDate(dayNumber: day).description
    }

    /// `YYYY` of a day number.
    func yearText(_ day: Int) -> String {
        let year = LocalDate(dayNumber: day).year
        let index = year - firstYear
        return index >= 0 && index < yearTexts.count ? yearTexts[index] : BirthDate.year(year).description
    }

    /// A uniform day in `low...high` (`low` when the range is empty).
    func day(from low: Int, to high: Int, _ random: inout SyntheticRandom) -> Int {
        high <= low ? low : low + random.below(high - low + 1)
    }

    /// A day of the span, three times as likely at its end as at its start (registers grow, and the oldest records
    /// were never all keyed in).
    func caseDay(_ random: inout SyntheticRandom) -> Int {
        let span = Double(today - start + 1)
        let position = random.chance(0.5) ? random.unit().squareRoot() : random.unit()
        return start + min(Int(span * position), today - start)
    }

    /// `value` in decimal, zero-padded on the left to `width` digits (`value` must not be negative).
    static func digits(_ value: Int, width: Int) -> String {
        var remaining = max(0, value)
        var count = 1
        var rest = remaining
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        let length = max(width, count)
        return String(unsafeUninitializedCapacity: length) { buffer in
            for index in stride(from: length - 1, through: 0, by: -1) {
                buffer[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
            return length
        }
    }
}
