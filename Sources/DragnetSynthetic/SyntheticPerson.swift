import DragnetCore

/// The person columns of one synthetic row (`full_name`, `birth_date`, `sex`, `national_id`), and how they are made.
struct SyntheticPerson: Sendable {
    /// The name as written, NFC, sometimes with a nickname ("Phạm Văn Hùng, tức Hùng Sẹo").
    let fullName: String
    /// `YYYY-MM-DD`, or `YYYY` for about 30 % of persons.
    let birth: String
    /// `M`, `F`, or blank.
    let sex: String
    /// A 12-digit CCCD, a 9-digit CMND, or blank.
    let nationalID: String

    /// The shares that differ between the two lists.
    struct Shares: Sendable {
        /// Men among persons whose sex is recorded.
        var male: Double
        /// Persons whose sex is not recorded.
        var unknownSex: Double
        /// Persons with a 12-digit CCCD; of the rest, `oldID` have a 9-digit CMND and the others none.
        var cccd: Double
        /// Persons with a 9-digit CMND.
        var oldID: Double
        /// Names followed by a nickname.
        var nickname: Double
    }

    /// A person aged 17 to 70 on `firstEvent` (a day number: the first decision, or the conviction), registered in
    /// `province`.
    init(
        firstEvent: Int, province: SyntheticGeography.Province, shares: Shares, calendar: SyntheticCalendar,
        _ random: inout SyntheticRandom
    ) {
        typealias Words = SyntheticVocabulary
        let recorded = !random.chance(shares.unknownSex)
        let male = random.chance(recorded ? shares.male : 0.5)
        sex = recorded ? (male ? "M" : "F") : ""

        let family = Words.familyNames[Self.familyTable.draw(&random)]
        let southern = province.region == 2 || (province.region == 1 && random.chance(0.5))
        let middles = male ? Words.maleMiddle : Words.femaleMiddle
        let plain = male ? Self.plainMiddles.male : Self.plainMiddles.female
        var middle = middles.draw(&random)
        let two = random.chance(0.12)  // Văn or Thị, then another ("Lê Thị Hồng Nhung")
        if two { while middle.utf8.elementsEqual(plain.utf8) { middle = middles.draw(&random) } }
        let givenNames = male ? Words.maleGiven : Words.femaleGiven
        var given = random.pick(givenNames)
        while given.utf8.elementsEqual(middle.utf8) { given = random.pick(givenNames) }  // not "Nguyễn Công Công"
        var name = ""
        name.reserveCapacity(64)
        name += southern ? family.south : family.north
        if two { name += " " + plain }
        name += " " + middle
        name += " " + given
        if random.chance(shares.nickname) { name += ", tức " + given + " " + random.pick(Words.nicknames) }
        fullName = name

        var age = 17 + (random.below(30) + random.below(30)) / 2
        if random.chance(0.2) { age += random.below(25) }
        let born = firstEvent - age * 365 - age / 4 - random.below(365)
        birth = random.chance(0.3) ? calendar.yearText(born) : calendar.text(born)

        let kind = random.unit()
        if kind < shares.cccd {
            let birthYear = LocalDate(dayNumber: born).year
            let place = random.chance(0.75) ? province.idCode : random.pick(SyntheticGeography.known).code
            let century = (birthYear >= 2000 ? 2 : 0) + (male ? 0 : 1)
            nationalID =
                "0" + place + String(century) + SyntheticCalendar.digits(birthYear % 100, width: 2)
                + SyntheticCalendar.digits(random.below(1_000_000), width: 6)
        } else if kind < shares.cccd + shares.oldID {
            let prefix =
                Self.oldIDPrefixes[province.idCode] ?? SyntheticCalendar.digits(10 + random.below(30), width: 2)
            nationalID = prefix + SyntheticCalendar.digits(random.below(10_000_000), width: 7)
        } else {
            nationalID = ""
        }
    }

    /// The most common middle names, which come first when there are two.
    private static let plainMiddles = (male: SyntheticVocabulary.nfc("Văn"), female: SyntheticVocabulary.nfc("Thị"))

    /// The family names by weight, as indices into `SyntheticVocabulary.familyNames`.
    private static let familyTable = WeightedTable(
        SyntheticVocabulary.familyNames.enumerated().map { ($0.offset, $0.element.weight) })

    /// The first two digits of old 9-digit ids issued in some provinces.
    private static let oldIDPrefixes = ["01": "01", "79": "02", "31": "03", "48": "20", "92": "36", "75": "27"]
}
