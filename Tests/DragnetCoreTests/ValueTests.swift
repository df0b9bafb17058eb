import Foundation
import Testing

@testable import DragnetCore

@Suite struct ValueTests {
    @Test(arguments: ["2021-02-30", "2021-13-01", "2021-00-10", "2021-1-01", "20210101", "2019-02-29", ""])
    func notADate(text: String) {
        #expect(LocalDate(text) == nil)
    }

    @Test(arguments: ["2020-02-29", "2021-12-31", "1900-01-01"])
    func aDate(text: String) {
        #expect(LocalDate(text)?.description == text)
    }

    @Test func dayNumbersRoundTripAndCount() {
        #expect(day("1970-01-01").dayNumber == 0)
        #expect(day("2021-01-01").dayNumber - day("2020-01-01").dayNumber == 366)
        for n in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(LocalDate(dayNumber: n).dayNumber == n)
        }
        #expect(day("2020-02-29").adding(years: 1) == day("2021-02-28"))
        #expect(LocalDate.earliest.description == "0001-01-01" && LocalDate.latest.description == "9999-12-31")
        // Written digit by digit inside 1...9999, as before outside it (day arithmetic can leave the range).
        #expect(day("2020-03-07").description == "2020-03-07" && day("0999-10-01").description == "0999-10-01")
        #expect(LocalDate.latest.adding(days: 1).description == "10000-01-01")
        #expect(Timestamp("2020-03-07T04:05:06.007Z")?.description == "2020-03-07T04:05:06.007Z")
        #expect(day("9990-01-01").adding(years: 50) == LocalDate.latest, "clamped, never a crash")
        #expect(day("2020-01-01").adding(years: Int.max) == LocalDate.latest)
    }

    @Test func timestampsParseAndPrintInOneFixedForm() {
        #expect(Timestamp("2021-01-15T08:30:00Z")?.description == "2021-01-15T08:30:00.000Z")
        #expect(Timestamp("2021-01-15T08:30:00.5Z")?.description == "2021-01-15T08:30:00.500Z")
        #expect(Timestamp("2021-01-15")?.description == "2021-01-15T23:59:59.999Z", "a date means the end of the day")
        #expect(Timestamp("2021-01-15T25:00:00Z") == nil)
        #expect(Timestamp("2021-01-15T08:30:00+07:00") == nil)
    }

    @Test(arguments: [
        ("79", "79", true), ("79", "79.26734", true), ("79", "790", false), ("79", "790.1", false),
        ("79.26734", "79", false), ("01.001", "01.001.00004", true),
    ])
    func scopesCoverThemselvesAndTheUnitsBelow(scope: String, unit: String, covered: Bool) {
        #expect(UnitCode(scope)!.covers(UnitCode(unit)!) == covered)
    }

    @Test(arguments: ["79 .1", "79..1", ".79", "79.", "", "79/1", "Hà Nội"])
    func notAUnitCode(text: String) {
        #expect(UnitCode(text) == nil)
    }

    @Test func eventIDsMadeTogetherSortInTheOrderTheyWereMade() {
        var generator = EventIDGenerator()
        let now = Timestamp("2021-01-15T08:30:00Z")!
        let ids = (0..<10_000).map { _ in generator.next(now: now).uuidString }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
    }

    @Test func eventsRoundTripThroughJSON() throws {
        var f = EventFactory(unit: UnitCode("79.26734")!, author: "a", now: Timestamp("2021-01-15T08:30:00Z")!)
        let events = [
            f.make(
                .personRegistered(
                    PersonDetails(
                        fullName: "Nguyễn Văn Đức", birthDate: .year(1985), sex: .male,
                        nationalID: NationalID("079085004512"), aliases: ["Đức"])), record: UUID(), kind: .person,
                on: day("2021-01-15")),
            f.make(
                .releaseEnded(kind: .reoffended, offense: "Điều 173", reference: nil), record: UUID(),
                kind: .release, on: day("2020-01-01")),
            f.make(.retracted(eventID: UUID(), reason: "typo"), record: UUID(), kind: .wanted, on: day("2021-01-15")),
        ]
        let data = try JSONEncoder().encode(events)
        #expect(try JSONDecoder().decode([Event].self, from: data) == events)
    }
}

@Suite struct TrimTests {
    @Test(arguments: [
        ("  a b ", "a b"), ("\ta", "a"), ("a", "a"), ("", ""), ("   ", ""), ("\u{00A0}Đức\u{00A0}", "Đức"),
        // Ends whose last UTF-8 byte is that of a no-break space (à is C3 A0) or whose first is its lead byte (§ is
        // C2 A7): not spaces.
        ("Hà", "Hà"), ("Hà\u{00A0}", "Hà"), ("§ 1", "§ 1"), ("Đà Nẵng ", "Đà Nẵng"), ("a\t", "a"),
    ])
    func spacesAroundAreRemoved(text: String, expected: String) {
        #expect(text.trimmingSpaces == expected)
    }
}

@Suite struct UUIDParsingTests {
    @Test func parsesAsFoundationDoesInBothCases() {
        for _ in 0..<2000 {
            let id = UUID()
            #expect(UUID(text: id.uuidString) == id)
            #expect(UUID(text: id.uuidString.lowercased()) == id)
        }
    }

    @Test(arguments: [
        "", "01a218ce-4692-7000-bd01-d08e20f4490", "01a218ce-4692-7000-bd01-d08e20f4490dd",
        "01a218ce4692-7000-bd01-d08e20f4490d0", "01a218ce-4692-7000-bd01-d08e20f4490g",
        "01a218ce-4692-7000-bd01_d08e20f4490d",
    ])
    func refusesWhatIsNotAUUID(text: String) {
        #expect(UUID(text: text) == nil)
        #expect(UUID(uuidString: text) == nil, "Foundation agrees")
    }

    /// Every byte value in the place of a hex digit (the first and the last) and of a dash: only "0"..."9",
    /// "a"..."f" and "A"..."F" are digits (bytes next to those ranges, and control bytes that the case bit would turn
    /// into digits, are not), only "-" is a dash.
    @Test func everyByteInADigitsOrADashsPlace() {
        let valid = Array("01a218ce-4692-7000-bd01-d08e20f4490d".utf8)
        let digits = Set("0123456789abcdefABCDEF".utf8)
        for position in [0, 35, 8, 23] {
            for byte in UInt8.min...UInt8.max {
                var text = valid
                text[position] = byte
                let parsed = text.withUnsafeBufferPointer { UUID(utf8: $0) }
                let isDash = [8, 13, 18, 23].contains(position)
                let expected = isDash ? byte == UInt8(ascii: "-") : digits.contains(byte)
                #expect((parsed != nil) == expected, "byte \(byte) at \(position)")
            }
        }
        #expect(
            UUID(text: "01A218CE-4692-7000-BD01-D08E20F4490D") == UUID(text: "01a218ce-4692-7000-bd01-d08e20f4490d"))
    }
}

@Suite struct KeptValuesTests {
    @Test func theOldestGoesPastTheLimit() {
        var kept = KeptValues<String, Int>(limit: 2)
        kept.keep(1, for: "a")
        kept.keep(2, for: "b")
        kept.keep(20, for: "b")  // replaced, still second in line
        #expect(kept["a"] == 1 && kept["b"] == 20)
        kept.keep(3, for: "c")  // a goes
        #expect(kept["a"] == nil && kept["b"] == 20 && kept["c"] == 3)
    }
}
