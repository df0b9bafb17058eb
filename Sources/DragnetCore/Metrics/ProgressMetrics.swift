/// The plan's cumulative view within a period: for each month of `[from, to]`, the three figures from `from` to the
/// end of that month (the last month ends on `to`). Each point is exactly `PlanMetrics.compute` for
/// `[from, end of month]`, counted in one pass over the facts instead of one report per month.
public enum ProgressMetrics {
    /// The points of `scope` over `[from, to]`, one per month the period touches.
    public static func compute(
        wanted: [WantedFacts], releases: [ReleaseFacts], scope: UnitCode, from: LocalDate, to: LocalDate
    ) -> [ProgressPoint] {
        let ends = monthEnds(from: from, to: to)
        var existing = [Ratio](repeating: Ratio(), count: ends.count)
        var new = existing
        var reoffending = existing
        var covered: [UnitCode: Bool] = [:]
        func inScope(_ unit: UnitCode) -> Bool {
            if let known = covered[unit] { return known }
            let answer = scope.covers(unit)
            covered[unit] = answer
            return answer
        }

        for facts in wanted where facts.openedOn <= to {
            guard inScope(facts.ownerUnit) else { continue }
            for (k, end) in ends.enumerated() {
                guard let list = facts.list(from: from, to: end) else { continue }
                let captured = facts.outcome(to: end).isCapture
                switch list {
                case .existing: existing[k].add(captured)
                case .new: new[k].add(captured)
                }
            }
        }

        for facts in releases where facts.isFollowed(from: from, to: to) {
            let fixedUnit = facts.transfers.isEmpty ? inScope(facts.responsibleUnit) : nil
            if fixedUnit == false { continue }
            for (k, end) in ends.enumerated() where facts.isFollowed(from: from, to: end) {
                guard fixedUnit ?? inScope(facts.responsibleUnit(on: end)) else { continue }
                reoffending[k].add(facts.reoffended(by: end))
            }
        }

        return ends.indices.map {
            ProgressPoint(to: ends[$0], existing: existing[$0], new: new[$0], reoffending: reoffending[$0])
        }
    }

    /// The last day of each month from `from`'s to `to`'s, the last one being `to` itself; empty when `from > to`.
    public static func monthEnds(from: LocalDate, to: LocalDate) -> [LocalDate] {
        guard from <= to else { return [] }
        var ends: [LocalDate] = []
        var year = from.year, month = from.month
        while true {
            let last = LocalDate(year: year, month: month, day: LocalDate.daysIn(month: month, year: year)) ?? to
            if last >= to { break }
            ends.append(last)
            month += 1
            if month > 12 { (year, month) = (year + 1, 1) }
        }
        ends.append(to)
        return ends
    }
}

/// One month of the cumulative view: the figures from the period's first day to `to`.
public struct ProgressPoint: Sendable, Equatable {
    /// The last day counted: a month's last day, or the period's.
    public var to: LocalDate
    /// Existing wanted: captured of counted.
    public var existing: Ratio
    /// New wanted: captured of counted.
    public var new: Ratio
    /// Released persons: reoffended of followed.
    public var reoffending: Ratio

    public init(to: LocalDate, existing: Ratio, new: Ratio, reoffending: Ratio) {
        self.to = to
        self.existing = existing
        self.new = new
        self.reoffending = reoffending
    }
}

/// A count of cases and how many of them count towards the figure (captured, reoffended).
public struct Ratio: Sendable, Equatable {
    /// The numerator: captured or reoffended.
    public var part: Int
    /// The denominator: the cases counted.
    public var whole: Int

    public init(_ part: Int = 0, of whole: Int = 0) {
        self.part = part
        self.whole = whole
    }

    /// `part / whole`, nil when nothing is counted (SPEC §5: never 0, never an error).
    public var rate: Double? { whole == 0 ? nil : Double(part) / Double(whole) }

    mutating func add(_ counts: Bool) {
        whole += 1
        if counts { part += 1 }
    }
}
