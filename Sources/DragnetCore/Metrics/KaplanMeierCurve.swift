import Foundation

/// A Kaplan–Meier estimate of the time to reoffence, in days since release, with Greenwood's variance and the plain
/// (linear) 95 % band `S ± 1.96·√var`, clipped to `[0, 1]`.
///
/// Before the first point the estimate is S = 1. Someone censored on the day of an event is still at risk for that
/// event (the usual convention): censoring is taken to happen just after the events of its day.
public struct KaplanMeierCurve: Sendable, Codable, Equatable {
    /// One person's follow-up: days from release to the reoffence (`reoffended`) or to the end of observation.
    public struct Observation: Sendable, Equatable {
        /// Days since release, 0 or more.
        public var day: Int
        /// Whether the follow-up ended with a reoffence (an event) rather than being censored.
        public var reoffended: Bool

        /// An observation; a negative `day` is taken as 0.
        public init(day: Int, reoffended: Bool) {
            self.day = max(0, day)
            self.reoffended = reoffended
        }
    }

    /// The estimate at one day on which at least one reoffence happened.
    public struct Point: Sendable, Codable, Equatable {
        /// Days since release.
        public var day: Int
        /// n: people still followed at the start of the day (neither reoffended nor censored before it).
        public var atRisk: Int
        /// d: reoffences on the day.
        public var events: Int
        /// People censored since the previous point (on or after its day, before this one; from day 0 for the first).
        public var censored: Int
        /// S: the estimated share not yet reoffended at the end of the day, ∏ (1 − d/n).
        public var survival: Double
        /// 1 − S: the estimated share reoffended by the end of the day.
        public var cumulative: Double
        /// Greenwood's variance S² · Σ d/(n(n−d)); `nil` once S is 0 (every person at risk reoffended: n = d).
        public var variance: Double?
        /// max(0, S − 1.96·√variance); `nil` with the variance.
        public var lower: Double?
        /// min(1, S + 1.96·√variance); `nil` with the variance.
        public var upper: Double?

        enum CodingKeys: String, CodingKey {
            case day
            case atRisk = "at_risk"
            case events, censored, survival, cumulative, variance, lower, upper
        }

        /// Writes every member, absent ones as `null`.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(day, forKey: .day)
            try c.encode(atRisk, forKey: .atRisk)
            try c.encode(events, forKey: .events)
            try c.encode(censored, forKey: .censored)
            try c.encode(survival, forKey: .survival)
            try c.encode(cumulative, forKey: .cumulative)
            try c.encodeOrNull(variance, forKey: .variance)
            try c.encodeOrNull(lower, forKey: .lower)
            try c.encodeOrNull(upper, forKey: .upper)
        }
    }

    /// People followed.
    public var subjects: Int
    /// Reoffences observed.
    public var events: Int
    /// People censored (died, revoked, expunged, or still followed on the observation date).
    public var censored: Int
    /// People censored on or after the last point's day (all the censored when there is no point).
    public var censoredAfterLastEvent: Int
    /// The longest follow-up, in days; `nil` when nobody is followed.
    public var lastFollowUpDay: Int?
    /// The estimate at each day with a reoffence, in day order.
    public var points: [Point]

    /// The z value of the 95 % band.
    public static let z95 = 1.96

    /// The estimate from each person's follow-up.
    public init(observations: [Observation]) {
        var eventsByDay: [Int: Int] = [:]
        var censoredByDay: [Int: Int] = [:]
        for observation in observations {
            if observation.reoffended {
                eventsByDay[observation.day, default: 0] += 1
            } else {
                censoredByDay[observation.day, default: 0] += 1
            }
        }
        let eventDays = eventsByDay.keys.sorted()
        let censoredDays = censoredByDay.keys.sorted()
        var atRisk = observations.count
        var survival = 1.0
        var greenwoodSum = 0.0
        var nextCensored = 0  // index into censoredDays
        var points: [Point] = []
        points.reserveCapacity(eventDays.count)
        var previousEvents = 0
        for day in eventDays {
            atRisk -= previousEvents
            var censoredBefore = 0
            while nextCensored < censoredDays.count, censoredDays[nextCensored] < day {
                censoredBefore += censoredByDay[censoredDays[nextCensored]] ?? 0
                nextCensored += 1
            }
            atRisk -= censoredBefore
            let d = eventsByDay[day] ?? 0
            let n = atRisk
            survival *= 1 - Double(d) / Double(n)
            var variance: Double?, lower: Double?, upper: Double?
            if n > d {
                greenwoodSum += Double(d) / (Double(n) * Double(n - d))
                let v = survival * survival * greenwoodSum
                let half = KaplanMeierCurve.z95 * v.squareRoot()
                variance = v
                lower = max(0, survival - half)
                upper = min(1, survival + half)
            } else {
                survival = 0
            }
            points.append(
                Point(
                    day: day, atRisk: n, events: d, censored: censoredBefore, survival: survival,
                    cumulative: 1 - survival, variance: variance, lower: lower, upper: upper))
            previousEvents = d
        }
        let totalEvents = eventsByDay.values.reduce(0, +)
        self.subjects = observations.count
        self.events = totalEvents
        self.censored = observations.count - totalEvents
        self.censoredAfterLastEvent = censoredDays[nextCensored...].reduce(0) { $0 + (censoredByDay[$1] ?? 0) }
        self.lastFollowUpDay = observations.map(\.day).max()
        self.points = points
    }

    /// The estimate in force at the end of `day`: the last point on or before it; `nil` before the first point,
    /// where S = 1.
    public func point(atDay day: Int) -> Point? {
        var low = 0, high = points.count
        while low < high {
            let mid = (low + high) / 2
            if points[mid].day <= day { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : points[low - 1]
    }

    enum CodingKeys: String, CodingKey {
        case subjects, events, censored
        case censoredAfterLastEvent = "censored_after_last_event"
        case lastFollowUpDay = "last_follow_up_day"
        case points
    }

    /// Writes every member, absent ones as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(subjects, forKey: .subjects)
        try c.encode(events, forKey: .events)
        try c.encode(censored, forKey: .censored)
        try c.encode(censoredAfterLastEvent, forKey: .censoredAfterLastEvent)
        try c.encodeOrNull(lastFollowUpDay, forKey: .lastFollowUpDay)
        try c.encode(points, forKey: .points)
    }
}
