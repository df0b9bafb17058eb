import Foundation
import GRDB

/// A pull page (`SyncWire.PullResponse`) as JSON, its events written straight from the stored columns with the
/// stored payload spliced in, as `OutgoingEvent` does for a push: the same bytes `SyncWire.encoder()` writes for the
/// decoded page (keys sorted, `PulledPageJSONTests`), without decoding or encoding an event. Serving pulls to
/// thousands of stations was mostly Foundation's coders before.
public struct PulledPageJSON: Sendable {
    /// The events' JSON objects, comma-separated (the inside of the `events` array).
    public let events: [UInt8]
    /// How many events `events` holds.
    public let count: Int
    /// The cursor for the next pull.
    public let next: Int64
    /// Whether more events may follow right away.
    public let more: Bool

    /// From rows of `seq` and `EventCoding.columns`.
    init(rows: [Row], next: Int64, more: Bool) throws {
        try self.init(elements: rows.map(Self.element), next: next, more: more)
    }

    /// From the JSON of each event as `element` writes it.
    init(elements: [[UInt8]], next: Int64, more: Bool) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(elements.reduce(elements.count) { $0 + $1.count })
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += element
        }
        self.events = bytes
        self.count = elements.count
        self.next = next
        self.more = more
    }

    /// One event of the page, `{"event":{…},"sequence":N}`, from a row of `seq` and `EventCoding.columns`.
    static func element(_ row: Row) throws -> [UInt8] {
        let idText: String = row[1], recordText: String = row[2]
        guard let id = UUID(text: idText), let recordID = UUID(text: recordText) else {
            throw DragnetError(.failure, "the event log holds an unreadable event \(idText); the database is damaged")
        }
        var w = PayloadJSON.Writer()
        let sequence: Int64 = row[0]
        let author: String = row[8], data: String = row[9], date: String = row[5], kind: String = row[4]
        let recordKind: String = row[3], recordedAt: String = row[6], unit: String = row[7]
        w.bytes.reserveCapacity(data.utf8.count + author.utf8.count + 300)
        let event: [PayloadJSON.Member] = [
            .init("author", .string(author)), .init("data", .raw(data)), .init("effective_date", .string(date)),
            .init("id", .string(id.lowercased)), .init("kind", .string(kind)),
            .init("record_id", .string(recordID.lowercased)),
            .init("record_kind", .string(recordKind)), .init("recorded_at", .string(recordedAt)),
            .init("unit", .string(unit)),
        ]
        w.object([.init("event", .object(event)), .init("sequence", .raw(String(sequence)))])
        return w.bytes
    }

    /// The whole answer, with the log's head and the mark asked for: `{"events":[…],"head":…,"mark":…,"more":…,
    /// "next":…}`, keys sorted, absent values left out, as `SyncWire.encoder()` writes a `PullResponse`.
    public func body(head: SyncWire.LogMark?, mark: SyncWire.LogMark?) -> [UInt8] {
        func markValue(_ mark: SyncWire.LogMark?) -> PayloadJSON.Value? {
            mark.map {
                .object([
                    .init("fingerprint", $0.fingerprint.map { .string($0) }),
                    .init("sequence", .raw(String($0.sequence))),
                ])
            }
        }
        var w = PayloadJSON.Writer()
        w.bytes.reserveCapacity(events.count + 200)
        w.bytes += Array(#"{"events":["#.utf8)
        w.bytes += events
        w.bytes.append(UInt8(ascii: "]"))
        var tail = PayloadJSON.Writer()
        tail.object([
            .init("head", markValue(head)), .init("mark", markValue(mark)), .init("more", .bool(more)),
            .init("next", .raw(String(next))),
        ])
        // `tail` is `{…}`: its members follow the events after a comma.
        w.bytes.append(UInt8(ascii: ","))
        w.bytes += tail.bytes.dropFirst()
        return w.bytes
    }
}
