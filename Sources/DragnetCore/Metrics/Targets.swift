/// The three targets the crime-prevention plan sets, as fractions: a capture rate meets its target when it is at
/// least the target, the reoffending rate when it is below it.
public struct Targets: Sendable, Codable, Hashable, CustomStringConvertible {
    /// The least share of existing wanted persons to capture (arrested or surrendered).
    public let existingCapture: Double
    /// The least share of newly arising wanted persons to capture.
    public let newCapture: Double
    /// The share of released persons who reoffend that must not be reached.
    public let reoffending: Double

    /// The 2020 plan's targets: existing capture ≥ 0.30, new capture ≥ 0.50, reoffending < 0.15.
    public static let plan = Targets(uncheckedExisting: 0.30, new: 0.50, reoffending: 0.15)

    /// Targets; each must be a fraction from 0 to 1 (0.3 for 30 %), else a `DragnetError` (usage) naming it.
    public init(existingCapture: Double = 0.30, newCapture: Double = 0.50, reoffending: Double = 0.15) throws {
        try Targets.check(existingCapture, "existing_capture")
        try Targets.check(newCapture, "new_capture")
        try Targets.check(reoffending, "reoffending")
        self.init(uncheckedExisting: existingCapture, new: newCapture, reoffending: reoffending)
    }

    private init(uncheckedExisting existing: Double, new: Double, reoffending: Double) {
        self.existingCapture = existing
        self.newCapture = new
        self.reoffending = reoffending
    }

    private static func check(_ value: Double, _ name: String) throws {
        guard value.isFinite, value >= 0, value <= 1 else {
            throw DragnetError(
                .usage, "target \(name) \(value) is not a fraction from 0 to 1: write 0.3 for 30 %")
        }
    }

    enum CodingKeys: String, CodingKey {
        case existingCapture = "existing_capture"
        case newCapture = "new_capture"
        case reoffending
    }

    /// Reads the three fractions and checks them as `init(existingCapture:newCapture:reoffending:)` does.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                existingCapture: try c.decode(Double.self, forKey: .existingCapture),
                newCapture: try c.decode(Double.self, forKey: .newCapture),
                reoffending: try c.decode(Double.self, forKey: .reoffending))
        } catch let error as DragnetError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    /// `existing ≥ 30.0 %, new ≥ 50.0 %, reoffending < 15.0 %`.
    public var description: String {
        "existing ≥ \(Percent.text(existingCapture)), new ≥ \(Percent.text(newCapture)), "
            + "reoffending < \(Percent.text(reoffending))"
    }
}

/// Settings made per scope, where a unit takes the setting of the most specific scope that covers it (the unit
/// itself first, the national scope `*` last): the plan's targets (`TargetBook`) and the contact intervals
/// (`IntervalBook`) are set this way.
public struct ScopedSettings<Value: Sendable & Hashable>: Sendable, Hashable {
    /// The values set per scope.
    public private(set) var byScope: [UnitCode: Value]

    public init(byScope: [UnitCode: Value] = [:]) { self.byScope = byScope }

    /// Sets `value` for `scope` and every unit below it that no more specific scope overrides.
    public mutating func set(_ value: Value, for scope: UnitCode) { byScope[scope] = value }

    /// Removes the value set for `scope`, so that it falls back on the scope above it.
    public mutating func remove(for scope: UnitCode) { byScope[scope] = nil }

    /// The value of the most specific scope covering `unit`, nil when none does.
    public func value(for unit: UnitCode) -> Value? {
        var best: (depth: Int, value: Value)?
        for (scope, value) in byScope where scope.covers(unit) {
            if scope.depth > (best?.depth ?? -1) { best = (scope.depth, value) }
        }
        return best?.value
    }
}

/// The targets in force for each scope: a unit is held to the targets of the most specific scope that covers it
/// (the national scope `*` being the least specific), else to the plan's default.
public struct TargetBook: Sendable, Hashable {
    /// The targets for units no scope in the book covers.
    public var planDefault: Targets
    private var settings: ScopedSettings<Targets>

    /// The targets set per scope.
    public var byScope: [UnitCode: Targets] { settings.byScope }

    /// A book with `planDefault` (the plan's targets unless given) and targets set for some scopes.
    public init(planDefault: Targets = .plan, byScope: [UnitCode: Targets] = [:]) {
        self.planDefault = planDefault
        self.settings = ScopedSettings(byScope: byScope)
    }

    /// Sets the targets for `scope` and every unit below it that no more specific scope overrides.
    public mutating func set(_ targets: Targets, for scope: UnitCode) { settings.set(targets, for: scope) }

    /// Removes the targets set for `scope`, so that it falls back on the scope above it or the default.
    public mutating func remove(for scope: UnitCode) { settings.remove(for: scope) }

    /// The targets for `unit`: those of the most specific scope covering it (the unit itself first), else the default.
    public func targets(for unit: UnitCode) -> Targets { settings.value(for: unit) ?? planDefault }
}
