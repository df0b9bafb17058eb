import Foundation
import GRDB
import Testing

@testable import DragnetCore

/// The fixtures folder of this package.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures")

@Suite struct ImportTests {
    func count(_ t: TestRegistry, _ sql: String) throws -> Int {
        try t.registry.database.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    @Test func theFixtureStationImportsToTheStateWrittenInItsReadme() throws {
        let t = try TestRegistry()
        let importer = Importer(registry: t.registry, factory: t.factory)
        let wanted = try importer.importWanted(
            path: fixtures.appendingPathComponent("station-79.26734/wanted.csv").path)
        let releases = try importer.importReleases(
            path: fixtures.appendingPathComponent("station-79.26734/releases.csv").path)
        #expect(wanted.committed && releases.committed)
        #expect(wanted.problems.isEmpty && releases.problems.isEmpty)
        // Fixtures/README.md: 44 persons, 22 wanted cases, 29 decisions, 5 open wanted cases, 22 release cases.
        #expect(try count(t, "SELECT count(*) FROM person") == 44)
        #expect(try count(t, "SELECT count(*) FROM wanted_case") == 22)
        #expect(try count(t, "SELECT count(*) FROM wanted_decision") == 29)
        #expect(
            try t.registry.records.openCases(scope: t.registry.unit).wanted.map(\.caseRef).sorted()
                == ["TN-00021", "TN-00027", "TN-00034", "TN-00036", "TN-00046"])
        #expect(try count(t, "SELECT count(*) FROM release_case") == 22)
        let found = try t.registry.records.findPersons("nguyen van duc")
        let lines: [String] = found.flatMap { $0.wanted + $0.releases }
        let refs: [String] = lines.map { String($0.prefix(while: { $0 != " " })) }.sorted()
        #expect(refs == ["79.26734/DX-2019-004", "79.26734/TN-00012"])
        // The README names the one national id shared by two persons.
        #expect(try t.registry.records.possibleDuplicates().map(\.nationalID.rawValue) == ["079095001234"])
    }

    @Test func importingTheSameFileAgainChangesNothing() throws {
        let t = try TestRegistry()
        let importer = Importer(registry: t.registry, factory: t.factory)
        let path = fixtures.appendingPathComponent("station-79.26734/wanted.csv").path
        let first = try importer.importWanted(path: path)
        let events = try count(t, "SELECT count(*) FROM event")
        let second = try importer.importWanted(path: path)
        #expect(first.events > 0)
        #expect(second.committed && second.events == 0 && second.unchangedRows == second.rows)
        #expect(try count(t, "SELECT count(*) FROM event") == events)
    }

