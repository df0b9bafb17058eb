/// Computes the plan's figures (SPEC §5) from the facts of every case as known at the report's `as_of`.
///
/// A pure function: no clock, no database, no global. One pass over each array; per case, a few date comparisons
/// and, for a counted case, one dictionary look-up of its unit. Units are resolved to their row once each.
public enum PlanMetrics {
    /// The plan report of `scope` over `[from, to]` (both days included).
    ///
    /// - Existing wanted: owned within scope, opened before `from`, not closed before `from`; a closing counts when it
    ///   falls in `[from, to]`; open = not closed by the end of `to`.
    /// - New wanted: owned within scope, opened in `[from, to]`; a closing counts when on or before `to`.
    /// - Reoffending: release cases whose responsible unit on `to` is within scope, released on or before `to`, whose
    ///   ending, if any, is not before `from`; reoffended = ended `reoffended` in `[from, to]`.
    ///
    /// - Supervision (SPEC §10, when `supervision` is given): the open release cases on its day whose responsible
    ///   unit that day is within scope, each counted for that unit (`SupervisionFigures`).
    ///
    /// `asOf` is only echoed: the caller has already reduced the facts to what was known then.
    /// The caller must pass `from ≤ to` (`Period` checks it); with `from > to` every count is 0.
    public static func compute(
        wanted: [WantedFacts], releases: [ReleaseFacts], scope: UnitCode, from: LocalDate, to: LocalDate,
        asOf: Timestamp?, targets: TargetBook, supervision: SupervisionQuery? = nil
    ) -> PlanReport {
        PlanTally(
            wanted: wanted, releases: releases, scope: scope, from: from, to: to, targets: targets,
            supervision: supervision
        ).report(asOf: asOf)
    }
}

/// The rows of a report being counted: each case's unit is mapped once to the row of the unit directly below the
/// scope on its way (or of the scope itself), or to -1 when the scope does not cover it.
struct RowTable: Sendable {
    let scope: UnitCode
    /// The row's unit, in the order rows were first needed.
    private(set) var units: [UnitCode] = []
    /// The counts of each row, parallel to `units`.
    var tallies: [UnitTally] = []
    private var rowOfUnit: [UnitCode: Int] = [:]
    private var rowOfKey: [UnitCode: Int] = [:]

    init(scope: UnitCode) { self.scope = scope }

    /// The row counting cases of `unit`, created on first use; -1 when `unit` is outside the scope.
    mutating func index(of unit: UnitCode) -> Int {
        if let row = rowOfUnit[unit] { return row }
        let row: Int
        if let key = unit == scope ? scope : scope.child(toward: unit) {
            if let existing = rowOfKey[key] {
                row = existing
            } else {
                row = units.count
                units.append(key)
                tallies.append(UnitTally())
                rowOfKey[key] = row
            }
        } else {
            row = -1
        }
        rowOfUnit[unit] = row
        return row
    }
}

/// The counts of one row: plain integers, turned into figures (rates, targets) once at the end. Every count is a
/// sum of one case's contributions, so that a case can be counted out again (`by: -1`).
struct UnitTally: Sendable {
    var existing = CaptureTally()
    var new = CaptureTally()
    var releases = ReoffendingTally()
    var supervision = SupervisionFigures()
    /// How many cases are counted in the row (a row with none is not in the report).
    var members = 0

    mutating func merge(_ other: UnitTally) {
        existing.merge(other.existing)
        new.merge(other.new)
        releases.merge(other.releases)
        supervision.merge(other.supervision)
        members += other.members
    }

    func wantedFigures(_ targets: Targets) -> PlanReport.WantedFigures {
        PlanReport.WantedFigures(
            existing: existing.figures(target: targets.existingCapture), new: new.figures(target: targets.newCapture))
    }
}

/// The closings of the counted wanted cases of one row.
struct CaptureTally: Sendable {
    var arrested = 0
    var surrendered = 0
    var died = 0
    var struckOff = 0
    var open = 0

    /// Counts a case by how it stands at the end of the period (`by: -1` counts it out).
    mutating func add(_ outcome: WantedOutcome, by n: Int = 1) {
        switch outcome {
        case .arrested: arrested += n
        case .surrendered: surrendered += n
        case .died: died += n
        case .struckOff: struckOff += n
        case .open: open += n
        }
    }

    mutating func merge(_ other: CaptureTally) {
        arrested += other.arrested
        surrendered += other.surrendered
        died += other.died
        struckOff += other.struckOff
        open += other.open
    }

    func figures(target: Double) -> PlanReport.CaptureFigures {
        PlanReport.CaptureFigures(
            arrested: arrested, surrendered: surrendered, died: died, struckOff: struckOff, open: open, target: target)
    }
}

/// The counted release cases of one row, per release type.
struct ReoffendingTally: Sendable {
    struct TypeTally: Sendable {
        var population = 0
        var reoffended = 0

        var figures: PlanReport.ReleaseTypeFigures {
            PlanReport.ReleaseTypeFigures(population: population, reoffended: reoffended)
        }
    }

    var amnesty = TypeTally()
    var earlyRelease = TypeTally()
    var sentenceCompleted = TypeTally()

    /// Counts a followed case (`by: -1` counts it out).
    mutating func add(_ type: ReleaseType, reoffended didReoffend: Bool, by n: Int = 1) {
        let count = didReoffend ? n : 0
        switch type {
        case .amnesty:
            amnesty.population += n
            amnesty.reoffended += count
        case .earlyRelease:
            earlyRelease.population += n
            earlyRelease.reoffended += count
        case .sentenceCompleted:
            sentenceCompleted.population += n
            sentenceCompleted.reoffended += count
        }
    }

    mutating func merge(_ other: ReoffendingTally) {
        amnesty.population += other.amnesty.population
        amnesty.reoffended += other.amnesty.reoffended
        earlyRelease.population += other.earlyRelease.population
        earlyRelease.reoffended += other.earlyRelease.reoffended
        sentenceCompleted.population += other.sentenceCompleted.population
        sentenceCompleted.reoffended += other.sentenceCompleted.reoffended
    }

    func figures(_ targets: Targets) -> PlanReport.ReoffendingFigures {
        PlanReport.ReoffendingFigures(
            byType: PlanReport.ReoffendingByType(
                amnesty: amnesty.figures, earlyRelease: earlyRelease.figures,
                sentenceCompleted: sentenceCompleted.figures),
            target: targets.reoffending)
    }
}
