import Foundation

/// How often a released person under supervision must be checked on (SPEC §10): every `probationDays` while an
/// early release's probation runs, every `otherDays` otherwise.
public struct ContactIntervals: Sendable, Hashable, Codable, CustomStringConvertible {
    public let probationDays: Int
    public let otherDays: Int

    /// 31 days on probation, 92 otherwise.
    public static let standard = ContactIntervals(uncheckedProbation: 31, other: 92)

    /// The intervals; each a whole number of days from 1 to 366, else a `DragnetError` (usage) naming it.
    public init(probationDays: Int, otherDays: Int) throws {
        for (name, value) in [("probation", probationDays), ("other", otherDays)] where !(1...366).contains(value) {
            throw DragnetError(.usage, "contact interval --\(name) \(value) is not a number of days from 1 to 366")
        }
        self.init(uncheckedProbation: probationDays, other: otherDays)
    }

    private init(uncheckedProbation probation: Int, other: Int) {
        self.probationDays = probation
        self.otherDays = other
    }

    enum CodingKeys: String, CodingKey {
        case probationDays = "probation_days"
        case otherDays = "other_days"
    }

    /// `31 days on probation, 92 days otherwise`.
    public var description: String { "\(probationDays) days on probation, \(otherDays) days otherwise" }
}

/// The contact intervals in force for each unit: those of the most specific scope that covers it (as with the
/// targets, `ScopedSettings`), else `ContactIntervals.standard`.
public struct IntervalBook: Sendable, Hashable {
    private var settings: ScopedSettings<ContactIntervals>

    /// The intervals set per scope.
    public var byScope: [UnitCode: ContactIntervals] { settings.byScope }

    public init(byScope: [UnitCode: ContactIntervals] = [:]) { settings = ScopedSettings(byScope: byScope) }

    public mutating func set(_ intervals: ContactIntervals, for scope: UnitCode) { settings.set(intervals, for: scope) }

    /// The intervals for `unit`: those of the most specific scope covering it (the unit itself first), else standard.
    public func intervals(for unit: UnitCode) -> ContactIntervals { settings.value(for: unit) ?? .standard }
}

/// One thing due on a release case on a day (SPEC §10).
public struct DueItem: Sendable, Equatable {
    /// The four kinds of item, in the order the worklist names them.
    public enum Kind: String, Sendable, Codable, CaseIterable, Comparable {
        case arrivalOverdue = "arrival_overdue"
        case contactOverdue = "contact_overdue"
        case whereaboutsUnknown = "whereabouts_unknown"
        case probationEnding = "probation_ending"

        public static func < (a: Kind, b: Kind) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public var caseID: UUID
    public var kind: Kind
    /// The first day the item was due (for `probation_ending`, the first day of the last 30 before the probation
    /// ends; for `whereabouts_unknown`, the day recorded).
    public var since: LocalDate
    /// Days from `since` to the day asked about: 0 on `since`.
    public var days: Int

    public init(caseID: UUID, kind: Kind, since: LocalDate, days: Int) {
        self.caseID = caseID
        self.kind = kind
        self.since = since
        self.days = days
    }
}

/// What is due on a release case and the supervision figures, from the case's facts alone (SPEC §10). The one place
/// these rules live: the worklist (`dragnet due`), the figures and the dashboard all call it.
public enum Supervision {
    /// Days after the release (or the transfer) within which the person must report in: due from the day after.
    public static let arrivalDays = 5
    /// Days before the end of the probation from which it is listed as ending.
    public static let probationNoticeDays = 30

    /// The items due on `day` for the case `facts`, in the order of `DueItem.Kind`; none when the case is not open
    /// that day (not yet released, or ended on or before it). `intervals` are those of the unit responsible on `day`.
    public static func due(_ facts: ReleaseFacts, on day: LocalDate, intervals: ContactIntervals) -> [DueItem] {
        guard facts.isOpen(on: day) else { return [] }
        var items: [DueItem] = []
        func add(_ kind: DueItem.Kind, since: LocalDate) {
            items.append(DueItem(caseID: facts.caseID, kind: kind, since: since, days: day.dayNumber - since.dayNumber))
        }
        let state = SupervisionState(facts, on: day)
        if let reported = state.reportedIn {
            let last = max(reported, state.lastContact ?? reported)
            let interval = onProbation(facts, day) ? intervals.probationDays : intervals.otherDays
            if day.dayNumber - last.dayNumber > interval {
                add(.contactOverdue, since: last.adding(days: interval + 1))
            }
        } else if day.dayNumber - state.responsibleSince.dayNumber > arrivalDays {
            add(.arrivalOverdue, since: state.responsibleSince.adding(days: arrivalDays + 1))
        }
        if let since = state.missingSince { add(.whereaboutsUnknown, since: since) }
        if facts.releaseType == .earlyRelease, let until = facts.probationUntil, until >= day,
            until.dayNumber - day.dayNumber <= probationNoticeDays
        {
            add(.probationEnding, since: until.adding(days: -probationNoticeDays))
        }
        return items
    }