    @Test func aBadFileImportsNothingAndListsEveryBadRow() throws {
        let t = try TestRegistry()
        let importer = Importer(registry: t.registry, factory: t.factory)
        let summary = try importer.importWanted(path: fixtures.appendingPathComponent("bad/wanted-bad.csv").path)
        #expect(!summary.committed)
        // Fixtures/README.md lists the expected errors.
        #expect(
            summary.problems.map { "\($0.row) \($0.column) \($0.value)" } == [
                "3 decision_date 2021-02-30", "4 closing escaped", "5 closing_date 2020-05-01",
                "7 national_id 0790950012",
                "8 unit 79.267 34",
            ])
        #expect(summary.problems[0].description.hasPrefix("row 3, column decision_date: \"2021-02-30\" is not a date"))
        #expect(summary.problems[2].message == "is before the case's opening on 2020-06-01")
        #expect(try count(t, "SELECT count(*) FROM event") == 0)
    }

    @Test func keepGoingImportsTheGoodRowsAndWritesTheBadOnesToARejectFile() throws {
        let t = try TestRegistry()
        let importer = Importer(registry: t.registry, factory: t.factory)
        let rejects = t.directory.appendingPathComponent("rejects.csv").path
        let summary = try importer.importWanted(
            path: fixtures.appendingPathComponent("bad/wanted-bad.csv").path, mode: .keepGoing(rejectFile: rejects))
        #expect(summary.committed && summary.problems.count == 5)
        #expect(try count(t, "SELECT count(*) FROM wanted_case") == 2)
        let reader = try CSVReader(path: rejects)
        let header = try #require(try reader.next())
        #expect(header.fields == ImportColumns.wanted + ImportColumns.rejectColumns)
        var rows: [CSVRecord] = []
        while let record = try reader.next() { rows.append(record) }
        #expect(rows.map { $0.fields[0] } == ["TN-09002", "TN-09003", "TN-09004", "TN-09006", "TN-09007"])
        #expect(rows[0].fields[15].contains("row 3, column decision_date"))
        // After the officer fixes the date, the reject file imports (its extra columns are ignored).
        let fixed = try t.file(
            "fixed.csv",
            """
            \(ImportColumns.wanted.joined(separator: ",")),reject_row,reject_reason
            TN-09002,79.26734,Trần Văn Bình,1987-05-05,M,079087002020,33/QĐ-CSHS,2021-02-28,Điều 168,dangerous,false,,,,3,x
            """)
        let again = try importer.importWanted(path: fixed)
        #expect(again.committed && again.casesCreated == 1)
    }

    @Test func aRejectFileOfARejectFileKeepsOnePairOfRejectColumns() throws {
        let t = try TestRegistry()
        let importer = Importer(registry: t.registry, factory: t.factory)
        let first = t.directory.appendingPathComponent("r1.csv").path
        let second = t.directory.appendingPathComponent("r2.csv").path
        _ = try importer.importWanted(
            path: fixtures.appendingPathComponent("bad/wanted-bad.csv").path,
            mode: .keepGoing(rejectFile: first))
        let again = try importer.importWanted(path: first, mode: .keepGoing(rejectFile: second))
        #expect(again.problems.count == 5, "the same five rows are still bad")
        let header = try #require(try CSVReader(path: second).next())
        #expect(header.fields == ImportColumns.wanted + ImportColumns.rejectColumns)
    }

    @Test func theHeaderMustNameTheColumnsOfTheFormat() throws {
        let t = try TestRegistry()
        let importer = Importer(registry: t.registry, factory: t.factory)
        let path = try t.file("h.csv", "case_ref,unit,full_nam\nTN-1,79.26734,A\n")
        expectRefusal("row 1 (the header)", "unknown column \"full_nam\"", "missing column(s) full_name") {
            _ = try importer.importWanted(path: path)
        }
    }

    @Test func rowsOfOneCaseMustAgreeOnTheClosingAndPerson() throws {
        let t = try TestRegistry()
        let importer = Importer(registry: t.registry, factory: t.factory)
        let header = ImportColumns.wanted.joined(separator: ",")
        let path = try t.file(
            "w.csv",
            """
            \(header)
            TN-1,79.26734,Lê Văn A,1980,M,,D1,2020-01-01,Điều 173,,,arrested,2020-06-01,
            TN-1,79.26734,Lê Văn A,1980,M,,D2,2020-02-01,Điều 173,,,,,
            TN-1,79.26734,Lê Văn B,1980,M,,D3,2020-03-01,Điều 173,,,arrested,2020-06-01,
            """)
        let summary = try importer.importWanted(path: path)
        #expect(
            summary.problems.map(\.description) == [
                "row 3, column closing: \"\" differs from row 2 of the same case; repeat the closing columns on every row",
                "row 4, column full_name: \"Lê Văn B\" differs from \"Lê Văn A\" for the person of 79.26734/TN-1",
            ])
    }

    @Test func invalidUTF8IsReportedByRow() throws {
        let t = try TestRegistry()
        let importer = Importer(registry: t.registry, factory: t.factory)
        let url = t.directory.appendingPathComponent("latin1.csv")
        var bytes = Array((ImportColumns.releases.joined(separator: ",") + "\n").utf8)
        bytes += Array("DX-1,79.26734,Tr".utf8) + [0xE2, 0x6E] + Array(",1980,M,,amnesty,2020-01-01,,,,,\n".utf8)
        try Data(bytes).write(to: url)
        let summary = try importer.importReleases(path: url.path)
        #expect(summary.problems.map(\.description) == ["row 2: invalid UTF-8 in field 3"])
    }
}

