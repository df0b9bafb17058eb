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
        func member(_ key: String, _ text: String) {
            w.string(key)
            w.bytes.append(UInt8(ascii: ":"))
            w.string(text)
            w.bytes.append(UInt8(ascii: ","))
        }
        w.bytes.append(UInt8(ascii: "{"))
        member("id", id.lowercased)
        member("record_id", recordID.lowercased)
        member("record_kind", row[3])
        member("kind", row[4])
        member("effective_date", row[5])
        member("recorded_at", row[6])
        member("unit", row[7])
        member("author", row[8])
        w.string("data")
        w.bytes.append(UInt8(ascii: ":"))
        let data: String = row[9]
        w.bytes.append(contentsOf: data.utf8)
        w.bytes.append(UInt8(ascii: "}"))
        return OutgoingEvent(sequence: row[0], id: id, json: w.bytes, wasRejected: row[10])
    }
}

extension SyncWire {
    /// The body of `POST /v1/events` for `events`: `{"events":[…]}`, as `PushRequest` encodes.
    public static func pushBody(_ events: [OutgoingEvent]) -> [UInt8] {
        var body = Array(#"{"events":["#.utf8)
        body.reserveCapacity(events.reduce(16) { $0 + $1.json.count + 1 })
        for (index, event) in events.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: event.json)
        }
        body.append(contentsOf: "]}".utf8)
        return body
    }
}
