import Foundation

/// The bodies of the sync protocol (docs/protocol.md). They live in Core because both the server and the sync
/// client speak them, and neither imports the other.
public enum SyncWire {
    /// The most events one pull page carries. (What one push may carry is `PushLimits`.)
    public static let maxPullPage = 500

    /// `POST /v1/events`.
    public struct PushRequest: Codable, Sendable, Equatable {
        public var events: [Event]
        public init(events: [Event]) { self.events = events }
    }

    /// What the server did with one pushed event.
    public struct PushResult: Codable, Sendable, Equatable {
        /// `created`, `duplicate` or `rejected`.
        public enum Status: String, Codable, Sendable {
            case created, duplicate, rejected
        }

        public var id: UUID
        public var status: Status
        /// Why the event was rejected.
        public var reason: String?
        /// For `created`: the server sequence number the event was stored at. The station keeps it with the receipt
        /// and names the runs it holds when it pulls (`held`), so that its own events are not sent back (absent from
        /// an older server: they are).
        public var sequence: Int64?

        public init(id: UUID, status: Status, reason: String? = nil, sequence: Int64? = nil) {
            self.id = id
            self.status = status
            self.reason = reason
            self.sequence = sequence
        }

        enum CodingKeys: String, CodingKey {
            case id, status, reason, sequence
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(lowercased: id, forKey: .id)
            try c.encode(status, forKey: .status)
            try c.encodeIfPresent(reason, forKey: .reason)
            try c.encodeIfPresent(sequence, forKey: .sequence)
        }
    }

    /// The answer to a push: one result per event, in the order sent, and the server's log head once they are
    /// stored.
    public struct PushResponse: Codable, Sendable, Equatable {
        public var results: [PushResult]
        /// The newest event of the server's log after this push (absent while the log is empty).
        public var head: LogMark?
        /// When the push named a sequence number (`?mark=N`): the mark at it now, checked by the station against the
        /// one it kept before it trusts these results.
        public var mark: LogMark?
        public init(results: [PushResult], head: LogMark? = nil, mark: LogMark? = nil) {
            self.results = results
            self.head = head
            self.mark = mark
        }
    }

    /// A position in the central server's log that a station can ask about again later: a sequence number and a
    /// fingerprint of the event stored at it (a hash of the sequence number and the event's id, so that it names no
    /// event a station may not see). The log is append-only, so the same sequence number always has the same
    /// fingerprint, unless the server's database was replaced by an older copy (a restored backup) or by another
    /// server's. `GET /v1/log/mark?sequence=N` answers the fingerprint of the event at `N` now; `fingerprint` is
    /// absent there when the log has no event at `N`.
    public struct LogMark: Codable, Sendable, Equatable {
        public var sequence: Int64
        public var fingerprint: String?
        public init(sequence: Int64, fingerprint: String?) {
            self.sequence = sequence
            self.fingerprint = fingerprint
        }
    }

    /// One event of a pull page with its server sequence number.
    public struct PulledEvent: Codable, Sendable, Equatable {
        public var sequence: Int64
        public var event: Event
        public init(sequence: Int64, event: Event) {
            self.sequence = sequence
            self.event = event
        }
    }

    /// `GET /v1/events?after=CURSOR`: events after the cursor that the token may see, in sequence order (with, before
    /// an event that makes an older record visible, that record's earlier events), and the cursor to ask from next.
    public struct PullResponse: Codable, Sendable, Equatable {
        public var events: [PulledEvent]
        /// The cursor for the next pull: the last sequence number the server looked at.
        public var next: Int64
        /// Whether more events may follow right away.
        public var more: Bool
        /// The newest event of the server's log when the page was read (absent while the log is empty).
        public var head: LogMark?
        /// When the pull named a sequence number (`&mark=N`): the mark at it now (see `PushResponse.mark`).
        public var mark: LogMark?
        public init(events: [PulledEvent], next: Int64, more: Bool, head: LogMark? = nil, mark: LogMark? = nil) {
            self.events = events
            self.next = next
            self.more = more
            self.head = head
            self.mark = mark
        }
    }

    /// Every error answer: a stable code and a sentence for a person.
    public struct ErrorBody: Codable, Sendable, Equatable {
        public var error: String
        public var message: String
        public init(error: String, message: String) {
            self.error = error
            self.message = message
        }
    }

    /// `GET /v1/health`.
    public struct Health: Codable, Sendable, Equatable {
        public var status: String
        public var version: String
        public var unit: String
        public var events: Int64
        /// What one push may carry (absent from servers before this field: they take `PushLimits.unannounced`).
        public var push: PushLimits?
        public init(status: String, version: String, unit: String, events: Int64, push: PushLimits? = nil) {
            self.status = status
            self.version = version
            self.unit = unit
            self.events = events
            self.push = push
        }
    }

    /// The JSON encoder the protocol uses (compact, sorted keys, stable for tests).
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