@Suite struct ExportTests {
    /// A few hundred rows of each list in the canonical form export writes (explicit danger, abroad and closed_by;
    /// sorted by unit, case_ref and decision date), so export must give back the very same text.
    static func generated() -> (wanted: String, releases: String) {
        var wanted = CSVWriter(), releases = CSVWriter()
        try? wanted.write(ImportColumns.wanted)
        try? releases.write(ImportColumns.releases)
        let names = ["Nguyễn Văn Đức", "Trần Thị Ánh, \"Út\"", "Lê Hoàng Phúc", "Đặng Quốc Bảo", "Phạm Thị Hồng"]
        let units = ["79.26734", "79.26737"]
        for u in 0..<2 {
            for i in 0..<150 {
                let ref = "TN-" + String(format: "%05d", i)
                let decisions = 1 + i % 3
                let closings = ["", "arrested", "surrendered", "died", "struck_off"]
                let closing = closings[i % 5]
                for d in 0..<decisions {
                    try? wanted.write([
                        ref, units[u], names[i % 5], i % 2 == 0 ? "1980" : "1981-02-0\(1 + i % 9)",
                        ["M", "F", ""][i % 3], i % 4 == 0 ? String(format: "0790800%05d", i) : "",
                        "\(i)-\(d)/QĐ", "2019-0\(1 + d)-1\(i % 10)", "Điều 17\(d)",
                        DangerClass.allCases[i % 3].rawValue, i % 7 == 0 ? "true" : "false",
                        closing, closing.isEmpty ? "" : "2020-0\(1 + i % 9)-20",
                        closing.isEmpty ? "" : units[(u + i) % 2],
                    ])
                }
            }
            for i in 0..<150 {
                let type = ReleaseType.allCases[i % 3]
                let ending = ["", "reoffended", "died", "expunged", type == .earlyRelease ? "revoked" : ""][i % 5]
                try? releases.write([
                    "DX-" + String(format: "%05d", i), units[u], names[(i + 2) % 5], "197\(i % 10)",
                    ["F", "M", ""][i % 3],
                    i % 5 == 0 ? String(format: "0790700%05d", i) : "", type.rawValue,
                    "2018-0\(1 + i % 9)-0\(1 + i % 8)",
                    i % 4 == 0 ? "Trại giam số 4,\nphân trại \"B\"" : "Trại giam số \(i % 4)", "Điều 1\(i % 9)",
                    type == .earlyRelease ? "2019-12-31" : "",
                    ending, ending.isEmpty ? "" : "2019-0\(1 + i % 9)-15",
                ])
            }
        }
        return (wanted.text, releases.text)
    }

    @Test func aWithdrawnDecisionIsExportedSoTheOpeningDateSurvivesARoundTrip() throws {
        var t = try TestRegistry()
        let c = try t.wanted(opened: "2019-01-01")
        _ = try t.registry.attachDecision(
            c.label, decision: Decision(number: "D-2", issuedBy: "", offense: ""),
            date: day("2020-03-01"), factory: &t.factory)
        _ = try t.registry.withdrawDecision(
            c.label, number: "D-1", date: day("2020-04-01"), reason: "voided",
            factory: &t.factory)
        var out = CSVWriter()
        #expect(try Exporter.exportWanted(t.registry, scope: nil, to: &out) == 2)
        let other = try TestRegistry()
        let summary = try Importer(registry: other.registry, factory: other.factory)
            .importWanted(path: try other.file("w.csv", out.text))
        #expect(summary.committed)
        #expect(try other.registry.records.wantedCase(c.label).openedOn == day("2019-01-01"))
    }

    @Test func exportGivesBackTheRowsThatWereImported() throws {
        let t = try TestRegistry(unit: "79")
        let input = Self.generated()
        let importer = Importer(registry: t.registry, factory: t.factory)
        let w = try importer.importWanted(path: try t.file("wanted.csv", input.wanted))
        let r = try importer.importReleases(path: try t.file("releases.csv", input.releases))
        #expect(w.problems.isEmpty && r.problems.isEmpty)
        #expect(w.rows == 600 && r.rows == 300)
        var wantedOut = CSVWriter(), releasesOut = CSVWriter()
        #expect(try Exporter.exportWanted(t.registry, scope: nil, to: &wantedOut) == 600)
        #expect(try Exporter.exportReleases(t.registry, scope: nil, to: &releasesOut) == 300)
        #expect(wantedOut.text == input.wanted)
        #expect(releasesOut.text == input.releases)
        var scoped = CSVWriter()
        #expect(try Exporter.exportWanted(t.registry, scope: UnitCode("79.26737"), to: &scoped) == 300)
    }

    @Test(arguments: [
        ("79.26734", 1, 1), ("79.26737", 0, 1), ("79", 1, 1), ("*", 1, 1), ("79.2673", 0, 0), ("01", 0, 0),
    ])
    func aScopedExportHoldsTheCasesOfTheUnitsItCovers(scope: String, wanted: Int, releases: Int) throws {
        var t = try TestRegistry(unit: "79.26734")
        _ = try t.wanted(opened: "2020-01-01")
        let released = try t.release(on: "2020-01-01")
        _ = try t.registry.transferRelease(
            released.label, to: UnitCode("79.26737")!, on: day("2020-02-01"), factory: &t.factory)
        var out = CSVWriter()
        #expect(try Exporter.exportWanted(t.registry, scope: UnitCode(scope: scope)!, to: &out) == wanted)
        // A release case is exported for the unit that registered it and for the units it was transferred to.
        #expect(try Exporter.exportReleases(t.registry, scope: UnitCode(scope: scope)!, to: &out) == releases)
    }
}
