import Foundation
import Testing

/// `dragnet import --format json` and `dragnet sync --format json` (docs/formats.md): one JSON object on standard
/// output, whose counts are checked here against what was worked out by hand from small lists.
@Suite struct SummaryJSONTests {
    static let wantedHeader =
        "case_ref,unit,full_name,birth_date,sex,national_id,decision_no,decision_date,offense,danger,abroad,"
        + "closing,closing_date,closed_by"
    static let releasesHeader =
        "case_ref,unit,full_name,birth_date,sex,national_id,release_type,released_on,facility,offense,"
        + "probation_until,ending,ending_date"

    /// Two wanted cases in three rows. Row 2 opens TN-1 for a new person and closes it: person_registered,
    /// wanted_opened, wanted_closed (3 events). Row 3 adds TN-1's second decision; its closing is the one already
    /// recorded: decision_added (1 event). Row 4 opens TN-2 for a new person, open: person_registered, wanted_opened
    /// (2 events). In all 6 events, 2 persons, 2 cases.
    static let wanted = """
        \(wantedHeader)
        TN-1,79.26734,Lê Văn An,1980,M,,D-1,2020-01-10,Điều 173,,,arrested,2020-06-01,
        TN-1,79.26734,Lê Văn An,1980,M,,D-2,2020-03-05,Điều 174,,,arrested,2020-06-01,
        TN-2,79.26734,Trần Thị Bình,1985-02-03,F,,D-3,2021-04-01,Điều 168,,,,,

        """

    /// Two release cases. Row 2: person_registered, release_registered, release_ended (3 events); row 3, not ended:
    /// person_registered, release_registered (2 events). In all 5 events, 2 persons, 2 cases.
    static let releases = """
        \(releasesHeader)
        DX-1,79.26734,Phạm Văn Cường,1975,M,,amnesty,2019-09-02,Trại giam Chí Hòa,Điều 173,,reoffended,2020-05-05
        TD-1,79.26734,Võ Thị Dung,1990-07-07,F,,early_release,2020-02-01,Trại giam Thủ Đức,Điều 174,2021-02-01,,

        """

    /// Three rows, two of them bad: row 2's decision date does not exist (1 problem); row 3's decision date neither,
    /// and its closing kind is not one (2 problems). Row 4 is good: person_registered, wanted_opened (2 events).
    static let partlyBad = """
        \(wantedHeader)
        TN-3,79.26734,Ngô Văn Em,1970,M,,D-9,2021-02-30,Điều 173,,,,,
        TN-4,79.26734,Đỗ Văn Phú,1972,M,,D-10,2021-13-01,Điều 173,,,escaped,2021-04-01,
        TN-5,79.26734,Hồ Văn Giang,1973,M,,D-11,2021-03-02,Điều 173,,,,,

        """

