/// What the checker decided about one event.
enum Verdict: Equatable {
    /// The event passes; the checker holds it until it is written.
    case accepted
    /// The same event (same id, same content) is already stored or accepted; nothing to do.
    case duplicate
    /// The event breaks this rule; nothing of it is kept.
    case rejected(Anomaly)
}

/// What became of one event offered to the registry.
public enum AppendOutcome: Sendable, Equatable {
    /// Stored, with its place in the log.
    case created(sequence: Int64)
    /// The same event (same id, same content) was already stored; nothing changed.
    case duplicate
    /// Refused, for this reason; nothing changed.
    case rejected(String)
}
