import Foundation

/// The three figures the crime-prevention plan sets targets for, over one scope and one period (SPEC §5), and the
/// supervision figures (SPEC §10), with one row per unit directly below the scope. Its JSON is the fixed shape
/// `dragnet metrics --format json` prints.
public struct PlanReport: Sendable, Codable, Equatable {
    /// The unit whose cases are counted, with every unit below it (or `*`, the whole country).
    public var scope: UnitCode
    /// The first day of the period.
    public var from: LocalDate
    /// The last day of the period (included).
    public var to: LocalDate
    /// The moment the facts were known as of, or `nil` for everything recorded.
    public var asOf: Timestamp?
    /// The capture figures for the whole scope.
    public var wanted: WantedFigures
    /// The reoffending figure for the whole scope.
    public var reoffending: ReoffendingFigures
    /// The supervision figures (SPEC §10) for the whole scope; every report of `dragnet metrics` and `/v1/metrics`
    /// has them, `nil` only in a report computed without them (the months of the dashboard's progress chart).
    public var supervision: SupervisionReport?
    /// One row per unit directly below the scope (and the scope itself when it owns cases), by unit code.
    public var units: [UnitFigures]

    /// A report from figures already computed.
    public init(
        scope: UnitCode, from: LocalDate, to: LocalDate, asOf: Timestamp?, wanted: WantedFigures,
        reoffending: ReoffendingFigures, units: [UnitFigures], supervision: SupervisionReport? = nil
    ) {
        self.scope = scope
        self.from = from
        self.to = to
        self.asOf = asOf
        self.wanted = wanted
        self.reoffending = reoffending
        self.supervision = supervision
        self.units = units
    }

    enum CodingKeys: String, CodingKey {
        case scope, from, to
        case asOf = "as_of"
        case wanted, reoffending, supervision, units
    }

    /// Reads the JSON of `jsonData(layout:)` back; `scope` may be the national scope `*`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            scope: try c.decodeScope(forKey: .scope), from: try c.decode(LocalDate.self, forKey: .from),
            to: try c.decode(LocalDate.self, forKey: .to), asOf: try c.decodeIfPresent(Timestamp.self, forKey: .asOf),
            wanted: try c.decode(WantedFigures.self, forKey: .wanted),
            reoffending: try c.decode(ReoffendingFigures.self, forKey: .reoffending),
            units: try c.decode([UnitFigures].self, forKey: .units),
            supervision: try c.decodeIfPresent(SupervisionReport.self, forKey: .supervision))
    }

    /// Writes the members in SPEC order, `as_of` as `null` when absent; `supervision` (after `reoffending`) when the
    /// report has it.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scope, forKey: .scope)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encodeOrNull(asOf, forKey: .asOf)
        try c.encode(wanted, forKey: .wanted)
        try c.encode(reoffending, forKey: .reoffending)
        try c.encodeIfPresent(supervision, forKey: .supervision)
        try c.encode(units, forKey: .units)
    }

    /// The JSON of SPEC §5 with its members in the SPEC's order, the same bytes for the same report every time.
    public func jsonData(layout: OrderedJSONEncoder.Layout = .compact) throws -> Data {
        if layout == .compact, let bytes = compactJSON() { return Data(bytes) }
        return try OrderedJSONEncoder(layout: layout).encode(self)
    }

    /// `jsonData(layout:)` as a string.
    public func jsonString(layout: OrderedJSONEncoder.Layout = .compact) throws -> String {
        String(decoding: try jsonData(layout: layout), as: UTF8.self)
    }
}

extension PlanReport {
    /// The figures of one unit (or the scope itself, when it owns cases directly).
    public struct UnitFigures: Sendable, Codable, Equatable {
        /// The unit directly below the scope, or the scope.
        public var unit: UnitCode
        /// Its capture figures, against its own targets.
        public var wanted: WantedFigures
        /// Its reoffending figure, against its own target.
        public var reoffending: ReoffendingFigures
        /// Its supervision figures, when the report has them.
        public var supervision: SupervisionReport?

        /// A row from figures already computed.
        public init(
            unit: UnitCode, wanted: WantedFigures, reoffending: ReoffendingFigures,
            supervision: SupervisionReport? = nil
        ) {
            self.unit = unit
            self.wanted = wanted
            self.reoffending = reoffending
            self.supervision = supervision
        }
    }

    /// The capture figures of existing and of newly arising wanted persons.
    public struct WantedFigures: Sendable, Codable, Equatable {
        /// Cases opened before the period and still open on its first day.
        public var existing: CaptureFigures
        /// Cases opened during the period.
        public var new: CaptureFigures

        /// The two capture figures.
        public init(existing: CaptureFigures, new: CaptureFigures) {
            self.existing = existing
            self.new = new
        }
    }

    /// One capture figure: how many cases are counted, how they ended within the window, the rate and the target.
    public struct CaptureFigures: Sendable, Codable, Equatable {
        /// The denominator: the cases counted.
        public var count: Int
        /// Arrested plus surrendered: the captures.
        public var captured: Int
        /// Closed as arrested within the window.
        public var arrested: Int
        /// Closed as surrendered within the window.
        public var surrendered: Int
        /// Closed as died within the window: not a capture, still in the denominator.
        public var died: Int
        /// Closed as struck off within the window: not a capture, still in the denominator.
        public var struckOff: Int
        /// Still open at the end of the period's last day.
        public var open: Int
        /// `captured / count`, unrounded; `nil` when `count` is 0.
        public var rate: Double?
        /// The least rate that meets the plan.
        public var target: Double
        /// Whether `rate ≥ target`; `nil` when the rate is.
        public var met: Bool?

