extension SyncWire {
    /// How much one push (`POST /v1/events`) may carry. The server announces its limits in `GET /v1/health`
    /// (`push`) and refuses a larger push with 413; a station sends batches within both its own limits and the
    /// server's, and within `unannounced` to a server that says nothing (docs/protocol.md, "Push").
    public struct PushLimits: Codable, Sendable, Equatable {
        /// The most events in one push.
        public var maxEvents: Int
        /// The largest body as sent over the wire (gzip'd or not), in bytes.
        public var maxSentBytes: Int
        /// The largest body once gzip is undone (the JSON itself), in bytes.
        public var maxInflatedBytes: Int
        /// How many pushes of one sync may be in flight at once, judged in the order the station numbers them
        /// (`POST /v1/events?sync=ID&order=N`, docs/protocol.md "Two pushes in flight"); 1 for a server that does not
        /// announce it (one push at a time, unnumbered).
        public var maxInFlight: Int

        public init(maxEvents: Int, maxSentBytes: Int, maxInflatedBytes: Int, maxInFlight: Int = 1) {
            self.maxEvents = maxEvents
            self.maxSentBytes = maxSentBytes
            self.maxInflatedBytes = maxInflatedBytes
            self.maxInFlight = maxInFlight
        }

        /// The names of the limits in the health answer's `push` object.
        public enum CodingKeys: String, CodingKey, Sendable {
            case maxEvents = "max_events", maxSentBytes = "max_sent_bytes", maxInflatedBytes = "max_inflated_bytes"
            case maxInFlight = "max_in_flight"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            maxEvents = try container.decode(Int.self, forKey: .maxEvents)
            maxSentBytes = try container.decode(Int.self, forKey: .maxSentBytes)
            maxInflatedBytes = try container.decode(Int.self, forKey: .maxInflatedBytes)
            // Absent from the answers of servers before it: one push at a time.
            maxInFlight = try container.decodeIfPresent(Int.self, forKey: .maxInFlight) ?? 1
        }

        /// What a server takes when its health answer announces nothing: the fixed limits of Dragnet 0.1.0 servers,
        /// which refuse more than 500 events with 413.
        public static let unannounced = PushLimits(
            maxEvents: 500, maxSentBytes: 8 * 1024 * 1024, maxInflatedBytes: 16 * 1024 * 1024)

        /// What this version's server takes unless configured otherwise (`dragnet serve --max-push-events`), and the
        /// most its station sends in one push. A push of 5,000 events of the bench's data is about 2 MB of JSON,
        /// 0.3 MB gzip'd: well within the byte limits, which stay those of `unannounced`.
        /// Two pushes in flight: the server reads and checks the next body while it stores the last.
        public static let standard = PushLimits(
            maxEvents: 5_000, maxSentBytes: unannounced.maxSentBytes, maxInflatedBytes: unannounced.maxInflatedBytes,
            maxInFlight: 2)

        /// The most events a server may be configured to take in one push. The server learns which of a push's ids
        /// its log lacks with one `IN (…)` query of them (`StoredRecords`), and SQLite allows 32,766 values in a
        /// statement.
        public static let eventsCeiling = 20_000

        /// Each limit the smaller of `self`'s and `other`'s: what a station may send to a server.
        public func narrowed(to other: PushLimits) -> PushLimits {
            PushLimits(
                maxEvents: min(maxEvents, other.maxEvents), maxSentBytes: min(maxSentBytes, other.maxSentBytes),
                maxInflatedBytes: min(maxInflatedBytes, other.maxInflatedBytes),
                maxInFlight: min(maxInFlight, other.maxInFlight))
        }

        /// The first of these limits that is not a positive number, as `field value` (e.g. `max_events 0`), or nil.
        public var nonPositive: String? {
            [
                (CodingKeys.maxEvents, maxEvents), (.maxSentBytes, maxSentBytes), (.maxInflatedBytes, maxInflatedBytes),
                (.maxInFlight, maxInFlight),
            ]
            .first { $0.1 < 1 }.map { "\($0.0.rawValue) \($0.1)" }
        }
    }
}