    /// The JSON object a run printed on standard output.
    static func object(_ run: Run) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any],
            "not one JSON object: \(run.stdout) \(run.stderr)")
    }

    /// The integer members `keys` of `object` (-1 for a missing or non-integer one).
    static func counts(_ object: [String: Any], _ keys: [String]) -> [Int] {
        keys.map { (object[$0] as? Int) ?? -1 }
    }

    static let importCounts = ["rows", "events", "persons", "cases_created", "unchanged_rows", "problems", "bad_rows"]

    func write(_ s: Station, _ name: String, _ text: String) throws -> String {
        let url = s.directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func importSaysWhatItDidAsOneJSONObject() throws {
        let s = try Station()
        let wanted = try write(s, "wanted.csv", Self.wanted)
        let releases = try write(s, "releases.csv", Self.releases)

        let first = try s.dragnet(["import", "wanted", wanted, "--format", "json"])
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try Self.object(first)
        #expect(
            Array(summary.keys).sorted()
                == (Self.importCounts + [
                    "list", "file", "committed", "rejects", "seconds", "peak_memory_bytes",
                ]).sorted())
        // The members come in the documented order.
        let positions = [
            "list", "file", "rows", "events", "persons", "cases_created", "unchanged_rows", "problems", "bad_rows",
            "committed", "rejects", "seconds", "peak_memory_bytes",
        ].compactMap { first.stdout.range(of: "\"\($0)\":")?.lowerBound }
        #expect(positions.count == 13 && positions == positions.sorted(), "\(first.stdout)")
        #expect(summary["list"] as? String == "wanted" && summary["file"] as? String == wanted)
        // 3 rows: 6 events, 2 persons, 2 cases (worked out above); nothing unchanged, no problem.
        #expect(Self.counts(summary, Self.importCounts) == [3, 6, 2, 2, 0, 0, 0])
        #expect(summary["committed"] as? Bool == true && summary["rejects"] is NSNull)
        let seconds = try #require(summary["seconds"] as? Double)
        #expect(seconds > 0 && seconds < 600)
        // Any process of this size uses more than a mebibyte and less than a gibibyte.
        let peak = try #require(summary["peak_memory_bytes"] as? Int)
        #expect(peak > 1 << 20 && peak < 1 << 30, "\(peak)")

        // The same file again changes nothing: its 3 rows are unchanged.
        let again = try Self.object(try s.dragnet(["import", "wanted", wanted, "--format", "json"]))
        #expect(Self.counts(again, Self.importCounts) == [3, 0, 0, 0, 3, 0, 0])

        let released = try s.dragnet(["import", "releases", releases, "--format", "json"])
        #expect(released.status == 0, "\(released.stderr)")
        // 2 rows: 5 events, 2 persons, 2 cases.
        #expect(Self.counts(try Self.object(released), Self.importCounts) == [2, 5, 2, 2, 0, 0, 0])
        #expect(!released.stdout.contains("events recorded"), "no sentence besides the JSON")

        // The default output is the sentence, as before.
        let text = try s.dragnet(["import", "releases", releases])
        #expect(
            text.stdout == "\(releases): 2 rows, 0 new cases, 0 new persons, 0 events recorded, 2 rows already known\n")
    }

    @Test func aRefusedImportStillPrintsItsJSONAndExits65() throws {
        let s = try Station()
        let path = try write(s, "partly-bad.csv", Self.partlyBad)

        // All or nothing: 3 rows read, 3 problems in 2 rows, nothing stored (the counts of what was stored are 0).
        let refused = try s.dragnet(["import", "wanted", path, "--format", "json"])
        #expect(refused.status == 65)
        let nothing = try Self.object(refused)
        #expect(Self.counts(nothing, Self.importCounts) == [3, 0, 0, 0, 0, 3, 2])
        #expect(nothing["committed"] as? Bool == false)
        #expect(refused.stderr.contains("row 3, column closing: \"escaped\""), "the problems still go to stderr")
        #expect(refused.stderr.contains("nothing was imported"))

        // With --rejects the good row goes in (2 events, 1 person, 1 case) and the status is still 65.
        let rejects = s.directory.appendingPathComponent("rejects.csv").path
        let kept = try s.dragnet(["import", "wanted", path, "--rejects", rejects, "--format", "json"])
        #expect(kept.status == 65)
        let summary = try Self.object(kept)
        #expect(Self.counts(summary, Self.importCounts) == [3, 2, 1, 1, 0, 3, 2])
        #expect(summary["committed"] as? Bool == true && summary["rejects"] as? String == rejects)
        #expect(!kept.stdout.contains("written to"), "no sentence besides the JSON")
    }

    static let syncCounts = ["pushed", "created", "duplicates", "rejected", "pulled", "stored", "conflicts"]

    @Test func syncSaysWhatItMovedAsOneJSONObject() throws {
        let s = try Station()
        for (list, text) in [("wanted", Self.wanted), ("releases", Self.releases)] {
            let run = try s.dragnet(["import", list, try write(s, "\(list).csv", text)])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let central = s.directory.appendingPathComponent("central.sqlite").path
        let token = try runDragnet(["token", "add", "--db", central, "--unit", "79.26734", "--role", "station"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServerProcess(db: central)
        defer { server.kill() }
        func sync(_ station: Station, _ more: [String] = []) throws -> [String: Any] {
            let run = try station.dragnet(
                ["sync", "--server", server.url, "--format", "json"] + more, environment: ["DRAGNET_TOKEN": token])
            #expect(run.status == 0, "\(run.stderr)")
            return try Self.object(run)
        }

        // The imports made 6 + 5 = 11 events: all are pushed and new to the server, stored at sequences 1 to 11 (the
        // push's answer says so). The pull names them (`held=1-11`) and the server sends none of them back: nothing
        // pulled; the cursor is the last.
        let first = try sync(s)
        #expect(
            Array(first.keys).sorted()
                == (Self.syncCounts + [
                    "cursor", "central_log_changed", "seconds", "push_seconds", "pull_seconds", "events_per_second",
                    "rejections",
                ]).sorted())
        #expect(Self.counts(first, Self.syncCounts) == [11, 11, 0, 0, 0, 0, 0])
        #expect(first["cursor"] as? Int == 11 && first["central_log_changed"] as? Bool == false)
        #expect((first["rejections"] as? [Any])?.isEmpty == true)
        let seconds = try #require(first["seconds"] as? Double)
        let push = try #require(first["push_seconds"] as? Double)
        let pull = try #require(first["pull_seconds"] as? Double)
        #expect(seconds > 0 && push > 0 && pull > 0 && push + pull <= seconds + 0.002, "\(first)")
        // 11 events moved (pushed; none pulled) in `seconds`.
        let rate = try #require(first["events_per_second"] as? Int)
        #expect(abs(Double(rate) - 11 / seconds) <= 1, "\(rate) against 11 / \(seconds)")

        // One closing recorded, pushed alone: 1 event, new to the server; no pull, so no cursor.
        let closed = try s.dragnet(["wanted", "close", "79.26734/TN-2", "--as", "surrendered", "--on", "2021-05-01"])
        #expect(closed.status == 0, "\(closed.stderr)")
        let pushed = try sync(s, ["--push-only"])
        #expect(Self.counts(pushed, Self.syncCounts) == [1, 1, 0, 0, 0, 0, 0])
        #expect(pushed["cursor"] is NSNull)
        // Then a whole sync: nothing to push; the closing, at sequence 12, is held here (its push's answer said so):
        // not sent back; the cursor moves past it.
        let after = try sync(s)
        #expect(Self.counts(after, Self.syncCounts) == [0, 0, 0, 0, 0, 0, 0])
        #expect(after["cursor"] as? Int == 12)

        // Another ward's station with this token: its 2 events (a person registered, a case opened) are recorded by
        // 79.26737, outside the token's unit, and both are rejected.
        let other = try Station(unit: "79.26737")
        let added = try other.dragnet([
            "wanted", "add", "--ref", "TN-9", "--name", "Đinh Công Tráng", "--birth", "1990", "--sex", "Nam",
            "--decision", "77/QĐ-CSHS", "--decision-date", "2026-10-01", "--offense", "Điều 168",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let refused = try sync(other, ["--push-only"])
        #expect(Self.counts(refused, Self.syncCounts) == [2, 0, 0, 2, 0, 0, 0])
        let rejections = try #require(refused["rejections"] as? [[String: Any]])
        #expect(rejections.map { $0["kind"] as? String } == ["person_registered", "wanted_opened"])
        #expect(
            rejections.allSatisfy {
                ($0["reason"] as? String)?.contains("outside this token's unit 79.26734") == true
                    && ($0["id"] as? String)?.count == 36
            }, "\(rejections)")
    }
}
