import Foundation
import Testing

/// The officer's command line, run as the real binary against a real SQLite file.
@Suite struct CommandLineTests {
    let fixtures = packageRoot.appendingPathComponent("Fixtures")

    @Test func anOfficersDay() throws {
        let s = try Station()
        let imported = try s.dragnet([
            "import", "wanted", fixtures.appendingPathComponent("station-79.26734/wanted.csv").path,
        ])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("29 rows, 22 new cases, 22 new persons"))

        let added = try s.dragnet([
            "wanted", "add", "--ref", "TN-09999", "--name", "Đinh Công Tráng", "--birth", "1990", "--sex", "Nam",
            "--decision", "77/QĐ-TN", "--decision-date", "2026-10-01", "--offense", "Điều 168", "--danger", "dangerous",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("wanted case 79.26734/TN-09999"))

        let found = try s.dragnet(["person", "find", "dinh", "cong", "trang"])
        #expect(found.stdout.contains("Đinh Công Tráng, born 1990, M"))
        #expect(found.stdout.contains("79.26734/TN-09999 (open since 2026-10-01)"))

        let closed = try s.dragnet([
            "wanted", "close", "79.26734/TN-09999", "--as", "arrested", "--on", "2026-11-20",
            "--by", "01.00004",
        ])
        #expect(closed.status == 0, "\(closed.stderr)")
        let again = try s.dragnet(["wanted", "close", "79.26734/TN-09999", "--as", "surrendered", "--on", "2026-11-21"])
        #expect(again.status == 65)
        #expect(again.stderr.contains("79.26734/TN-09999 was already closed on 2026-11-20: arrested by 01.00004"))

        let shown = try s.dragnet(["wanted", "show", "79.26734/TN-09999"])
        #expect(shown.stdout.contains("closed:   2026-11-20 arrested by 01.00004"))
        #expect(
            shown.stdout.contains(
                "2026-11-20  2026-11-26T10:00:00.000Z  79.26734  e2e officer  closed: arrested by 01.00004"))

