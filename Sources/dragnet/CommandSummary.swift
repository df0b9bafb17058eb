import ArgumentParser
import DragnetCore
import DragnetSync
import Foundation

/// How `import` and `sync` tell what they did: sentences for people (`text`), or one JSON object for scripts
/// (`json`, docs/formats.md).
enum SummaryFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Time taken by a command, on the monotonic clock.
struct Stopwatch {
    private let start = ContinuousClock.now

    /// Seconds since the stopwatch was made, to the millisecond.
    var seconds: Double { Self.seconds(ContinuousClock.now - start) }

    /// A duration in seconds, to the millisecond.
    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return ((Double(seconds) + Double(attoseconds) / 1e18) * 1000).rounded() / 1000
    }
}

/// The largest resident memory this process has used so far, in bytes (`getrusage`; 0 when it cannot be read).
func peakMemoryBytes() -> Int {
    var usage = rusage()
    #if os(Linux)
        guard getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss) * 1024  // kibibytes on Linux
    #else
        guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss)  // bytes on macOS
    #endif
}

/// Prints `summary` as one JSON object on standard output, its members in the order its `encode(to:)` writes them.
func printJSON(_ summary: some Encodable) throws {
    print(String(decoding: try OrderedJSONEncoder(layout: .pretty).encode(summary), as: UTF8.self))
}

/// `dragnet import --format json`: what the import did, in one object (docs/formats.md).
struct ImportOutput: Encodable {
    let list: ListKind
    let file: String
    let summary: ImportSummary
    /// The reject file given with `--rejects`.
    let rejects: String?
    let seconds: Double
    let peakMemoryBytes: Int

    enum CodingKeys: String, CodingKey {
        case list, file, rows, events, persons
        case casesCreated = "cases_created"
        case unchangedRows = "unchanged_rows"
        case problems
        case badRows = "bad_rows"
        case committed, rejects, seconds
        case peakMemoryBytes = "peak_memory_bytes"
    }

    func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: CodingKeys.self)
        try object.encode(list.rawValue, forKey: .list)
        try object.encode(file, forKey: .file)
        try object.encode(summary.rows, forKey: .rows)
        // What was stored: nothing, when the import was refused (the good rows' events were judged, not kept).
        let stored = summary.committed ? 1 : 0
        try object.encode(summary.events * stored, forKey: .events)
        try object.encode(summary.persons * stored, forKey: .persons)
        try object.encode(summary.casesCreated * stored, forKey: .casesCreated)
        try object.encode(summary.unchangedRows * stored, forKey: .unchangedRows)
        try object.encode(summary.problems.count, forKey: .problems)
        try object.encode(Set(summary.problems.map(\.row)).count, forKey: .badRows)
        try object.encode(summary.committed, forKey: .committed)
        if let rejects { try object.encode(rejects, forKey: .rejects) } else { try object.encodeNil(forKey: .rejects) }
        try object.encode(seconds, forKey: .seconds)
        try object.encode(peakMemoryBytes, forKey: .peakMemoryBytes)
    }
}

/// `dragnet sync --format json`: what the sync moved, in one object (docs/formats.md).
struct SyncOutput: Encodable {
    let report: SyncReport
    let pushOnly: Bool
    /// Conflicts to resolve on this station after the sync.
    let conflicts: Int
    let seconds: Double

    /// One event the server refused.
    struct Rejection: Encodable {
        let id: String
        let kind: String
        let reason: String
    }

    enum CodingKeys: String, CodingKey {
        case pushed, created, duplicates, rejected, pulled, stored, cursor, conflicts
        case centralLogChanged = "central_log_changed"
        case seconds
        case pushSeconds = "push_seconds"
        case pullSeconds = "pull_seconds"
        case eventsPerSecond = "events_per_second"
        case rejections
    }

    func encode(to encoder: any Encoder) throws {
        var object = encoder.container(keyedBy: CodingKeys.self)
        try object.encode(report.pushed, forKey: .pushed)
        try object.encode(report.created, forKey: .created)
        try object.encode(report.duplicates, forKey: .duplicates)
        try object.encode(report.rejected.count, forKey: .rejected)
        try object.encode(report.pulled, forKey: .pulled)
        try object.encode(report.stored, forKey: .stored)
        if pushOnly { try object.encodeNil(forKey: .cursor) } else { try object.encode(report.cursor, forKey: .cursor) }
        try object.encode(conflicts, forKey: .conflicts)
        try object.encode(report.centralLogChanged != nil, forKey: .centralLogChanged)
        try object.encode(seconds, forKey: .seconds)
        try object.encode(Stopwatch.seconds(report.pushTime), forKey: .pushSeconds)
        try object.encode(Stopwatch.seconds(report.pullTime), forKey: .pullSeconds)
        let moved = Double(report.pushed + report.pulled)
        try object.encode(seconds > 0 ? Int((moved / seconds).rounded()) : 0, forKey: .eventsPerSecond)
        try object.encode(
            report.rejected.map {
                Rejection(id: $0.event.id.uuidString.lowercased(), kind: $0.event.kind.rawValue, reason: $0.reason)
            }, forKey: .rejections)
    }
}
