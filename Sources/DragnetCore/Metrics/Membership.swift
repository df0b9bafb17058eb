/// Who is counted in which figure (SPEC §5): the one place that says, for one case and one period, which list it is
/// on and how it stands. The figures (`PlanMetrics`, `ProgressMetrics`) and the lists behind them (`CaseLists`) all
/// ask here, so that a list always holds exactly the cases its number counts.
public enum WantedList: String, Sendable, CaseIterable, Codable {
    /// Opened before the period's first day and not closed before it.
    case existing
    /// Opened within the period.
    case new
}

/// How a counted wanted case stands at the end of the period's last day.
public enum WantedOutcome: String, Sendable, CaseIterable, Codable {
    case arrested, surrendered, died
    case struckOff = "struck_off"
    /// Not closed by the end of the period's last day.
    case open

    /// Arrested or surrendered: a capture.
    public var isCapture: Bool { self == .arrested || self == .surrendered }
}

extension WantedFacts {
    /// The list this case is on for `[from, to]`, or nil when it is on neither.
    @inlinable
    public func list(from: LocalDate, to: LocalDate) -> WantedList? {
        if openedOn < from {
            if let closing, closing.date < from { return nil }
            return .existing
        }
        return openedOn <= to ? .new : nil
    }

    /// How the case stands at the end of `to`: its closing if that is on or before `to`, else open.
    /// (For a case on either list, a closing on or before `to` is also on or after `from` or the opening.)
    @inlinable
    public func outcome(to: LocalDate) -> WantedOutcome {
        guard let closing, closing.date <= to else { return .open }
        switch closing.kind {
        case .arrested: return .arrested
        case .surrendered: return .surrendered
        case .died: return .died
        case .struckOff: return .struckOff
        }
    }
}

extension ReleaseFacts {
    /// Whether the case is in the reoffending population of `[from, to]`: released on or before `to`, not ended
    /// before `from`. (Its unit is the one responsible on `to`: `responsibleUnit(on:)`.)
    @inlinable
    public func isFollowed(from: LocalDate, to: LocalDate) -> Bool {
        guard releasedOn <= to else { return false }
        if let ending, ending.date < from { return false }
        return true
    }

    /// Whether a followed case counts as reoffended in a period ending on `to`: ended `reoffended` on or before it.
    @inlinable
    public func reoffended(by to: LocalDate) -> Bool {
        guard let ending else { return false }
        return ending.kind == .reoffended && ending.date <= to
    }
}
