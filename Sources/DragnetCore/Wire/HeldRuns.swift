/// The runs of server sequence numbers a station names when it pulls (`held=a-b,c-d`): where the server stored the
/// station's own events (its push answers said so), which the station holds. The page does not carry them
/// (docs/protocol.md): a ward's own events made up about 260,000 of the 853,000 events the 59 stations of the bench
/// pulled.
public struct HeldRuns: Sendable, Equatable {
    /// In order, apart from each other.
    public private(set) var runs: [ClosedRange<Int64>]

    /// The most runs a request may name.
    public static let maxRuns = 64

    public static let none = HeldRuns(checked: [])

    private init(checked runs: [ClosedRange<Int64>]) { self.runs = runs }

    /// `runs` when they are in order and apart (each starts after the one before ends), at most `maxRuns`.
    public init?(_ runs: [ClosedRange<Int64>]) {
        guard runs.count <= Self.maxRuns, zip(runs, runs.dropFirst()).allSatisfy({ $0.upperBound < $1.lowerBound })
        else { return nil }
        self.runs = runs
    }

    /// Reads the query parameter's text: at most `maxRuns` runs `a-b` (or `a`) of at most 18 digits each, separated
    /// by commas; nil when it is not that. The runs may come in any order, overlap, or be written high-low: they are
    /// put in order and joined (a station names only what it holds, and can only make itself be sent less).
    public init?(query: Substring) {
        var runs: [ClosedRange<Int64>] = []
        for part in query.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard runs.count < Self.maxRuns,
                bounds.allSatisfy({ $0.count <= 18 && $0.allSatisfy { ("0"..."9").contains($0) } }),
                let low = bounds.first.flatMap({ Int64($0) }), let high = bounds.count == 2 ? Int64(bounds[1]) : low,
                low >= 0, high >= 0
            else { return nil }
            runs.append(min(low, high)...max(low, high))
        }
        var joined: [ClosedRange<Int64>] = []
        for run in runs.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = joined.last, run.lowerBound <= last.upperBound + 1 {
                joined[joined.count - 1] = last.lowerBound...max(last.upperBound, run.upperBound)
            } else {
                joined.append(run)
            }
        }
        self.runs = joined
    }

    /// The query parameter's text (empty when there are no runs).
    public var query: String {
        runs.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
    }

    /// The runs after `cursor`: those that end after it, from the number after it on (as `StationState.heldRuns`
    /// reads them).
    public func after(_ cursor: Int64) -> HeldRuns {
        HeldRuns(checked: runs.filter { $0.upperBound > cursor }.map { max($0.lowerBound, cursor + 1)...$0.upperBound })
    }

    /// Whether `sequence` is in a run.
    public func contains(_ sequence: Int64) -> Bool {
        var low = 0
        var high = runs.count
        while low < high {
            let middle = (low + high) / 2
            if runs[middle].upperBound < sequence { low = middle + 1 } else { high = middle }
        }
        return low < runs.count && runs[low].contains(sequence)
    }
}