    /// Whether an early release's probation runs on `day` (up to and including its last day).
    static func onProbation(_ facts: ReleaseFacts, _ day: LocalDate) -> Bool {
        facts.releaseType == .earlyRelease && (facts.probationUntil.map { day <= $0 } ?? false)
    }
}

/// Where supervision stands on a day, from a case's supervision events on or before it.
struct SupervisionState {
    /// The day the unit responsible on the day took the person over.
    var responsibleSince: LocalDate
    /// The last reporting in to that unit (on or after `responsibleSince`), if any: it counts as a contact too.
    var reportedIn: LocalDate?
    /// The last contact on or before the day (by any unit: a check is a check).
    var lastContact: LocalDate?
    /// Since when the person's whereabouts are unknown, if they are on the day.
    var missingSince: LocalDate?

    init(_ facts: ReleaseFacts, on day: LocalDate) {
        responsibleSince = facts.responsibleSince(on: day)
        for mark in facts.marks where mark.date <= day {
            switch mark.kind {
            case .reportedIn where mark.date >= responsibleSince:
                reportedIn = max(reportedIn ?? mark.date, mark.date)
            case .contact:
                lastContact = max(lastContact ?? mark.date, mark.date)
            case .whereaboutsUnknown:
                missingSince = missingSince ?? mark.date
            case .located:
                missingSince = nil
            case .reportedIn, .officerAssigned:
                break
            }
        }
    }
}

/// The supervision figures of SPEC §10 for a scope on a day: the released persons under supervision (open release
/// cases whose responsible unit on that day is in the scope) and, of them, how many are in each situation. Every
/// share is of `supervised`.
public struct SupervisionFigures: Sendable, Equatable {
    public var supervised = 0
    /// Reported in to the unit responsible on the day.
    public var reportedIn = 0
    /// Reported in and not `contact_overdue`.
    public var contactsOnTime = 0
    public var arrivalOverdue = 0
    public var whereaboutsUnknown = 0
    /// With a wanted case open on the day (any wanted case of the same person, named as arising from the release or
    /// not).
    public var wantedOpen = 0

    public init() {}

    /// The figures for `scope` on `day`, each case judged with the intervals of its responsible unit.
    public init(
        releases: [ReleaseFacts], wanted: [WantedFacts], scope: UnitCode, on day: LocalDate, intervals: IntervalBook
    ) {
        var wantedPersons = Set<UUID>()
        for w in wanted where w.isOpen(on: day) {
            if let person = w.personID { wantedPersons.insert(person) }
        }
        for facts in releases where facts.isOpen(on: day) {
            let unit = facts.responsibleUnit(on: day)
            guard scope.covers(unit) else { continue }
            count(
                facts, on: day, intervals: intervals.intervals(for: unit),
                wanted: facts.personID.map(wantedPersons.contains) ?? false)
        }
    }

    /// Counts one release case open on `day` (its responsible unit's `intervals`; `wanted`: its person has a wanted
    /// case open that day); `by: -1` counts it out again.
    mutating func count(
        _ facts: ReleaseFacts, on day: LocalDate, intervals: ContactIntervals, wanted: Bool, by n: Int = 1
    ) {
        supervised += n
        let items = Supervision.due(facts, on: day, intervals: intervals)
        let state = SupervisionState(facts, on: day)
        if state.reportedIn != nil {
            reportedIn += n
            if !items.contains(where: { $0.kind == .contactOverdue }) { contactsOnTime += n }
        }
        if items.contains(where: { $0.kind == .arrivalOverdue }) { arrivalOverdue += n }
        if state.missingSince != nil { whereaboutsUnknown += n }
        if wanted { wantedOpen += n }
    }

    /// Adds `other`'s counts.
    mutating func merge(_ other: SupervisionFigures) {
        supervised += other.supervised
        reportedIn += other.reportedIn
        contactsOnTime += other.contactsOnTime
        arrivalOverdue += other.arrivalOverdue
        whereaboutsUnknown += other.whereaboutsUnknown
        wantedOpen += other.wantedOpen
    }

    /// `part` as a share of `supervised` (nil when nobody is under supervision).
    public func share(_ part: Int) -> Double? { supervised == 0 ? nil : Double(part) / Double(supervised) }
}
