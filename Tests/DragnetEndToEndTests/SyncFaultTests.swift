import DragnetCore
import Foundation
import GRDB
import Testing

/// A `dragnet serve` process on a loopback port, over a real SQLite file.
final class ServerProcess {
    let db: String
    private(set) var port: Int
    /// More arguments of `dragnet serve`.
    let options: [String]
    private var process: Process?

    init(db: String, port: Int = 0, options: [String] = []) throws {
        self.db = db
        self.port = port
        self.options = options
        try start()
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Starts the server (again, on the same port after the first start) and waits until it listens.
    func start() throws {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("dragnet")
        process.arguments = ["serve", "--db", db, "--port", String(port)] + options
        var environment = ProcessInfo.processInfo.environment
        environment["DRAGNET_LOG_LEVEL"] = "error"
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw DragnetError(.failure, "the server exited before listening") }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "http://127.0.0.1:"),
            let parsed = Int(text[range.upperBound...].prefix(while: \.isNumber))
        else { throw DragnetError(.failure, "unexpected first line from the server: \(text)") }
        port = parsed
    }

    /// Kills the server at once (SIGKILL): no clean shutdown, as in a crash or a power cut.
    func kill() {
        guard let process else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Stops the server with SIGTERM and returns its exit status.
    func terminate() -> Int32 {
        guard let process else { return -1 }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
        return process.terminationStatus
    }

    deinit { kill() }
}

