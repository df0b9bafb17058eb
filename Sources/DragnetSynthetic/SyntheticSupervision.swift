import DragnetCore

/// Makes the rows of a synthetic `supervision.csv`: the supervision events (SPEC §10) of each release case of
/// `releases.csv`, as the case is made.
///
/// How supervision goes here, roughly as ward police describe it: most persons report in within 5 days of their
/// release (86 %), some later (9 %), a few never (5 %, most of whom are then recorded as missing); an officer is
/// assigned within a week of the reporting in and sometimes replaced; most officers check on the person a little
/// before the interval is up (31 days on probation, 92 otherwise), some irregularly, a few let it slip; about 4 % of
/// those who reported in go missing once, and more than half of them are found again. While a person is missing no
/// contact is made.
///
/// Every row meets the rules: on or after the release, before the case's ending (never on it) and on or before
/// `today`, a `located` only after a `whereabouts_unknown` and never two of those without a `located` between.
/// Contacts are kept only from `recordsFrom` on (a station's contacts before it are not carried over), and cases that
/// ended before that day have no rows at all: the file stays a few rows a case however far back the releases go.
struct SyntheticSupervision {
    /// One release case as `SyntheticReleaseList` made it, in day numbers.
    struct Case {
        var ref: String
        var unit: UnitCode
        var type: ReleaseType
        var released: Int
        var probationUntil: Int?
        var ending: Int?
    }

    /// Days before `today` from which contacts are kept.
    static let contactDays = 365

    private var random: SyntheticRandom
    private let calendar: SyntheticCalendar
    /// The first day contacts are kept.
    let recordsFrom: Int
    /// Rows made so far, by event.
    private(set) var events: [SupervisionMark.Kind: Int] = [:]

    init(seed: UInt64, calendar: SyntheticCalendar) {
        random = SyntheticRandom(seed: seed, stream: SyntheticRandom.stream(named: "supervision"))
        self.calendar = calendar
        recordsFrom = calendar.today - Self.contactDays
    }

    /// The rows of one case, in date order (`ImportColumns.supervision`).
    mutating func rows(for c: Case) -> [[String]] {
        // The last day anything is recorded: today, or the day before the ending.
        let last = min(calendar.today, c.ending.map { $0 - 1 } ?? calendar.today)
        guard last >= c.released, last >= recordsFrom else { return [] }
        var made: [(day: Int, kind: SupervisionMark.Kind, officer: String, contact: String, note: String)] = []
        func add(
            _ day: Int, _ kind: SupervisionMark.Kind, officer: String = "", contact: String = "", note: String = ""
        ) {
            guard day <= last else { return }
            made.append((day, kind, officer, contact, note))
        }

        var reported: Int?
        let arrival = random.unit()
        if arrival < 0.86 {
            reported = c.released + (random.chance(0.3) ? 0 : 1 + random.below(5))
        } else if arrival < 0.95 {
            reported = c.released + 6 + random.exponentialDays(mean: 12)
        }
        if let day = reported, day > last { reported = nil }

        guard let reportedIn = reported else {
            // Never reported in: most are recorded as missing a few weeks on, and some of those are found and then
            // report in.
            let missing = c.released + 10 + random.below(30)
            if missing <= last && random.chance(0.7) {
                add(missing, .whereaboutsUnknown, note: random.pick(Self.missingNotes))
                if random.chance(0.4) {
                    let found = missing + 7 + random.exponentialDays(mean: 90)
                    add(found, .located)
                    add(found, .reportedIn)
                    add(found + random.below(8), .officerAssigned, officer: officer())
                }
            }
            return rows(c, made)
        }
        add(reportedIn, .reportedIn)
        let assigned = reportedIn + random.below(8)
        add(assigned, .officerAssigned, officer: officer())
        if random.chance(0.1) {
            add(calendar.day(from: assigned + 180, to: assigned + 1500, &random), .officerAssigned, officer: officer())
        }

        // One missing episode for a few, found again after a while for most of them.
        var missing: (from: Int, until: Int)?
        if random.chance(0.04) {
            let from = calendar.day(from: reportedIn + 30, to: max(reportedIn + 30, last), &random)
            let until = random.chance(0.6) ? from + 7 + random.exponentialDays(mean: 60) : Int.max
            add(from, .whereaboutsUnknown, note: random.pick(Self.missingNotes))
            if until != Int.max { add(until, .located) }
            missing = (from, until)
        }

        // Contacts: a gap drawn around the interval in force, from the reporting in on.
        let diligence = random.unit()
        var day = reportedIn
        while true {
            let interval = c.type == .earlyRelease && (c.probationUntil.map { day < $0 } ?? false) ? 31 : 92
            let share: Double
            if diligence < 0.75 {
                share = 0.55 + 0.43 * random.unit()  // punctual: before the interval is up
            } else if diligence < 0.93 {
                share = 0.6 + 0.7 * random.unit()  // irregular: now and then late
            } else {
                share = 1.2 + 1.5 * random.unit()  // neglectful: mostly late
            }
            day += max(1, Int(Double(interval) * share))
            if day > last { break }
            if let missing, day >= missing.from && day < missing.until { continue }
            if day >= recordsFrom {
                let note = random.chance(0.2) ? random.pick(Self.contactNotes) : ""
                add(day, .contact, contact: Self.contactKinds.draw(&random).rawValue, note: note)
            }
        }
        return rows(c, made)
    }

