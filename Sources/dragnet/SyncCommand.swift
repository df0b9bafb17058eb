import ArgumentParser
import DragnetCore
import DragnetSync
import Foundation
import Logging

/// `--server URL` with the token and the TLS and timeout settings of the libcurl client.
struct ServerOptions: ParsableArguments {
    @Option(help: "The central endpoint, e.g. https://dragnet.example:8443.") var server: String?
    @Option(name: .customLong("token-file"), help: "A file holding the access token (else $DRAGNET_TOKEN).")
    var tokenFile: String?
    @Option(help: "A CA certificate file to verify the server's TLS certificate with.") var cacert: String?
    @Option(name: .customLong("connect-timeout"), help: "Seconds to wait for a connection.") var connectTimeout = 5.0
    @Option(name: .customLong("give-up-after"), help: "Seconds of retrying before giving up (exit 69).")
    var giveUpAfter = 55.0

    func token() throws -> String {
        if let tokenFile {
            guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw DragnetError(.usage, "cannot read the token file \(tokenFile)")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let token = ProcessInfo.processInfo.environment["DRAGNET_TOKEN"], !token.isEmpty { return token }
        throw ValidationError("give the access token with --token-file FILE or DRAGNET_TOKEN")
    }

    func client(_ url: String) throws -> CentralClient {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ValidationError("--server must be an http:// or https:// URL, not \"\(url)\"")
        }
        var options = CurlOptions.standard
        options.caFile = cacert
        options.connectTimeout = connectTimeout
        var policy = RetryPolicy()
        policy.budget = giveUpAfter
        let verbose = isatty(2) == 1
        return CentralClient.live(baseURL: url, token: try token(), options: options, policy: policy) { retry in
            if verbose { printError("retrying in \(String(format: "%.1f", retry.delay)) s after \(retry.reason)") }
        }
    }
}

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Push this station's new events to the central endpoint, then pull what others recorded.",
        discussion: """
            Safe to run again at any time, or after a crash: every event is stored once by its id, and pulled events \
            are stored together with the cursor. Exit 69 when the server stays unreachable (about a minute).

            With --format json, standard output is one JSON object instead of the sentences: pushed, created, \
            duplicates, rejected, pulled, stored, cursor, conflicts, central_log_changed, seconds, push_seconds, \
            pull_seconds, events_per_second and rejections (docs/formats.md).
            """)
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var server: ServerOptions
    @Flag(help: "Only push.") var pushOnly = false
    @Flag(help: "Only pull.") var pullOnly = false
    @Option(help: "text, or json: one JSON object with the counts and the seconds taken (docs/formats.md).")
    var format: SummaryFormat = .text

    func run() throws {
        guard let url = server.server else { throw ValidationError("give the central endpoint with --server URL") }
        let stopwatch = Stopwatch()
        let registry = try database.open()
        var synchronizer = Synchronizer(
            registry: registry, client: try server.client(url),
            logger: Logger(label: "dragnet.sync"))
        let meter = ProgressMeter(label: "sync", unit: "events")
        // The push's total is known beforehand (the pull's is not), so its time left can be told.
        synchronizer.countsPushTotal = meter.enabled
        synchronizer.progress = { _, count, total in meter.update(count, total: total) }
        let report = try synchronizer.run(pullOnly: pullOnly, pushOnly: pushOnly, now: { clockNow() })
        meter.finish()
        let seconds = stopwatch.seconds
        let conflicts = try registry.records.anomalies().filter { $0.severity == .conflict }.count
        if format == .json {
            try printJSON(SyncOutput(report: report, pushOnly: pushOnly, conflicts: conflicts, seconds: seconds))
            return
        }
        if let forgotten = report.centralLogChanged {
            print(
                "the central server's log is not the one this station last synced with (restored from an older "
                    + "backup, or another server at \(url)): \(forgotten.receipts) receipt(s) were forgotten, so "
                    + "every event of this station was offered again, and its log was read again from the start")
        }
        print(
            "pushed \(report.pushed) event(s): \(report.created) stored, \(report.duplicates) already there, "
                + "\(report.rejected.count) rejected")
        if !pushOnly { print("pulled \(report.pulled) event(s): \(report.stored) new here; cursor \(report.cursor)") }
        for rejected in report.rejected {
            print(
                "rejected \(rejected.event.id.uuidString.lowercased()) (\(rejected.event.kind.rawValue)): "
                    + rejected.reason)
        }
        if conflicts > 0 { print("\(conflicts) conflict(s) to resolve: see `dragnet conflicts`") }
        if !report.rejected.isEmpty {
            print("rejected events stay here and are offered again at the next sync; fix or retract them")
        }
    }
}
