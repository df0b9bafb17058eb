import DragnetCore

/// Makes the rows of a synthetic `releases.csv`, one release case a row.
///
/// Every row meets the import rules: the person is at least 16 when convicted, an early release has a probation end
/// after its release, every ending is on or after the release and on or before `today`, a revocation only ends an
/// early release and is on or before the probation end, a `case_ref` is used once in the whole file.
struct SyntheticReleaseList {
    private var random: SyntheticRandom
    private let geography: SyntheticGeography
    private let calendar: SyntheticCalendar
    private let facilitiesByRegion: [[String]]
    private var sequence = 0
    /// Rows made so far, by release type.
    private(set) var types: [ReleaseType: Int] = [:]
    /// Cases ended so far, by kind.
    private(set) var endings: [EndingKind: Int] = [:]
    /// The case of the last row, for its supervision events (`SyntheticSupervision`).
    private(set) var last: SyntheticSupervision.Case?

    /// Released persons: prisons record sex and ids better than wanted notices do.
    static let shares = SyntheticPerson.Shares(male: 0.9, unknownSex: 0.01, cccd: 0.7, oldID: 0.2, nickname: 0)
    /// Most releases are at the end of the sentence.
    static let releaseTypes = WeightedTable<ReleaseType>(
        [(.sentenceCompleted, 62), (.earlyRelease, 18), (.amnesty, 20)])

    /// The chance of each ending for a release type (a case gets at most one; the rest stay open).
    static func endingChances(_ type: ReleaseType) -> [(EndingKind, Double)] {
        switch type {
        case .sentenceCompleted: return sentenceCompletedEndings
        case .amnesty: return amnestyEndings
        case .earlyRelease: return earlyReleaseEndings
        }
    }

    private static let sentenceCompletedEndings: [(EndingKind, Double)] =
        [(.reoffended, 0.25), (.died, 0.015), (.expunged, 0.60)]
    private static let amnestyEndings: [(EndingKind, Double)] = [
        (.reoffended, 0.10), (.died, 0.015), (.expunged, 0.60),
    ]
    private static let earlyReleaseEndings: [(EndingKind, Double)] =
        [(.reoffended, 0.12), (.revoked, 0.05), (.died, 0.01), (.expunged, 0.45)]

    /// A list for `seed` over `geography` and `calendar`.
    init(seed: UInt64, geography: SyntheticGeography, calendar: SyntheticCalendar) {
        random = SyntheticRandom(seed: seed, stream: SyntheticRandom.stream(named: "releases"))
        self.geography = geography
        self.calendar = calendar
        facilitiesByRegion = (0..<3).map { region in
            SyntheticVocabulary.facilities.filter { $0.region == region }.map(\.name)
        }
    }

    /// The next row.
    mutating func nextRow() -> [String] {
        sequence += 1
        let province = geography.provinces.draw(&random)
        let unit = province.communes.draw(&random)
        let type = Self.releaseTypes.draw(&random)
        types[type, default: 0] += 1
        let released: Int
        switch type {
        case .amnesty where !calendar.amnestyDays.isEmpty:
            released = max(calendar.start, random.pick(calendar.amnestyDays) - random.below(5))
        case .earlyRelease:
            released = calendar.day(from: calendar.earlyReleaseStart, to: calendar.today, &random)
        default:
            released = calendar.caseDay(&random)
        }
        let sentenceDays = 365 * (1 + random.below(random.chance(0.8) ? 5 : 15)) + random.below(365)
        let convicted = released - sentenceDays
        let person = SyntheticPerson(
            firstEvent: convicted, province: province, shares: Self.shares, calendar: calendar, &random)
        let offense = SyntheticVocabulary.offenses.draw(&random).cited(on: LocalDate(dayNumber: convicted))
        let region = facilitiesByRegion[province.region]
        let facility =
            random.chance(0.75) && !region.isEmpty
            ? random.pick(region) : random.pick(SyntheticVocabulary.facilities).name

        var probation: Int?
        if type == .earlyRelease { probation = released + 90 + random.below(600) + random.below(700) }

        var ending = "", endingDate = ""
        var endingDay: Int?
        var draw = random.unit()
        for (kind, chance) in Self.endingChances(type) {
            draw -= chance
            guard draw < 0 else { continue }
            let day: Int
            switch kind {
            case .reoffended: day = released + 20 + random.exponentialDays(mean: 450)
            case .died: day = released + random.below(3000)
            case .expunged: day = (probation ?? released) + 365 + random.below(4 * 365)
            case .revoked:
                day = calendar.day(from: released + 1, to: min(probation ?? released, calendar.today), &random)
            }
            if day <= calendar.today {
                endings[kind, default: 0] += 1
                ending = kind.rawValue
                endingDate = calendar.text(day)
                endingDay = day
            }
            break
        }

        let prefix = type == .amnesty ? "DX-" : type == .earlyRelease ? "TD-" : "TT-"
        let ref =
            prefix + String(LocalDate(dayNumber: released).year) + "-"
            + SyntheticCalendar.digits(sequence, width: 6)
        last = SyntheticSupervision.Case(
            ref: ref, unit: unit, type: type, released: released, probationUntil: probation, ending: endingDay)
        return [
            ref, unit.rawValue, person.fullName, person.birth, person.sex, person.nationalID, type.rawValue,
            calendar.text(released), facility, offense, probation.map(calendar.text) ?? "", ending, endingDate,
        ]
    }
}
