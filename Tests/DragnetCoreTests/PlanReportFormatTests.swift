import Foundation
import Testing

@testable import DragnetCore

@Suite("Plan report: JSON, table and CSV")
struct PlanReportFormatTests {
    /// The figures of SPEC §5's example, built from their counts (not computed from cases).
    static func specExample(asOf: Timestamp? = nil) -> PlanReport {
        let existing = PlanReport.CaptureFigures(
            arrested: 30, surrendered: 7, died: 2, struckOff: 1, open: 80, target: 0.3)
        let new = PlanReport.CaptureFigures(arrested: 12, surrendered: 6, died: 0, struckOff: 0, open: 22, target: 0.5)
        let reoffending = PlanReport.ReoffendingFigures(
            byType: .init(
                amnesty: .init(population: 300, reoffended: 12), earlyRelease: .init(population: 100, reoffended: 9),
                sentenceCompleted: .init(population: 500, reoffended: 60)),
            target: 0.15)
        let wanted = PlanReport.WantedFigures(existing: existing, new: new)
        // One unit with everything, and the scope's own row with nothing counted in it but one open new case.
        let own = PlanReport.UnitFigures(
            unit: MetricsFixture.unit("79"),
            wanted: .init(
                existing: .init(arrested: 0, surrendered: 0, died: 0, struckOff: 0, open: 0, target: 0.3),
                new: .init(arrested: 0, surrendered: 0, died: 0, struckOff: 0, open: 1, target: 0.5)),
            reoffending: .init(
                byType: .init(
                    amnesty: .init(population: 0, reoffended: 0), earlyRelease: .init(population: 0, reoffended: 0),
                    sentenceCompleted: .init(population: 0, reoffended: 0)),
                target: 0.15))
        return PlanReport(
            scope: MetricsFixture.unit("79"), from: MetricsFixture.from, to: MetricsFixture.to, asOf: asOf,
            wanted: wanted,
            reoffending: reoffending,
            units: [own, .init(unit: MetricsFixture.unit("79.26734"), wanted: wanted, reoffending: reoffending)])
    }

    @Test("the SPEC example's counts give the SPEC example's figures")
    func specFigures() {
        let report = Self.specExample()
        // 30 + 7 = 37 captured of 30 + 7 + 2 + 1 + 80 = 120; 37/120 = 0.30833… ≥ 0.30 → met.
        #expect(report.wanted.existing.count == 120)
        #expect(report.wanted.existing.captured == 37)
        #expect(report.wanted.existing.rate == 37.0 / 120.0)
        #expect(report.wanted.existing.met == true)
        // 12 + 6 = 18 of 40; 0.45 < 0.50 → not met.
        #expect(report.wanted.new.count == 40)
        #expect(report.wanted.new.rate == 0.45)
        #expect(report.wanted.new.met == false)
        // 300 + 100 + 500 = 900, 12 + 9 + 60 = 81; 81/900 = 0.09 < 0.15 → met. Per type 0.04, 0.09, 0.12.
        #expect(report.reoffending.population == 900)
        #expect(report.reoffending.reoffended == 81)
        #expect(report.reoffending.rate == 0.09)
        #expect(report.reoffending.met == true)
        #expect(report.reoffending.byType.amnesty.rate == 0.04)
        #expect(report.reoffending.byType.earlyRelease.rate == 0.09)
        #expect(report.reoffending.byType.sentenceCompleted.rate == 0.12)
    }

