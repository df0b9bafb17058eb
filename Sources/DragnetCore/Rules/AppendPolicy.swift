/// How strictly the checker judges events, by where they come from.
public enum AppendPolicy: Sendable {
    /// Recorded here by an officer or an import: every anomaly refuses the event.
    case strict
    /// Pushed to the central server by a station, received at `now` by the server's clock: an event is refused
    /// when it breaks a rule by itself, or breaks one on what its own unit recorded on the record (`Checker.ownView`)
    /// while the whole record shows a problem with it too, or claims to have been recorded after `now` (+ 1 day of
    /// clock skew). Anything that is wrong only in combination with another unit's events — two different closings, a
    /// decision dated after a closing the other station had not seen — is kept and listed as an anomaly: neither
    /// station could have known, and refusing one of them would make the central figures depend on who synced
    /// first. What is right only together with another unit's events (retracting their closing, withdrawing their
    /// decision) is right.
    case central(now: Timestamp)
    /// Pulled from the central server, which has already judged them: stored as they are, anomalies listed.
    case merge

    /// Whether events are judged at all (a pull stores what the server already judged).
    var judges: Bool {
        if case .merge = self { return false }
        return true
    }
}