        /// The figure from its counts; `count`, `captured`, `rate` and `met` follow from them.
        public init(arrested: Int, surrendered: Int, died: Int, struckOff: Int, open: Int, target: Double) {
            self.arrested = arrested
            self.surrendered = surrendered
            self.died = died
            self.struckOff = struckOff
            self.open = open
            self.captured = arrested + surrendered
            self.count = captured + died + struckOff + open
            self.rate = count == 0 ? nil : Double(captured) / Double(count)
            self.target = target
            self.met = rate.map { $0 >= target }
        }

        enum CodingKeys: String, CodingKey {
            case count, captured, arrested, surrendered, died
            case struckOff = "struck_off"
            case open, rate, target, met
        }

        /// Writes the members in SPEC order, `rate` and `met` as `null` when absent.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(count, forKey: .count)
            try c.encode(captured, forKey: .captured)
            try c.encode(arrested, forKey: .arrested)
            try c.encode(surrendered, forKey: .surrendered)
            try c.encode(died, forKey: .died)
            try c.encode(struckOff, forKey: .struckOff)
            try c.encode(open, forKey: .open)
            try c.encodeOrNull(rate, forKey: .rate)
            try c.encode(target, forKey: .target)
            try c.encodeOrNull(met, forKey: .met)
        }
    }

    /// The reoffending figure: released persons counted, how many reoffended in the period, per release type too.
    public struct ReoffendingFigures: Sendable, Codable, Equatable {
        /// The denominator: release cases counted.
        public var population: Int
        /// Those who reoffended during the period.
        public var reoffended: Int
        /// `reoffended / population`, unrounded; `nil` when `population` is 0.
        public var rate: Double?
        /// The rate the plan wants to stay below.
        public var target: Double
        /// Whether `rate < target`; `nil` when the rate is.
        public var met: Bool?
        /// The same count split by release type (they add up to the totals).
        public var byType: ReoffendingByType

        /// The figure from its per-type counts; the totals, `rate` and `met` follow from them.
        public init(byType: ReoffendingByType, target: Double) {
            self.byType = byType
            self.population =
                byType.amnesty.population + byType.earlyRelease.population
                + byType.sentenceCompleted.population
            self.reoffended =
                byType.amnesty.reoffended + byType.earlyRelease.reoffended
                + byType.sentenceCompleted.reoffended
            self.rate = population == 0 ? nil : Double(reoffended) / Double(population)
            self.target = target
            self.met = rate.map { $0 < target }
        }

        enum CodingKeys: String, CodingKey {
            case population, reoffended, rate, target, met
            case byType = "by_type"
        }

        /// Writes the members in SPEC order, `rate` and `met` as `null` when absent.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(population, forKey: .population)
            try c.encode(reoffended, forKey: .reoffended)
            try c.encodeOrNull(rate, forKey: .rate)
            try c.encode(target, forKey: .target)
            try c.encodeOrNull(met, forKey: .met)
            try c.encode(byType, forKey: .byType)
        }
    }

    /// The reoffending counts of each release type.
    public struct ReoffendingByType: Sendable, Codable, Equatable {
        /// Amnestied persons (*đặc xá*).
        public var amnesty: ReleaseTypeFigures
        /// Conditionally released early (*tha tù trước thời hạn có điều kiện*).
        public var earlyRelease: ReleaseTypeFigures
        /// Released at the end of their sentence (*chấp hành xong án phạt tù*).
        public var sentenceCompleted: ReleaseTypeFigures

        /// The three types' counts.
        public init(
            amnesty: ReleaseTypeFigures, earlyRelease: ReleaseTypeFigures, sentenceCompleted: ReleaseTypeFigures
        ) {
            self.amnesty = amnesty
            self.earlyRelease = earlyRelease
            self.sentenceCompleted = sentenceCompleted
        }

        /// The counts of one release type.
        public subscript(type: ReleaseType) -> ReleaseTypeFigures {
            switch type {
            case .amnesty: amnesty
            case .earlyRelease: earlyRelease
            case .sentenceCompleted: sentenceCompleted
            }
        }

        enum CodingKeys: String, CodingKey {
            case amnesty
            case earlyRelease = "early_release"
            case sentenceCompleted = "sentence_completed"
        }
    }

    /// The reoffending counts of one release type (no target: the plan sets one for all types together).
    public struct ReleaseTypeFigures: Sendable, Codable, Equatable {
        /// Release cases of this type counted.
        public var population: Int
        /// Those who reoffended during the period.
        public var reoffended: Int
        /// `reoffended / population`, unrounded; `nil` when `population` is 0.
        public var rate: Double?

        /// The counts; `rate` follows from them.
        public init(population: Int, reoffended: Int) {
            self.population = population
            self.reoffended = reoffended
            self.rate = population == 0 ? nil : Double(reoffended) / Double(population)
        }

        enum CodingKeys: String, CodingKey {
            case population, reoffended, rate
        }

        /// Writes the members in SPEC order, `rate` as `null` when absent.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(population, forKey: .population)
            try c.encode(reoffended, forKey: .reoffended)
            try c.encodeOrNull(rate, forKey: .rate)
        }
    }
}

extension KeyedEncodingContainer {
    /// Writes `value`, or an explicit `null` when it is `nil` (the synthesized `encodeIfPresent` would leave the key
    /// out, and the figures' JSON always has every key).
    mutating func encodeOrNull<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