    /// The made events of `c` as rows, in date order (a stable sort: what was made first stays first on a day).
    private mutating func rows(
        _ c: Case, _ made: [(day: Int, kind: SupervisionMark.Kind, officer: String, contact: String, note: String)]
    ) -> [[String]] {
        let ordered = made.enumerated().sorted { ($0.element.day, $0.offset) < ($1.element.day, $1.offset) }
        return ordered.map { _, e in
            events[e.kind, default: 0] += 1
            return [c.ref, c.unit.rawValue, e.kind.rawValue, calendar.text(e.day), e.officer, e.contact, e.note]
        }
    }

    /// An officer of a ward station: rank and name.
    private mutating func officer() -> String {
        typealias Words = SyntheticVocabulary
        let male = random.chance(0.8)
        let family = Words.familyNames[Self.familyTable.draw(&random)].north
        let middle = (male ? Words.maleMiddle : Words.femaleMiddle).draw(&random)
        let given = random.pick(male ? Words.maleGiven : Words.femaleGiven)
        return Self.ranks.draw(&random) + " " + family + " " + middle + " " + given
    }

    private static let familyTable = WeightedTable(
        SyntheticVocabulary.familyNames.enumerated().map { ($0.offset, $0.element.weight) })

    /// Ward police officers' ranks.
    private static let ranks = WeightedTable(
        [("Thiếu úy", 2.0), ("Trung úy", 4), ("Thượng úy", 3), ("Đại úy", 2), ("Thiếu tá", 0.5)]
            .map { (SyntheticVocabulary.nfc($0.0), $0.1) })

    /// How officers check on a person.
    private static let contactKinds = WeightedTable<ContactKind>(
        [(.homeVisit, 45), (.inPerson, 30), (.phone, 20), (.other, 5)])

    /// What an officer writes after a contact, when anything.
    private static let contactNotes = [
        "Sống cùng gia đình, chấp hành tốt", "Đang làm việc tại địa phương", "Đi làm ăn xa, liên lạc qua điện thoại",
        "Gia đình cam kết quản lý, giáo dục", "Chưa có việc làm ổn định", "Đã được hỗ trợ vay vốn",
    ].map(SyntheticVocabulary.nfc)

    /// Why a person is recorded as missing.
    private static let missingNotes = [
        "Không có mặt tại nơi cư trú", "Bỏ đi khỏi địa phương, gia đình không biết ở đâu",
        "Không đến trình diện theo giấy triệu tập", "",
    ].map(SyntheticVocabulary.nfc)
}
