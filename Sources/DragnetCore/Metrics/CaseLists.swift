import Foundation

/// The cases behind each number of a plan report (SPEC §9): which cases a figure counts, filtered by how they stand.
/// Membership comes from `Membership.swift`, as for the figures, so a list holds exactly what its number counts.
public enum CaseLists {
    /// A list behind the figures.
    public enum List: String, Sendable, CaseIterable {
        /// The existing wanted cases (the existing capture rate's denominator).
        case existing
        /// The newly arising wanted cases.
        case new
        /// The released persons followed (the reoffending rate's population).
        case released
    }

    /// Which of a list's cases to show.
    public enum Filter: String, Sendable, CaseIterable {
        case all
        /// Wanted lists: arrested or surrendered (the numerator).
        case captured
        case arrested, surrendered, died
        case struckOff = "struck_off"
        /// Wanted lists: still open at the end of the period.
        case open
        /// The released list: reoffended within the period (the numerator).
        case reoffended
        /// The released list: not reoffended.
        case notReoffended = "not_reoffended"

        /// The filters that make sense for `list`.
        public static func allowed(for list: List) -> [Filter] {
            list == .released
                ? [.all, .reoffended, .notReoffended]
                : [.all, .captured, .arrested, .surrendered, .died, .struckOff, .open]
        }
    }

    /// One wanted case of a list, as the figures saw it.
    public struct WantedEntry: Sendable, Equatable {
        public var facts: WantedFacts
        public var outcome: WantedOutcome
    }

    /// One release case of the released list, as the figures saw it.
    public struct ReleaseEntry: Sendable, Equatable {
        public var facts: ReleaseFacts
        /// The unit responsible on the period's last day.
        public var unit: UnitCode
        public var reoffended: Bool
    }

    /// The wanted cases of `list` (existing or new) for `scope` over `[from, to]` that pass `filter`, oldest opening
    /// first (then by id, for a stable order).
    public static func wanted(
        _ list: WantedList, _ filter: Filter, facts: [WantedFacts], scope: UnitCode, from: LocalDate, to: LocalDate
    ) -> [WantedEntry] {
        var entries: [WantedEntry] = []
        var covered: [UnitCode: Bool] = [:]
        for case let f in facts where f.list(from: from, to: to) == list {
            let inScope = covered[f.ownerUnit] ?? scope.covers(f.ownerUnit)
            covered[f.ownerUnit] = inScope
            guard inScope else { continue }
            let outcome = f.outcome(to: to)
            let keep: Bool
            switch filter {
            case .all: keep = true
            case .captured: keep = outcome.isCapture
            case .arrested: keep = outcome == .arrested
            case .surrendered: keep = outcome == .surrendered
            case .died: keep = outcome == .died
            case .struckOff: keep = outcome == .struckOff
            case .open: keep = outcome == .open
            case .reoffended, .notReoffended: keep = false
            }
            if keep { entries.append(WantedEntry(facts: f, outcome: outcome)) }
        }
        entries.sort { ($0.facts.openedOn, $0.facts.caseID.order) < ($1.facts.openedOn, $1.facts.caseID.order) }
        return entries
    }

    /// The release cases followed in `[from, to]` whose unit responsible on `to` is within `scope`, passing
    /// `filter`, earliest release first (then by id).
    public static func released(
        _ filter: Filter, facts: [ReleaseFacts], scope: UnitCode, from: LocalDate, to: LocalDate
    ) -> [ReleaseEntry] {
        var entries: [ReleaseEntry] = []
        var covered: [UnitCode: Bool] = [:]
        for f in facts where f.isFollowed(from: from, to: to) {
            let unit = f.responsibleUnit(on: to)
            let inScope = covered[unit] ?? scope.covers(unit)
            covered[unit] = inScope
            guard inScope else { continue }
            let reoffended = f.reoffended(by: to)
            let keep: Bool
            switch filter {
            case .all: keep = true
            case .reoffended: keep = reoffended
            case .notReoffended: keep = !reoffended
            default: keep = false
            }
            if keep { entries.append(ReleaseEntry(facts: f, unit: unit, reoffended: reoffended)) }
        }
        entries.sort { ($0.facts.releasedOn, $0.facts.caseID.order) < ($1.facts.releasedOn, $1.facts.caseID.order) }
        return entries
    }
}

extension UUID {
    /// The id's 128 bits as two numbers, for a cheap stable order (ids are time-ordered: older first).
    fileprivate var order: UInt64Pair {
        let b = uuid
        let high = [b.0, b.1, b.2, b.3, b.4, b.5, b.6, b.7].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let low = [b.8, b.9, b.10, b.11, b.12, b.13, b.14, b.15].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return UInt64Pair(high: high, low: low)
    }
}

private struct UInt64Pair: Comparable {
    var high: UInt64
    var low: UInt64
    static func < (a: UInt64Pair, b: UInt64Pair) -> Bool { (a.high, a.low) < (b.high, b.low) }
}
