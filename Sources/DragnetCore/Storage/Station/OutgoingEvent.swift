import Foundation
import GRDB

/// An event of the outbox as it goes on the wire: the JSON object of `Event`'s `Codable` form, written straight from
/// the stored columns with the stored payload (`data`, the same JSON `PayloadJSON` wrote) spliced in as it is. A
/// push neither decodes nor encodes again what it sends: at a million rows, Foundation's coders were most of a
/// station's time in a push. `OutgoingEventTests` holds the bytes to `JSONDecoder` giving back the stored event.
public struct OutgoingEvent: Sendable {
    public var sequence: Int64
    public var id: UUID
    /// The event's JSON object, UTF-8.
    public var json: [UInt8]
    /// Whether the server refused it before (it is offered again): its answer now can change what else waits.
    public var wasRejected: Bool
    /// Whether it is a retraction: a rejection of the event it retracts settles it (it is then not sent).
    public var isRetraction: Bool

    /// The event, decoded from `json` (for a rejection's report: rare).
    public func event() throws -> Event {
        try JSONDecoder().decode(Event.self, from: Data(json))
    }

    /// From a row of `seq`, `EventCoding.columns` and whether it has a (rejected) receipt.
    static func from(_ row: Row) throws -> OutgoingEvent {
        let idText: String = row[1], recordText: String = row[2]
        guard let id = UUID(text: idText), let recordID = UUID(text: recordText) else {
            throw DragnetError(.failure, "the event log holds an unreadable event \(idText); the database is damaged")
        }
        var w = PayloadJSON.Writer()
        w.object([
            .init("id", .string(id.lowercased)), .init("record_id", .string(recordID.lowercased)),
            .init("record_kind", .string(row[3])), .init("kind", .string(row[4])),
            .init("effective_date", .string(row[5])),
            .init("recorded_at", .string(row[6])), .init("unit", .string(row[7])), .init("author", .string(row[8])),
            .init("data", .raw(row[9])),
        ])
        let kind: String = row[4]
        return OutgoingEvent(
            sequence: row[0], id: id, json: w.bytes, wasRejected: row[10],
            isRetraction: kind == EventKind.retracted.rawValue)
    }
}

extension SyncWire {
    /// The body of `POST /v1/events` for `events`: `{"events":[…]}`, as `PushRequest` encodes.
    public static func pushBody(_ events: [OutgoingEvent]) -> [UInt8] {
        var body = Array(#"{"events":["#.utf8)
        body.reserveCapacity(events.reduce(pushBodyOverhead) { $0 + $1.json.count + 1 })
        for (index, event) in events.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: event.json)
        }
        body.append(contentsOf: "]}".utf8)
        return body
    }

    /// The bytes of `pushBody` besides its events' JSON and the commas between them.
    static let pushBodyOverhead = #"{"events":[]}"#.utf8.count
}

extension SyncWire.PushLimits {
    /// How many of `events`, from the first, one push within these limits carries: at most `maxEvents`, in a body
    /// (`SyncWire.pushBody`) of at most `maxInflatedBytes`, and of at most `maxSentBytes` less a thousandth and 64
    /// bytes, so that it fits as sent even if gzip could not shrink it (zlib's bound on what it adds is 0.03 % and
    /// a few bytes). At least one, when there is one: an event too large for any push is sent alone, for the server
    /// to refuse with a message, rather than never.
    public func fitting(_ events: [OutgoingEvent]) -> Int {
        let budget = min(maxInflatedBytes, maxSentBytes - maxSentBytes / 1000 - 64)
        var size = SyncWire.pushBodyOverhead
        var count = 0
        for event in events.prefix(maxEvents) {
            size += event.json.count + (count > 0 ? 1 : 0)
            guard size <= budget || count == 0 else { break }
            count += 1
        }
        return count
    }
}
