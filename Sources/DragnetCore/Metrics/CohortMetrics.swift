/// Computes the cohort view of reoffending (SPEC §5) from the facts of every release case as known at `as_of`.
///
/// A pure function: the observation date is given, never read from a clock.
public enum CohortMetrics {
    /// The cohort of release cases released in `[from, to]` whose responsible unit on `to` is within `scope`
    /// (optionally of one release type), observed until `observedOn`.
    ///
    /// - Horizon h: eligible = members with `releasedOn + h years ≤ observedOn` (29 February plus a year is
    ///   28 February); reoffended = eligible members whose ending is `reoffended` on or before `releasedOn + h years`.
    ///   A member who died, was revoked or was expunged within h stays eligible and counts as not reoffended.
    /// - Kaplan–Meier: time from release to reoffence in days (a reoffence on the release day is day 0), censored at
    ///   the date of death, revocation or expungement, or at `observedOn` when still followed. An ending dated after
    ///   `observedOn` is not known yet: censored at `observedOn`. Members released after `observedOn` are in the
    ///   cohort's size but have no follow-up and are left out of the curve.
    public static func compute(
        releases: [ReleaseFacts], scope: UnitCode, from: LocalDate, to: LocalDate, observedOn: LocalDate,
        horizonsInYears: [Int] = [1, 3, 5], releaseType: ReleaseType? = nil, asOf: Timestamp? = nil
    ) -> CohortReport {
        let horizons = Array(Set(horizonsInYears.filter { $0 > 0 })).sorted()
        var eligible = [Int](repeating: 0, count: horizons.count)
        var reoffended = [Int](repeating: 0, count: horizons.count)
        var observations: [KaplanMeierCurve.Observation] = []
        var covered: [UnitCode: Bool] = [:]
        var cohortSize = 0

        for facts in releases {
            guard from <= facts.releasedOn, facts.releasedOn <= to else { continue }
            if let releaseType, facts.releaseType != releaseType { continue }
            let unit = facts.responsibleUnit(on: to)
            let inScope: Bool
            if let known = covered[unit] {
                inScope = known
            } else {
                inScope = scope.covers(unit)
                covered[unit] = inScope
            }
            guard inScope else { continue }
            cohortSize += 1

            for (i, years) in horizons.enumerated() {
                let end = facts.releasedOn.adding(years: years)
                guard end <= observedOn else { continue }
                eligible[i] += 1
                if let ending = facts.ending, ending.kind == .reoffended, ending.date <= end { reoffended[i] += 1 }
            }

            guard facts.releasedOn <= observedOn else { continue }
            let start = facts.releasedOn.dayNumber
            if let ending = facts.ending, ending.date <= observedOn {
                observations.append(.init(day: ending.date.dayNumber - start, reoffended: ending.kind == .reoffended))
            } else {
                observations.append(.init(day: observedOn.dayNumber - start, reoffended: false))
            }
        }

        return CohortReport(
            scope: scope, from: from, to: to, observedOn: observedOn, asOf: asOf, releaseType: releaseType,
            cohortSize: cohortSize,
            horizons: horizons.indices.map {
                CohortReport.Horizon(years: horizons[$0], eligible: eligible[$0], reoffended: reoffended[$0])
            },
            kaplanMeier: KaplanMeierCurve(observations: observations))
    }
}