/// Crashes in the middle of a sync — the server's and the client's — then a sync that converges with nothing lost
/// or doubled. Real processes, killed with SIGKILL.
@Suite(.serialized) struct SyncFaultTests {
    /// `count` wanted cases of `unit`, each with two decisions, every third one closed: 3 events per case
    /// (person, opening, second decision) plus a closing for a third of them.
    static func wantedCSV(unit: String, count: Int) -> String {
        var lines = [
            "case_ref,unit,full_name,birth_date,sex,national_id,decision_no,decision_date,offense,danger,abroad,"
                + "closing,closing_date,closed_by"
        ]
        for i in 0..<count {
            let closing = i % 3 == 0 ? "arrested,2021-0\(1 + i % 9)-15," : ",,"
            for d in 0..<2 {
                lines.append(
                    "TN-\(i),\(unit),Nguyễn Văn \(i),1980,M,,QĐ-\(i)-\(d),2020-0\(1 + d)-1\(i % 10),"
                        + "Điều 173,,,\(closing)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func eventCount(_ path: String) throws -> Int64 { try Registry.open(at: path).eventCount() }

    /// The ids of the events of the database at `path` that meet an SQL condition, read with plain SQL.
    static func eventIDs(_ path: String, where condition: String) throws -> Set<String> {
        try Set(
            DatabaseQueue(path: path).read { db in
                try String.fetchAll(db, sql: "SELECT id FROM event WHERE \(condition)")
            })
    }

    /// Waits until `condition` holds, checking every 20 ms, for at most `seconds`.
    static func wait(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return false
    }

    /// Starts `dragnet ARGS` without waiting for it.
    static func launch(_ arguments: [String], environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("dragnet")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    struct Setup {
        let station: Station
        let central: String
        let server: ServerProcess
        let token: String
        let total: Int64
    }

    /// A station with 400 imported cases (about 1,330 events) and a fresh central server that takes 500 events a push,
    /// so that the push takes three batches and a crash can fall between them.
    static func setUp() throws -> Setup {
        let station = try Station()
        let csv = station.directory.appendingPathComponent("wanted.csv")
        try wantedCSV(unit: "79.26734", count: 400).write(to: csv, atomically: true, encoding: .utf8)
        let imported = try station.dragnet(["import", "wanted", csv.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        let central = station.directory.appendingPathComponent("central.sqlite").path
        let token = try runDragnet(["token", "add", "--db", central, "--unit", "79.26734", "--role", "station"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServerProcess(db: central, options: ["--max-push-events", "500"])
        return Setup(
            station: station, central: central, server: server, token: token,
            total: try eventCount(station.db))
    }

    static func assertConverged(_ s: Setup) throws {
        #expect(try eventCount(s.central) == s.total, "every event of the station is on the server, once")
        let ward = try Registry.open(at: s.station.db)
        #expect(try ward.station.outbox(after: 0, limit: 10).isEmpty, "nothing left to push")
        let central = try Registry.open(at: s.central)
        let period = try Period.year(2021)
        let scope: UnitCode = UnitCode("79.26734")!
        #expect(
            try central.figures.planReport(scope: scope, period: period, asOf: nil)
                == ward.figures.planReport(scope: scope, period: period, asOf: nil),
            "the central figures equal the station's")
        // 400 cases opened in 2020, every third (i = 0, 3, …, 399: 134 cases) arrested in 2021.
        let report = try central.figures.planReport(scope: scope, period: period, asOf: nil)
        #expect(report.wanted.existing.count == 400 && report.wanted.existing.captured == 134)
    }

    @Test func theServerKilledMidPushThenASyncThatConverges() throws {
        let s = try Self.setUp()
        #expect(s.total == 400 * 3 + 134)
        let sync = try Self.launch(
            ["sync", "--server", s.server.url, "--give-up-after", "2", "--push-only"],
            environment: ["DRAGNET_DB": s.station.db, "DRAGNET_TOKEN": s.token])
        let midway = try Self.wait(seconds: 60) { try Self.eventCount(s.central) > 0 }
        s.server.kill()
        sync.waitUntilExit()
        #expect(midway)
        let stored = try Self.eventCount(s.central)
        #expect(stored < s.total, "killed before the push was complete (\(stored) of \(s.total))")
        #expect(sync.terminationStatus == 69, "the client gives up with 69 while the server is down")
        try s.server.start()
        let again = try s.station.dragnet(["sync", "--server", s.server.url], environment: ["DRAGNET_TOKEN": s.token])
        #expect(again.status == 0, "\(again.stderr)")
        try Self.assertConverged(s)
        #expect(s.server.terminate() == 0, "SIGTERM stops the server cleanly")
    }

    @Test func theClientKilledMidPushThenASyncThatConverges() throws {
        let s = try Self.setUp()
        let sync = try Self.launch(
            ["sync", "--server", s.server.url],
            environment: ["DRAGNET_DB": s.station.db, "DRAGNET_TOKEN": s.token])
        let midway = try Self.wait(seconds: 60) { try Self.eventCount(s.central) > 0 }
        Foundation.kill(sync.processIdentifier, SIGKILL)
        sync.waitUntilExit()
        #expect(midway && sync.terminationReason == Process.TerminationReason.uncaughtSignal)
        let again = try s.station.dragnet(["sync", "--server", s.server.url], environment: ["DRAGNET_TOKEN": s.token])
        #expect(again.status == 0, "\(again.stderr)")
        try Self.assertConverged(s)
    }

    @Test func theClientKilledMidPullThenASyncThatConverges() throws {
        let s = try Self.setUp()
        let pushed = try s.station.dragnet(["sync", "--server", s.server.url], environment: ["DRAGNET_TOKEN": s.token])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        // A second station of the same province pulls the national wanted list: the cases open at its first pull
        // (SPEC §7: not another unit's cases already closed then).
        let other = try Station(unit: "79.26737")
        let otherToken = try runDragnet(["token", "add", "--db", s.central, "--unit", "79.26737", "--role", "station"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let pull = try Self.launch(
            ["sync", "--server", s.server.url],
            environment: ["DRAGNET_DB": other.db, "DRAGNET_TOKEN": otherToken])
        let midway = try Self.wait(seconds: 60) { try Self.eventCount(other.db) > 0 }
        Foundation.kill(pull.processIdentifier, SIGKILL)
        pull.waitUntilExit()
        #expect(midway)
        let again = try other.dragnet(["sync", "--server", s.server.url], environment: ["DRAGNET_TOKEN": otherToken])
        #expect(again.status == 0, "\(again.stderr)")
        // Worked out from the central's tables, not from the pull: the events of the open cases and of their persons.
        let expected = try Self.eventIDs(
            s.central,
            where: """
                record_id IN (SELECT id FROM wanted_case WHERE closing_kind IS NULL)
                OR record_id IN (SELECT person_id FROM wanted_case WHERE closing_kind IS NULL)
                """)
        let closedCases = try Self.eventIDs(
            s.central, where: "record_id IN (SELECT id FROM wanted_case WHERE closing_kind IS NOT NULL)")
        #expect(!expected.isEmpty && !closedCases.isEmpty, "the list has open and closed cases")
        #expect(try Self.eventIDs(other.db, where: "1") == expected, "every event of the open cases, none other")
        #expect(try Self.eventCount(other.db) == Int64(expected.count), "each once")
        let open = { (path: String) in
            try Registry.open(at: path).records.openCases(scope: UnitCode("79.26734")!).wanted.map(\.id)
        }
        #expect(try Set(open(other.db)) == Set(open(s.central)), "the same open wanted list as the central")
    }

    @Test func aServerThatStaysDownGivesExit69InBoundedTime() throws {
        let station = try Station()
        let start = Date()
        let run = try station.dragnet(
            ["sync", "--server", "http://127.0.0.1:9", "--give-up-after", "3"],
            environment: ["DRAGNET_TOKEN": "dn_test"])
        #expect(run.status == 69)
        #expect(run.stderr.contains("could not reach the central server at http://127.0.0.1:9"))
        #expect(Date().timeIntervalSince(start) < 30, "a 3 s budget; generous for a busy machine")
    }
}