        // Retract the closing: the case is open again, the closing stays in the history, marked.
        let closingEvent = try #require(
            shown.stdout.components(separatedBy: "\n")
                .drop(while: { !$0.contains("closed: arrested") }).dropFirst().first?
                .replacingOccurrences(of: "event", with: "").trimmingCharacters(in: .whitespaces))
        let retracted = try s.dragnet(["retract", closingEvent, "--reason", "wrong person"])
        #expect(retracted.status == 0, "\(retracted.stderr)")
        let reshown = try s.dragnet(["wanted", "show", "79.26734/TN-09999"])
        #expect(reshown.stdout.contains("status:   open"))
        #expect(reshown.stdout.contains("[RETRACTED by"))

        let list = try s.dragnet(["wanted", "list"])
        #expect(list.stdout.contains("6 open wanted case(s)"), "5 open in the fixture, plus TN-09999")
    }

    @Test func aBadFileImportsNothingAndExits65() throws {
        let s = try Station()
        let run = try s.dragnet(["import", "wanted", fixtures.appendingPathComponent("bad/wanted-bad.csv").path])
        #expect(run.status == 65)
        #expect(run.stderr.contains("row 3, column decision_date: \"2021-02-30\" is not a date"))
        #expect(run.stderr.contains("row 8, column unit: \"79.267 34\" is not a unit code"))
        #expect(run.stderr.contains("nothing was imported"))
        let list = try s.dragnet(["wanted", "list"])
        #expect(list.stdout.contains("0 open wanted case(s)"))
    }

    @Test func exportThenImportIntoANewStationGivesTheSameRows() throws {
        let a = try Station()
        for list in ["wanted", "releases"] {
            let run = try a.dragnet([
                "import", list, fixtures.appendingPathComponent("station-79.26734/\(list).csv").path,
            ])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let b = try Station()
        for list in ["wanted", "releases"] {
            let exported = a.directory.appendingPathComponent("\(list).csv").path
            #expect(try a.dragnet(["export", list, "--output", exported]).status == 0)
            #expect(try b.dragnet(["import", list, exported]).status == 0)
            let first = try a.dragnet(["export", list]).stdout
            let second = try b.dragnet(["export", list]).stdout
            #expect(first == second)
            #expect(
                first.split(whereSeparator: \.isNewline).count == (list == "wanted" ? 30 : 23), "header + 29 / 22 rows")
        }
    }

    @Test func usageErrorsExit64AndAMissingDatabaseExits1() throws {
        let s = try Station()
        let badDate = try s.dragnet(["wanted", "close", "79.26734/TN-1", "--as", "arrested", "--on", "2021-02-30"])
        #expect(badDate.status == 64)
        #expect(badDate.stderr.contains("2021-02-30"))
        let badKind = try s.dragnet(["wanted", "close", "79.26734/TN-1", "--as", "escaped", "--on", "2021-02-01"])
        #expect(badKind.status == 64)
        let unknown = try s.dragnet(["wanted", "close", "79.26734/TN-404", "--as", "arrested", "--on", "2021-02-01"])
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("no wanted case 79.26734/TN-404"))
        let missing = try runDragnet(["wanted", "list", "--db", "/nonexistent/station.sqlite"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no Dragnet database at /nonexistent/station.sqlite"))
        let badUnit = try runDragnet(["init", "--unit", "79 .1", "--db", s.directory.appendingPathComponent("x").path])
        #expect(badUnit.status == 64)
    }

    @Test func releaseWork() throws {
        let s = try Station()
        let added = try s.dragnet([
            "release", "add", "--ref", "TD-1", "--name", "Bùi Thị Lan", "--birth", "1988-04-04", "--sex", "F",
            "--type", "early_release", "--released-on", "2025-01-10", "--probation-until", "2026-01-10",
            "--facility", "Trại giam Thủ Đức", "--offense", "Điều 173",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let moved = try s.dragnet(["release", "transfer", "79.26734/TD-1", "--to", "79.26737", "--on", "2025-03-01"])
        #expect(moved.stdout.contains("responsible unit: 79.26737"))
        let late = try s.dragnet(["release", "end", "79.26734/TD-1", "--as", "revoked", "--on", "2026-02-01"])
        #expect(late.status == 65)
        #expect(late.stderr.contains("is after the probation ended on 2026-01-10"))
        let reoffended = try s.dragnet([
            "release", "reoffend", "79.26734/TD-1", "--on", "2025-12-24",
            "--offense", "Điều 171", "--reference", "BA 12/2026",
        ])
        #expect(reoffended.status == 0, "\(reoffended.stderr)")
        #expect(reoffended.stdout.contains("ended:    2025-12-24 reoffended, new offence Điều 171, ref BA 12/2026"))
    }
}

/// `dragnet metrics --lang vi`: the table in Vietnamese, the JSON unchanged.
@Suite struct MetricsLanguageTests {
    @Test func theTableSpeaksVietnameseOnRequest() throws {
        let s = try Station()
        let fixtures = packageRoot.appendingPathComponent("Fixtures")
        for list in ["wanted", "releases"] {
            let imported = try s.dragnet([
                "import", list, fixtures.appendingPathComponent("station-79.26734/\(list).csv").path,
            ])
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        // Ward 79.26734 in 2020 (Fixtures/README.md): existing captured 3 of 8 = 37.5 %, new 2 of 8 = 25 %,
        // reoffended 4 of 16 = 25 %.
        let vi = try s.dragnet(["metrics", "--year", "2020", "--lang", "vi"])
        #expect(vi.status == 0, "\(vi.stderr)")
        #expect(vi.stdout.hasPrefix("Kết quả thực hiện chỉ tiêu của 79.26734, từ ngày 01/01/2020 đến ngày 31/12/2020"))
        #expect(vi.stdout.contains("37,5 %") && vi.stdout.contains("Chưa đạt"))
        let en = try s.dragnet(["metrics", "--year", "2020", "--lang", "en"])
        #expect(
            en.stdout.hasPrefix("Plan figures for 79.26734, 2020-01-01 to 2020-12-31") && en.stdout.contains("37.5 %"))
        let json = try s.dragnet(["metrics", "--year", "2020", "--lang", "vi", "--format", "json"])
        #expect(json.stdout.contains("\"rate\" : 0.375") || json.stdout.contains("\"rate\": 0.375"))
        let bad = try s.dragnet(["metrics", "--year", "2020", "--lang", "fr"])
        #expect(bad.status == 64 && bad.stderr.contains("fr"))
    }
}
