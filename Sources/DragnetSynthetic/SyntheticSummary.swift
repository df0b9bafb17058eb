import DragnetCore

/// What ``SyntheticData`` wrote: the files, their row and case counts, and how the cases turned out.
public struct SyntheticSummary: Sendable, Equatable {
    /// The path of `wanted.csv`; empty when only a writer was given.
    public var wantedFile = ""
    /// The path of `releases.csv`; empty when only a writer was given.
    public var releasesFile = ""
    /// Data rows of `wanted.csv` (one a decision), the header not counted.
    public var wantedRows = 0
    /// Wanted cases (distinct `case_ref` + `unit`).
    public var wantedCases = 0
    /// Wanted cases left open.
    public var openWanted = 0
    /// Wanted cases closed, by kind.
    public var closings: [ClosingKind: Int] = [:]
    /// Data rows of `releases.csv`: one a release case.
    public var releaseRows = 0
    /// Release cases by type.
    public var releaseTypes: [ReleaseType: Int] = [:]
    /// Release cases ended, by kind.
    public var endings: [EndingKind: Int] = [:]
    /// The path of `supervision.csv`; empty when it was not written.
    public var supervisionFile = ""
    /// Data rows of `supervision.csv`: one a supervision event.
    public var supervisionRows = 0
    /// Supervision events, by kind.
    public var supervisionEvents: [SupervisionMark.Kind: Int] = [:]

    /// An empty summary.
    public init() {}

    /// Data rows of `wanted.csv` and `releases.csv` (the rows asked for; `supervision.csv` comes on top).
    public var rows: Int { wantedRows + releaseRows }

    /// A few lines for people: files, rows, cases, and how the cases turned out.
    public var lines: [String] {
        func counts<K: RawRepresentable & CaseIterable>(_ values: [K: Int]) -> String where K.RawValue == String {
            K.allCases.map { "\($0.rawValue) \(values[$0] ?? 0)" }.joined(separator: ", ")
        }
        var lines: [String] = []
        if !wantedFile.isEmpty {
            lines.append(
                "\(wantedFile): \(wantedRows) rows, \(wantedCases) wanted cases (\(openWanted) open; "
                    + "closed: \(counts(closings)))")
        }
        if !releasesFile.isEmpty {
            lines.append(
                "\(releasesFile): \(releaseRows) rows, \(releaseRows) release cases (\(counts(releaseTypes)); "
                    + "ended: \(counts(endings)))")
        }
        if !supervisionFile.isEmpty {
            lines.append("\(supervisionFile): \(supervisionRows) supervision events (\(counts(supervisionEvents)))")
        }
        return lines
    }
}
