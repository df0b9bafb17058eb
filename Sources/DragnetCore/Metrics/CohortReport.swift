import Foundation

/// The analysts' view of reoffending (SPEC §5): the people released in a period, followed from their release, with
/// the share who reoffended within each horizon and a Kaplan–Meier curve of the time to reoffence.
public struct CohortReport: Sendable, Codable, Equatable {
    /// The unit whose release cases are in the cohort (responsible on `to`), with every unit below it (or `*`).
    public var scope: UnitCode
    /// The first release day of the cohort.
    public var from: LocalDate
    /// The last release day of the cohort (included).
    public var to: LocalDate
    /// The day observation stops: `as_of`'s date, else the day the report was made.
    public var observedOn: LocalDate
    /// The moment the facts were known as of, or `nil` for everything recorded.
    public var asOf: Timestamp?
    /// The release type the cohort is limited to, or `nil` for all three.
    public var releaseType: ReleaseType?
    /// The people in the cohort.
    public var cohortSize: Int
    /// The share reoffended within each follow-up horizon, shortest first.
    public var horizons: [Horizon]
    /// The Kaplan–Meier estimate over the cohort's members released on or before `observedOn`.
    public var kaplanMeier: KaplanMeierCurve

    /// A report from figures already computed.
    public init(
        scope: UnitCode, from: LocalDate, to: LocalDate, observedOn: LocalDate, asOf: Timestamp?,
        releaseType: ReleaseType?, cohortSize: Int, horizons: [Horizon], kaplanMeier: KaplanMeierCurve
    ) {
        self.scope = scope
        self.from = from
        self.to = to
        self.observedOn = observedOn
        self.asOf = asOf
        self.releaseType = releaseType
        self.cohortSize = cohortSize
        self.horizons = horizons
        self.kaplanMeier = kaplanMeier
    }

    /// The share of the cohort who reoffended within `years` of release, among those followed that long.
    public struct Horizon: Sendable, Codable, Equatable {
        /// The length of follow-up, in years from each person's release date.
        public var years: Int
        /// Members whose release date plus `years` is on or before the observation date.
        public var eligible: Int
        /// Eligible members who reoffended on or before their release date plus `years`.
        public var reoffended: Int
        /// `reoffended / eligible`, unrounded; `nil` when nobody is eligible yet.
        public var rate: Double?

        /// The counts; `rate` follows from them.
        public init(years: Int, eligible: Int, reoffended: Int) {
            self.years = years
            self.eligible = eligible
            self.reoffended = reoffended
            self.rate = eligible == 0 ? nil : Double(reoffended) / Double(eligible)
        }

        enum CodingKeys: String, CodingKey {
            case years, eligible, reoffended, rate
        }

        /// Writes every member, `rate` as `null` when absent.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(years, forKey: .years)
            try c.encode(eligible, forKey: .eligible)
            try c.encode(reoffended, forKey: .reoffended)
            try c.encodeOrNull(rate, forKey: .rate)
        }
    }

    enum CodingKeys: String, CodingKey {
        case scope, from, to
        case observedOn = "observed_on"
        case asOf = "as_of"
        case releaseType = "release_type"
        case cohortSize = "cohort_size"
        case horizons
        case kaplanMeier = "kaplan_meier"
    }

    /// Reads the JSON of `jsonData(layout:)` back; `scope` may be the national scope `*`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            scope: try c.decodeScope(forKey: .scope), from: try c.decode(LocalDate.self, forKey: .from),
            to: try c.decode(LocalDate.self, forKey: .to),
            observedOn: try c.decode(LocalDate.self, forKey: .observedOn),
            asOf: try c.decodeIfPresent(Timestamp.self, forKey: .asOf),
            releaseType: try c.decodeIfPresent(ReleaseType.self, forKey: .releaseType),
            cohortSize: try c.decode(Int.self, forKey: .cohortSize),
            horizons: try c.decode([Horizon].self, forKey: .horizons),
            kaplanMeier: try c.decode(KaplanMeierCurve.self, forKey: .kaplanMeier))
    }

    /// Writes every member in a fixed order, absent ones as `null`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scope, forKey: .scope)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(observedOn, forKey: .observedOn)
        try c.encodeOrNull(asOf, forKey: .asOf)
        try c.encodeOrNull(releaseType, forKey: .releaseType)
        try c.encode(cohortSize, forKey: .cohortSize)
        try c.encode(horizons, forKey: .horizons)
        try c.encode(kaplanMeier, forKey: .kaplanMeier)
    }

    /// The JSON of the report, members in a fixed order, the same bytes for the same report every time.
    public func jsonData(layout: OrderedJSONEncoder.Layout = .compact) throws -> Data {
        try OrderedJSONEncoder(layout: layout).encode(self)
    }

    /// `jsonData(layout:)` as a string.
    public func jsonString(layout: OrderedJSONEncoder.Layout = .compact) throws -> String {
        String(decoding: try jsonData(layout: layout), as: UTF8.self)
    }
}
