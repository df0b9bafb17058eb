/// The order of a sync as a value: push every unacknowledged event batch by batch, then pull page by page until the
/// server says there is no more. The driver (`Synchronizer`) does the I/O and feeds the answers back.
public struct SyncMachine: Sendable, Equatable {
    /// What to do next.
    public enum Step: Sendable, Equatable {
        /// Push the outbox events recorded after this local sequence number.
        case push(after: Int64)
        /// Pull the events after this server cursor.
        case pull(after: Int64)
        /// The sync is complete.
        case done
    }

    public private(set) var step: Step
    private let pushOnly: Bool

    /// A sync starting from the beginning of the outbox and from the stored pull cursor.
    public init(cursor: Int64, pullOnly: Bool = false, pushOnly: Bool = false) {
        self.step = pullOnly ? .pull(after: cursor) : .push(after: 0)
        self.pushOnly = pushOnly
        self.cursor = cursor
    }

    private var cursor: Int64

    /// A push batch was answered; `lastSequence` is the local sequence of its last event, nil when the outbox had
    /// nothing after the position asked for.
    public mutating func pushed(lastSequence: Int64?) -> Step {
        guard case .push = step else { return step }
        if let lastSequence {
            step = .push(after: lastSequence)
        } else {
            step = pushOnly ? .done : .pull(after: cursor)
        }
        return step
    }

    /// A pull page was stored with its new cursor.
    public mutating func pulled(next: Int64, more: Bool) -> Step {
        guard case .pull = step else { return step }
        cursor = next
        step = more ? .pull(after: next) : .done
        return step
    }
}
