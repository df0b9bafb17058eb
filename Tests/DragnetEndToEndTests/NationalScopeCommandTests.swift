import Foundation
import Testing

/// The national scope `*` on the real command line: figures for the whole country, headquarters tokens, and the
/// commands that must keep refusing `*` as a unit.
@Suite struct NationalScopeCommandTests {
    let fixtures = packageRoot.appendingPathComponent("Fixtures")

    /// A database of unit 79 holding both fixture stations' cases (all of them in province 79).
    func province79() throws -> Station {
        let s = try Station(unit: "79")
        for station in ["79.26734", "79.26737"] {
            for list in ["wanted", "releases"] {
                let run = try s.dragnet([
                    "import", list, fixtures.appendingPathComponent("station-\(station)/\(list).csv").path,
                ])
                #expect(run.status == 0, "\(run.stderr)")
            }
        }
        return s
    }

    /// The hand-worked figures of Fixtures/expected-figures.json for scope 79 over 2020. All the fixture's cases are
    /// in province 79, so these are the whole country's figures too.
    func expected79In2020() throws -> [String: Any] {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("expected-figures.json"))
        let entries = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        return try #require(
            entries.first { $0["scope"] as? String == "79" && $0["from"] as? String == "2020-01-01" })
    }

    static let captureKeys = ["count", "captured", "arrested", "surrendered", "died", "struck_off", "open"]

    static func counts(_ object: Any?, _ keys: [String]) -> [Int] {
        let dict = object as? [String: Any] ?? [:]
        return keys.map { (dict[$0] as? Int) ?? -1 }
    }

    /// Checks the wanted and reoffending counts of `figures` (a report, or one of its `units` rows) against the
    /// hand-worked `expected`.
    static func expectFigures(_ figures: [String: Any]?, equal expected: [String: Any], _ label: String) {
        let wanted = figures?["wanted"] as? [String: Any]
        for group in ["existing", "new"] {
            #expect(counts(wanted?[group], captureKeys) == counts(expected[group], captureKeys), "\(label) \(group)")
        }
        let reoffending = figures?["reoffending"] as? [String: Any]
        let expectedReoffending = expected["reoffending"] as? [String: Any]
        #expect(
            counts(reoffending, ["population", "reoffended"])
                == counts(expectedReoffending, ["population", "reoffended"]), "\(label) reoffending")
        for type in ["amnesty", "early_release", "sentence_completed"] {
            #expect(
                counts((reoffending?["by_type"] as? [String: Any])?[type], ["population", "reoffended"])
                    == counts((expectedReoffending?["by_type"] as? [String: Any])?[type], ["population", "reoffended"]),
                "\(label) \(type)")
        }
    }

    /// Checks a `metrics --unit '*' --year 2020 --format json` output.
    func expectNationalReport(_ run: Run) throws {
        #expect(run.status == 0, "\(run.stderr)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
        #expect(report["scope"] as? String == "*")
        let units = report["units"] as? [[String: Any]] ?? []
        #expect(units.map { $0["unit"] as? String } == ["79"], "one row: the only province with cases")
        let expected = try expected79In2020()
        // 2020, from Fixtures/README.md: existing 16 / captured 7 (4 arrested, 3 surrendered), 1 died, 1 struck off,
        // 7 open; new 14 / 4 (2 + 2), 1, 1, 8 open; reoffending 8 of 31.
        #expect(
            Self.counts((report["wanted"] as? [String: Any])?["existing"], Self.captureKeys) == [16, 7, 4, 3, 1, 1, 7])
        Self.expectFigures(report, equal: expected, "*")
        Self.expectFigures(units.first, equal: expected, "* row 79")
    }

    @Test func metricsForTheWholeCountry() throws {
        let s = try province79()
        try expectNationalReport(try s.dragnet(["metrics", "--unit", "*", "--year", "2020", "--format", "json"]))
        let table = try s.dragnet(["metrics", "--unit", "*", "--year", "2020"])
        #expect(table.status == 0)
        #expect(table.stdout.hasPrefix("Plan figures for * (whole country), 2020-01-01 to 2020-12-31"))
        let cohort = try s.dragnet(["cohort", "--unit", "*", "--year", "2020", "--format", "json"])
        #expect(cohort.status == 0, "\(cohort.stderr)")
        #expect(cohort.stdout.contains(#""scope": "*""#))
        let bad = try s.dragnet(["metrics", "--unit", "**", "--year", "2020"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("write * for the whole country"))
    }

    @Test func targetsForTheWholeCountry() throws {
        let s = try Station(unit: "79")
        let set = try s.dragnet(["targets", "--unit", "*", "--existing-capture", "0.4"])
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("* (whole country): existing ≥ 40.0 %, new ≥ 50.0 %, reoffending < 15.0 %"))
        // 79.26734 has no targets of its own, nor has 79: it is held to the country's.
        let ward = try s.dragnet(["targets", "--unit", "79.26734"])
        #expect(ward.stdout.contains("79.26734: existing ≥ 40.0 %"))
    }

    @Test func tokensForTheWholeCountry() throws {
        let s = try Station()
        let central = s.directory.appendingPathComponent("central.sqlite").path
        let station = try runDragnet(["token", "add", "--db", central, "--unit", "*", "--role", "station"])
        #expect(station.status == 64)
        #expect(station.stderr.contains("a station token needs a unit code"))
        #expect(station.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: central), "nothing created for a refused token")
        let hq = try runDragnet(["token", "add", "--db", central, "--unit", "*", "--role", "hq", "--label", "C06"])
        #expect(hq.status == 0, "\(hq.stderr)")
        #expect(hq.stdout.hasPrefix("dn_"))
        let list = try runDragnet(["token", "list", "--db", central])
        #expect(list.stdout.split(separator: "\n").contains { $0.split(separator: " ").prefix(3) == ["1", "hq", "*"] })
    }

    @Test func starIsNotAUnit() throws {
        let s = try Station()
        let initStar = try runDragnet(["init", "--unit", "*", "--db", s.directory.appendingPathComponent("x").path])
        #expect(initStar.status == 64)
        let added = try s.dragnet([
            "wanted", "add", "--unit", "*", "--ref", "TN-1", "--name", "Đinh Văn Sáu", "--decision", "1/QĐ",
            "--decision-date", "2026-10-01", "--offense", "Điều 168",
        ])
        #expect(added.status == 64)
        #expect(added.stderr.contains("The value '*' is invalid for '--unit"))
        let opened = try s.dragnet([
            "wanted", "add", "--ref", "TN-1", "--name", "Đinh Văn Sáu", "--decision", "1/QĐ",
            "--decision-date", "2026-10-01", "--offense", "Điều 168",
        ])
        #expect(opened.status == 0, "\(opened.stderr)")
        let closed = try s.dragnet([
            "wanted", "close", "79.26734/TN-1", "--as", "arrested", "--on", "2026-11-01", "--by", "*",
        ])
        #expect(closed.status == 64)
        let released = try s.dragnet([
            "release", "add", "--ref", "DX-1", "--name", "Bùi Thị Lan", "--birth", "1988", "--type", "amnesty",
            "--released-on", "2025-09-02", "--facility", "Trại giam Thủ Đức", "--offense", "Điều 173",
        ])
        #expect(released.status == 0, "\(released.stderr)")
        let moved = try s.dragnet(["release", "transfer", "79.26734/DX-1", "--to", "*", "--on", "2026-01-01"])
        #expect(moved.status == 64)
        let export = try s.dragnet(["export", "wanted", "--unit", "*"])
        #expect(export.status == 64)
        let shown = try s.dragnet(["wanted", "show", "79.26734/TN-1"])
        #expect(shown.stdout.contains("status:   open"), "the refused closing changed nothing")
    }

    @Test func figuresOfTheWholeCountryFromTheCentralServer() throws {
        let s = try province79()
        let central = s.directory.appendingPathComponent("central.sqlite").path
        func token(_ unit: String, _ role: String) throws -> String {
            let run = try runDragnet(["token", "add", "--db", central, "--unit", unit, "--role", role])
            #expect(run.status == 0, "\(run.stderr)")
            return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let stationToken = try token("79", "station")
        let nationalToken = try token("*", "hq")
        let provinceToken = try token("79", "hq")
        let server = try ServerProcess(db: central)
        defer { server.kill() }
        let synced = try s.dragnet(["sync", "--server", server.url], environment: ["DRAGNET_TOKEN": stationToken])
        #expect(synced.status == 0, "\(synced.stderr)")

        let metrics = ["metrics", "--server", server.url, "--unit", "*", "--year", "2020", "--format", "json"]
        try expectNationalReport(try s.dragnet(metrics, environment: ["DRAGNET_TOKEN": nationalToken]))
        let outside = try s.dragnet(metrics, environment: ["DRAGNET_TOKEN": provinceToken])
        #expect(outside.status == 1)
        #expect(outside.stderr.contains("outside this token's scope 79"), "\(outside.stderr)")
    }
}