    @Test("JSON has SPEC's names in SPEC's order, nulls for absent rates")
    func json() throws {
        // Scope 79.1, one existing case arrested in the period, one new case still open, one amnestied person.
        // existing: 1 of 1 captured → rate 1.0, met; new: 0 of 1 → 0.0, not met; reoffending: 0 of 1 → 0.0, met;
        // early_release and sentence_completed: nobody → rate null.
        let report = MetricsFixture.report(
            wanted: [
                MetricsFixture.wanted(opened: "2019-03-03", .arrested, on: "2020-05-05"),
                MetricsFixture.wanted(opened: "2020-07-07"),
            ],
            releases: [MetricsFixture.release(.amnesty, released: "2019-09-09")], scope: "79.1",
            asOf: Timestamp("2021-01-15T08:30:00Z"))
        let figures = """
            "wanted":{\
            "existing":{"count":1,"captured":1,"arrested":1,"surrendered":0,"died":0,"struck_off":0,"open":0,\
            "rate":1.0,"target":0.3,"met":true},\
            "new":{"count":1,"captured":0,"arrested":0,"surrendered":0,"died":0,"struck_off":0,"open":1,\
            "rate":0.0,"target":0.5,"met":false}},\
            "reoffending":{"population":1,"reoffended":0,"rate":0.0,"target":0.15,"met":true,"by_type":{\
            "amnesty":{"population":1,"reoffended":0,"rate":0.0},\
            "early_release":{"population":0,"reoffended":0,"rate":null},\
            "sentence_completed":{"population":0,"reoffended":0,"rate":null}}}
            """
        let expected = """
            {"scope":"79.1","from":"2020-01-01","to":"2020-12-31","as_of":"2021-01-15T08:30:00.000Z",\
            \(figures),"units":[{"unit":"79.1",\(figures)}]}
            """
        #expect(try report.jsonString() == expected)
    }

    @Test("JSON of an empty report: null rates, null results, null as_of, no units")
    func emptyJSON() throws {
        let report = MetricsFixture.report(scope: "79")
        let capture = """
            {"count":0,"captured":0,"arrested":0,"surrendered":0,"died":0,"struck_off":0,"open":0,\
            "rate":null,"target":TARGET,"met":null}
            """
        let type = #"{"population":0,"reoffended":0,"rate":null}"#
        let expected = """
            {"scope":"79","from":"2020-01-01","to":"2020-12-31","as_of":null,\
            "wanted":{"existing":\(capture.replacingOccurrences(of: "TARGET", with: "0.3")),\
            "new":\(capture.replacingOccurrences(of: "TARGET", with: "0.5"))},\
            "reoffending":{"population":0,"reoffended":0,"rate":null,"target":0.15,"met":null,"by_type":{\
            "amnesty":\(type),"early_release":\(type),"sentence_completed":\(type)}},"units":[]}
            """
        #expect(try report.jsonString() == expected)
    }

    @Test("JSON reads back into the same report")
    func roundTrip() throws {
        let report = Self.specExample(asOf: Timestamp("2021-01-15"))
        let decoded = try JSONDecoder().decode(PlanReport.self, from: try report.jsonData(layout: .pretty))
        #expect(decoded == report)
    }

    @Test("the pretty layout indents by two spaces")
    func prettyJSON() throws {
        let text = try Self.specExample().jsonString(layout: .pretty)
        #expect(text.hasPrefix("{\n  \"scope\": \"79\",\n  \"from\": \"2020-01-01\",\n  \"to\": \"2020-12-31\",\n"))
        #expect(text.contains("\n  \"as_of\": null,\n  \"wanted\": {\n    \"existing\": {\n      \"count\": 120,\n"))
    }

    /// The words of a table line, without the column padding.
    static func words(_ table: String, startingWith first: String) -> [String] {
        let line = table.split(separator: "\n").first { $0.split(separator: " ").first.map(String.init) == first }
        return line.map { $0.split(separator: " ").map(String.init) } ?? []
    }

