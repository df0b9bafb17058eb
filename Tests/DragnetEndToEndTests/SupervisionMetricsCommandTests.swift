import Foundation
import Testing

/// `dragnet metrics` prints the supervision figures (SPEC §10) in each format, of the right day, `--as-of` honoured.
///
/// Station 79.26734, everything recorded with the commands an officer uses, in two batches (`DRAGNET_NOW`):
///
/// | case | released | batch 1 (recorded 2026-03-10) | batch 2 (recorded 2026-04-20) |
/// |---|---|---|---|
/// | TD-1 | early release 2026-01-05, probation to 2026-12-31 | reported in 01-06, contact 02-20 | contact 04-15 |
/// | DX-2 | amnesty 2026-02-25 | — | reported in 03-02 |
/// | TT-3 | sentence completed 2025-11-01 | reported in 2025-11-03, contact 2026-01-15 | — |
@Suite struct SupervisionMetricsCommandTests {
    static let batch1 = ["DRAGNET_NOW": "2026-03-10T02:00:00Z"], batch2 = ["DRAGNET_NOW": "2026-04-20T02:00:00Z"]

    static func station() throws -> Station {
        let s = try Station()
        let steps: [([String], [String: String])] = [
            (
                [
                    "release", "add", "--ref", "TD-1", "--name", "Lê Văn Một", "--birth", "1990", "--type",
                    "early_release", "--released-on", "2026-01-05", "--probation-until", "2026-12-31",
                ], batch1
            ),
            (
                [
                    "release", "add", "--ref", "DX-2", "--name", "Lê Văn Hai", "--birth", "1991", "--type", "amnesty",
                    "--released-on", "2026-02-25",
                ], batch1
            ),
            (
                [
                    "release", "add", "--ref", "TT-3", "--name", "Lê Văn Ba", "--birth", "1992", "--type",
                    "sentence_completed", "--released-on", "2025-11-01",
                ], batch1
            ),
            (["release", "report-in", "79.26734/TD-1", "--on", "2026-01-06"], batch1),
            (["release", "contact", "79.26734/TD-1", "--on", "2026-02-20", "--kind", "phone"], batch1),
            (["release", "report-in", "79.26734/TT-3", "--on", "2025-11-03"], batch1),
            (["release", "contact", "79.26734/TT-3", "--on", "2026-01-15", "--kind", "home_visit"], batch1),
            (["release", "report-in", "79.26734/DX-2", "--on", "2026-03-02"], batch2),
            (["release", "contact", "79.26734/TD-1", "--on", "2026-04-15", "--kind", "in_person"], batch2),
        ]
        for (arguments, now) in steps {
            let done = try s.dragnet(arguments, environment: now)
            #expect(done.status == 0, "\(arguments): \(done.stderr)")
        }
        return s
    }

    /// The `supervision` object of a JSON report: `on`, then supervised and the five counts.
    static func supervision(_ run: Run) throws -> (on: String, counts: [Int]) {
        #expect(run.status == 0, "\(run.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let s = try #require(object?["supervision"] as? [String: Any])
        let parts = ["reported_in", "contacts_on_time", "arrival_overdue", "whereabouts_unknown", "wanted_open"]
        return (
            s["on"] as? String ?? "",
            [s["supervised"] as? Int ?? -1] + parts.map { ((s[$0] as? [String: Any])?["count"] as? Int) ?? -1 }
        )
    }

    @Test func theYearStillRunningIsCountedOnTheDayObserved() throws {
        let s = try Self.station()
        let today = ["DRAGNET_NOW": "2026-04-20T12:00:00Z"]
        // 2026 is running on 20 April: counted on 2026-04-20, everything known. Supervised 3, all reported in (DX-2 on
        // 03-02). On time: TD-1 on probation (31), last contact 04-15, 5 days; DX-2 (92) last = its reporting in
        // 03-02, 49 days; not TT-3 (92): last contact 01-15, 95 days. Nothing else.
        let now = try Self.supervision(
            try s.dragnet(["metrics", "--year", "2026", "--format", "json"], environment: today))
        #expect(now.on == "2026-04-20")
        #expect(now.counts == [3, 3, 2, 0, 0, 0])
        // As of 1 April (batch 1 only): counted on 2026-04-01. Reported in TD-1 and TT-3 = 2; on time TT-3 only
        // (76 days ≤ 92; TD-1's last contact 02-20 is 40 days old, over 31); DX-2 not reported in 35 days after its
        // release: arrival overdue.
        let before = try Self.supervision(
            try s.dragnet(
                ["metrics", "--year", "2026", "--as-of", "2026-04-01", "--format", "json"], environment: today))
        #expect(before.on == "2026-04-01")
        #expect(before.counts == [3, 2, 1, 1, 0, 0])
        // 2025 is over: counted on 31 December 2025. Only TT-3 was released: reported in 11-03, 58 days → on time.
        let lastYear = try Self.supervision(
            try s.dragnet(["metrics", "--year", "2025", "--format", "json"], environment: today))
        #expect(lastYear.on == "2025-12-31")
        #expect(lastYear.counts == [1, 1, 1, 0, 0, 0])
    }

    @Test func theTableAndTheCSV() throws {
        let s = try Self.station()
        let today = ["DRAGNET_NOW": "2026-04-20T12:00:00Z"]
        // The same figures as above: 3 supervised on 20/04/2026, 3 reported in (100 %), 2 on time (2/3 = 66.7 %).
        let vi = try s.dragnet(["metrics", "--year", "2026", "--lang", "vi"], environment: today)
        #expect(vi.status == 0, "\(vi.stderr)")
        #expect(vi.stdout.contains("Người được tha tù đang quản lý ngày 20/04/2026: 3\n"))
        let line = vi.stdout.split(separator: "\n").first { $0.hasPrefix("  Tiếp xúc đúng hạn") }
        #expect(line?.split(separator: " ").suffix(3) == ["2", "66,7", "%"])
        let en = try s.dragnet(["metrics", "--year", "2026"], environment: today)
        #expect(en.stdout.contains("Released persons under supervision on 2026-04-20: 3\n"))
        let csv = try s.dragnet(["metrics", "--year", "2026", "--format", "csv"], environment: today)
        let rows = csv.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = rows.first.map { $0.map(String.init) } ?? []
        func field(_ name: String) -> String? { header.firstIndex(of: name).map { String(rows[1][$0]) } }
        #expect(field("supervision_on") == "2026-04-20")
        #expect(field("supervision_supervised") == "3")
        #expect(field("supervision_contacts_on_time_count") == "2")
        #expect(field("supervision_arrival_overdue_share") == "0.0")
    }
}
