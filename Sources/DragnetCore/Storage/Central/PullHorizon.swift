/// What a station of a unit is not sent of other units' wanted cases (SPEC §7), kept by the central server per unit
/// (`pull_horizon`, set at the unit's first pull: `CentralState.pullHorizon`).
public struct PullHorizon: Sendable, Equatable {
    /// The head of the log at the unit's first pull: cases closed at or before it are not sent (0: the station
    /// pulled before this rule, and is sent every closing).
    public var sequence: Int64
    /// Whether cases that reached the central already closed (their first event and closing stored in one write)
    /// are not sent either: for a unit whose horizon a new station's first pull set (`first=1`), until a station of
    /// the unit reads the log from its start again having pulled before (it may hold such a case open from another
    /// log: its closing must reach it).
    public var arrivals: Bool

    public init(sequence: Int64, arrivals: Bool) {
        self.sequence = sequence
        self.arrivals = arrivals
    }

    /// Whether a closing stored at `closing` keeps its case from the station (the case closed when the station
    /// could first have pulled it): stored at or before the horizon, or in the write that brought the case
    /// (`arrivedClosed`) when `arrivals`.
    func withholds(closing: Int64, arrivedClosed: Bool) -> Bool {
        closing <= sequence || (arrivedClosed && arrivals)
    }

    /// Whether a closing stored at `closing` may have kept its case from a station of the unit at some time: as
    /// `withholds`, whatever `arrivals` is now (a station of the unit may have pulled past the case while it was on).
    /// The retraction of such a closing brings the case whole (`CentralState.backfill`); a repeat is harmless.
    func mayHaveWithheld(closing: Int64, arrivedClosed: Bool) -> Bool {
        closing <= sequence || arrivedClosed
    }
}