    @Test("the table shows percentages with one decimal, targets and results")
    func table() {
        let table = Self.specExample().table(observedOn: MetricsFixture.day("2021-01-15"))
        #expect(table.hasPrefix("Plan figures for 79, 2020-01-01 to 2020-12-31, as known now (everything recorded)\n"))
        #expect(!table.contains("in progress"))
        // 37/120 = 30.83 % → 30.8 %; target ≥ 30.0 %; met.
        #expect(
            Self.words(table, startingWith: "existing")
                == ["existing", "120", "37", "30", "7", "2", "1", "80", "30.8", "%", "≥", "30.0", "%", "met"])
        // 18/40 = 45.0 % against ≥ 50.0 %: NOT met.
        #expect(
            Self.words(table, startingWith: "new")
                == ["new", "40", "18", "12", "6", "0", "0", "22", "45.0", "%", "≥", "50.0", "%", "NOT", "met"])
        #expect(Self.words(table, startingWith: "all") == ["all", "900", "81", "9.0", "%", "<", "15.0", "%", "met"])
        #expect(Self.words(table, startingWith: "amnesty") == ["amnesty", "300", "12", "4.0", "%"])
        #expect(Self.words(table, startingWith: "sentence") == ["sentence", "completed", "500", "60", "12.0", "%"])
        // The scope's own row: no existing case → — for rate and result; 1 new, 0 captured → 0.0 %, NOT met.
        #expect(
            Self.words(table, startingWith: "79")
                == [
                    "79", "(own", "cases)", "0", "0", "—", "—", "1", "0", "0.0", "%", "NOT", "met", "0", "0", "—", "—",
                ])
        #expect(
            Self.words(table, startingWith: "79.26734")
                == [
                    "79.26734", "120", "37", "30.8", "%", "met", "40", "18", "45.0", "%", "NOT", "met", "900", "81",
                    "9.0",
                    "%", "met",
                ])
        #expect(table.split(separator: "\n").allSatisfy { $0.last != " " })
    }

    @Test(
        "the table marks the period in progress when to is on or after the observation date",
        arguments: [("2020-06-30", true), ("2020-12-31", true), ("2021-01-01", false)])
    func inProgress(observed: String, inProgress: Bool) {
        let table = Self.specExample(asOf: Timestamp("2020-06-30")).table(observedOn: MetricsFixture.day(observed))
        #expect(table.contains("Period in progress") == inProgress)
        #expect(table.contains("as known at 2020-06-30T23:59:59.999Z"))
    }

    @Test("the table names units held to other targets")
    func tableTargets() throws {
        var book = TargetBook()
        book.set(try Targets(existingCapture: 0.35), for: MetricsFixture.unit("79.2"))
        let report = MetricsFixture.report(
            wanted: [
                MetricsFixture.wanted("79.1", opened: "2019-01-01"),
                MetricsFixture.wanted("79.2", opened: "2019-01-01"),
            ],
            targets: book)
        let table = report.table(observedOn: MetricsFixture.day("2021-06-01"))
        #expect(table.contains("79.2: existing ≥ 35.0 %, new ≥ 50.0 %, reoffending < 15.0 %"))
        #expect(!table.contains("79.1: existing"))
    }

    @Test("CSV: a header, the scope's row, then one row per unit, empty fields for null")
    func csv() {
        let lines = Self.specExample(asOf: Timestamp("2021-01-15")).csv().split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        // row, unit, from, to, as_of (5) + existing (10) + new (10) + reoffending (5) + 3 types × 3 (9)
        // + supervision on and supervised (2) + 5 situations × count and share (10) = 51.
        #expect(header.count == 51)
        #expect(
            Array(header.prefix(7)) == ["row", "unit", "from", "to", "as_of", "existing_count", "existing_captured"])
        func field(_ line: Int, _ name: String) -> String? {
            let values = lines[line].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard values.count == header.count, let index = header.firstIndex(of: name) else { return nil }
            return values[index]
        }
        #expect(field(1, "row") == "scope")
        #expect(field(1, "unit") == "79")
        #expect(field(1, "as_of") == "2021-01-15T23:59:59.999Z")
        #expect(field(1, "existing_count") == "120")
        #expect(field(1, "existing_met") == "true")
        #expect(field(1, "new_met") == "false")
        #expect(field(1, "new_rate") == "0.45")
        #expect(field(1, "reoffending_rate") == "0.09")
        #expect(field(1, "reoffending_target") == "0.15")
        #expect(field(1, "reoffending_sentence_completed_population") == "500")
        #expect(field(2, "row") == "unit")
        #expect(field(2, "unit") == "79")
        #expect(field(2, "existing_rate") == "")
        #expect(field(2, "existing_met") == "")
        #expect(field(2, "reoffending_amnesty_rate") == "")
        #expect(field(3, "unit") == "79.26734")
        #expect(field(3, "existing_struck_off") == "1")
        // A report built without supervision figures leaves their fields empty.
        #expect(
            Array(header.suffix(12).prefix(3)) == [
                "supervision_on", "supervision_supervised", "supervision_reported_in_count",
            ])
        #expect(field(1, "supervision_on") == "" && field(3, "supervision_wanted_open_share") == "")
    }
}
