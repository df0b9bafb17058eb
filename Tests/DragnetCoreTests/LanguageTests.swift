import Foundation
import Testing

@testable import DragnetCore

/// What people read, in Vietnamese and in English: number and date formats, and every phrase in both languages.
@Suite struct LanguageTests {
    @Test(
        "percentages: one decimal, half away from zero, decimal comma in Vietnamese",
        arguments: [
            (0.4375, "43,8 %", "43.8 %"),  // 43.75 → 43.8
            (7.0 / 16.0, "43,8 %", "43.8 %"),
            (0.3, "30,0 %", "30.0 %"),
            (0.2857142857142857, "28,6 %", "28.6 %"),  // 4/14
            (1.0, "100,0 %", "100.0 %"),
            (0.0, "0,0 %", "0.0 %"),
        ])
    func percent(value: Double, vi: String, en: String) {
        #expect(Language.vi.percent(value) == vi)
        #expect(Language.en.percent(value) == en)
    }

    @Test func absentRatesAreADash() {
        #expect(Language.vi.percent(nil) == "—")
        #expect(Language.en.percent(nil) == "—")
    }

    @Test func numbersGroupThousands() {
        #expect(Language.vi.number(1_234_567) == "1.234.567")
        #expect(Language.en.number(1_234_567) == "1,234,567")
        #expect(Language.vi.number(999) == "999")
        #expect(Language.vi.number(1000) == "1.000")
        #expect(Language.vi.number(0) == "0")
        #expect(Language.en.number(-12_345) == "-12,345")
    }

    @Test func datesAreDayMonthYearInVietnamese() {
        let day = LocalDate("2020-03-07")!
        #expect(Language.vi.date(day) == "07/03/2020")
        #expect(Language.en.date(day) == "2020-03-07")
        let moment = Timestamp("2021-01-15T08:05:09Z")!
        #expect(Language.vi.moment(moment) == "15/01/2021 08:05:09 UTC")
        #expect(Language.en.moment(moment) == moment.description)
        #expect(Language.vi.shortMonth(12) == "T12")
        #expect(Language.en.month(2, of: 2020) == "February 2020")
        #expect(Language.vi.month(2, of: 2020) == "Tháng 2/2020")
    }

    @Test func languageCodes() {
        #expect(Language(code: "vi") == .vi)
        #expect(Language(code: "EN") == .en)
        #expect(Language(code: "vi-VN") == .vi)
        #expect(Language(code: "fr") == nil)
    }

    /// Every phrase exists in both languages, differs between them (a phrase left in English on a Vietnamese page
    /// is caught here), and has the same `{slots}` in both.
    @Test(arguments: Phrase.allCases)
    func everyPhraseHasBothLanguages(phrase: Phrase) {
        let vi = phrase.text(.vi), en = phrase.text(.en)
        #expect(!vi.isEmpty && !en.isEmpty)
        #expect(vi != en, "\(phrase) reads the same in both languages")
        func slots(_ text: String) -> [String] {
            text.split(separator: "{", omittingEmptySubsequences: false).dropFirst().compactMap {
                $0.split(separator: "}").first.map(String.init)
            }
            .sorted()
        }
        #expect(slots(vi) == slots(en), "\(phrase) has other slots in Vietnamese than in English")
    }

    /// `dragnet metrics --lang vi`: the fixture's 2020 figures for 79 in Vietnamese. 7 of 16 existing captured =
    /// 43.75 % → "43,8 %"; 4 of 14 new = 28.57 % → "28,6 %" (target 50 %: not met); 8 of 31 reoffended = 25.8 %.
    @Test func theTableInVietnamese() throws {
        let t = try FixtureFiguresTests.province()
        let report = try t.registry.figures.planReport(
            scope: UnitCode("79")!, period: try Period.year(2020), asOf: nil)
        let table = report.table(observedOn: LocalDate("2026-12-02")!, language: .vi)
        #expect(table.hasPrefix("Kết quả thực hiện chỉ tiêu của 79, từ ngày 01/01/2020 đến ngày 31/12/2020"))
        #expect(table.contains("43,8 %") && table.contains("28,6 %") && table.contains("25,8 %"))
        #expect(table.contains("Chưa đạt"))
        #expect(table.contains("Đối tượng truy nã") && table.contains("Người ra trại"))
        #expect(!table.contains("Wanted persons") && !table.contains("NOT met"))
        // The English table is unchanged.
        let english = report.table(observedOn: LocalDate("2026-12-02")!)
        #expect(english.hasPrefix("Plan figures for 79, 2020-01-01 to 2020-12-31, as known now"))
        #expect(english.contains("43.8 %") && english.contains("NOT met"))
    }
}

/// The sentences under the dashboard's charts are docs/figures.md's explanations, word for word, in both languages.
@Suite struct FiguresDocSentencesTests {
    @Test(
        arguments: [Phrase.whoExisting, .whoNew, .whoReoffending, .whoProgress, .whoUnits, .whoCohort, .whoSupervision])
    func theDocSaysWhatThePageSays(phrase: Phrase) throws {
        let doc = try String(
            contentsOf: fixtures.deletingLastPathComponent().appendingPathComponent("docs/figures.md"), encoding: .utf8)
        #expect(doc.contains(phrase.text(.vi)), "docs/figures.md lacks the Vietnamese of \(phrase)")
        #expect(doc.contains(phrase.text(.en)), "docs/figures.md lacks the English of \(phrase)")
    }
}
