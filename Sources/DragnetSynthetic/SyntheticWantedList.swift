import DragnetCore

/// Makes the rows of a synthetic `wanted.csv`, one case at a time: exactly `cases` cases in exactly `rows` rows
/// (one row a decision; about 1.3 decisions a case when `rows` is 1.3 × `cases`).
///
/// Every case meets the import rules: decisions on or after the person turned 16, distinct decision numbers within a
/// case, every decision on or before the closing, the closing on or after the last decision and on or before `today`,
/// person and closing columns repeated on every row of the case, a `case_ref` used once in the whole file.
struct SyntheticWantedList {
    private var random: SyntheticRandom
    private let geography: SyntheticGeography
    private let calendar: SyntheticCalendar
    private var rowsLeft: Int
    private var casesLeft: Int
    private var sequence = 0
    /// Cases closed so far, by kind.
    private(set) var closings: [ClosingKind: Int] = [:]
    /// Cases left open so far.
    private(set) var open = 0

    /// Wanted persons: mostly men, ids often unknown, a few known by a nickname.
    static let shares = SyntheticPerson.Shares(male: 0.87, unknownSex: 0.03, cccd: 0.55, oldID: 0.15, nickname: 0.015)
    /// How cases close: mostly arrests, then surrenders; few are struck off or end with a death.
    static let closingKinds = WeightedTable<ClosingKind>(
        [(.arrested, 64), (.surrendered, 26), (.struckOff, 7), (.died, 3)])

    /// A list of `cases` cases in `rows` rows, `cases ≤ rows ≤ 3 × cases`.
    init(seed: UInt64, cases: Int, rows: Int, geography: SyntheticGeography, calendar: SyntheticCalendar) {
        random = SyntheticRandom(seed: seed, stream: SyntheticRandom.stream(named: "wanted"))
        self.geography = geography
        self.calendar = calendar
        rowsLeft = rows
        casesLeft = cases
    }

    /// The rows of the next case, or `nil` when all cases are made.
    mutating func nextCase() -> [[String]]? {
        guard casesLeft > 0 else { return nil }
        let count = decisionCount()
        rowsLeft -= count
        casesLeft -= 1
        sequence += 1

        let province = geography.provinces.draw(&random)
        let unit = random.chance(0.15) ? province.unit : province.communes.draw(&random)
        let opened = calendar.caseDay(&random)
        var offense = SyntheticVocabulary.offenses.draw(&random)
        let danger = Self.danger(gravity: offense.gravity, &random)
        let abroad = random.chance(danger == .especiallyDangerous ? 0.12 : danger == .dangerous ? 0.05 : 0.025)
        let person = SyntheticPerson(
            firstEvent: opened, province: province, shares: Self.shares, calendar: calendar, &random)
        let ref = "TN-" + String(LocalDate(dayNumber: opened).year) + "-" + SyntheticCalendar.digits(sequence, width: 6)

        var decisions: [(number: String, day: Int, offense: String)] = []
        var day = opened
        var numbers: [Int] = []
        for index in 0..<count {
            if index > 0 {
                day = min(calendar.today, day + 1 + random.exponentialDays(mean: 250))
                if random.chance(0.4) { offense = SyntheticVocabulary.offenses.draw(&random) }
            }
            var number = 1 + random.below(random.chance(0.8) ? 400 : 999)
            while numbers.contains(number) { number = number % 999 + 1 }
            numbers.append(number)
            let body = SyntheticVocabulary.decisionBodies.draw(&random)
            decisions.append((String(number) + "/" + body, day, offense.cited(on: LocalDate(dayNumber: day))))
        }

        var closing = "", closingDate = "", closedBy = ""
        // Most fugitives are caught within weeks, some after years, a few never (more of those abroad).
        let neverCaught = random.chance(abroad ? 0.35 : 0.05)
        let closedOn = max(day, opened + 3 + random.exponentialDays(mean: random.chance(0.68) ? 45 : 700))
        if !neverCaught && closedOn <= calendar.today {
            let kind = Self.closingKinds.draw(&random)
            closings[kind, default: 0] += 1
            closing = kind.rawValue
            closingDate = calendar.text(closedOn)
            let place = random.unit()
            let acting =
                place < 0.78
                ? unit
                : place < 0.92 ? province.communes.draw(&random) : geography.communeElsewhere(than: province, &random)
            closedBy = acting.rawValue
        } else {
            open += 1
        }

        let abroadText = abroad ? "true" : "false"
        return decisions.map { decision in
            [
                ref, unit.rawValue, person.fullName, person.birth, person.sex, person.nationalID, decision.number,
                calendar.text(decision.day), decision.offense, danger.rawValue, abroadText, closing, closingDate,
                closedBy,
            ]
        }
    }

    /// How many decisions the next case has: 1 to 3, about `rowsLeft / casesLeft` on average, and always leaving
    /// between 1 and 3 rows for each case still to come.
    private mutating func decisionCount() -> Int {
        guard casesLeft > 1 else { return min(3, max(1, rowsLeft)) }
        let extra = min(2, max(0, Double(rowsLeft) / Double(casesLeft) - 1))
        let three = extra <= 1.2 ? extra / 6 : extra - 1
        let two = extra <= 1.2 ? 2 * extra / 3 : 2 - extra
        let draw = random.unit()
        let wanted = draw < three ? 3 : draw < three + two ? 2 : 1
        let low = max(1, rowsLeft - 3 * (casesLeft - 1))
        let high = min(3, rowsLeft - (casesLeft - 1))
        return min(high, max(low, wanted))
    }

    /// A danger class in the proportions of an offence's gravity.
    private static func danger(gravity: Int, _ random: inout SyntheticRandom) -> DangerClass {
        let (especially, dangerous) = gravity == 2 ? (0.30, 0.50) : gravity == 1 ? (0.08, 0.32) : (0.01, 0.09)
        let draw = random.unit()
        return draw < especially ? .especiallyDangerous : draw < especially + dangerous ? .dangerous : .ordinary
    }
}
