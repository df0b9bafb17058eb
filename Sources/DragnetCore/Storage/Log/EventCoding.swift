import Foundation
import GRDB

/// Turns events into rows of the `event` table and back. The payload is stored as JSON in `data`.
enum EventCoding {
    private static let kindKey = CodingUserInfoKey(rawValue: "dragnet.kind")!

    private struct EncodingBox: Encodable {
        let payload: EventPayload
        func encode(to encoder: any Encoder) throws { try payload.encode(to: encoder) }
    }

    private struct DecodingBox: Decodable {
        let payload: EventPayload
        init(from decoder: any Decoder) throws {
            guard let kind = decoder.userInfo[EventCoding.kindKey] as? EventKind else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "event kind missing"))
            }
            payload = try EventPayload(kind: kind, container: decoder)
        }
    }

    /// The payload as compact JSON with sorted keys (written by hand, for speed: see `PayloadJSON`).
    static func encode(_ payload: EventPayload) throws -> String {
        PayloadJSON.encode(payload)
    }

    /// The payload as `JSONEncoder` writes it, which `PayloadJSON` must match (checked by the tests).
    static func encodeWithFoundation(_ payload: EventPayload) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(EncodingBox(payload: payload)), as: UTF8.self)
    }

    /// The payload of an event of `kind` from its stored JSON.
    static func decode(kind: EventKind, data: String) throws -> EventPayload {
        // What Dragnet wrote reads fast; anything else goes to `JSONDecoder` (see `EventJSON`).
        if let payload = EventJSON.payload(kind: kind, data: data) { return payload }
        let decoder = JSONDecoder()
        decoder.userInfo[kindKey] = kind
        return try decoder.decode(DecodingBox.self, from: Data(data.utf8)).payload
    }

    /// The columns every query of whole events selects, in the order `event(from:)` reads them.
    static let columns = "id, record_id, record_kind, kind, effective_date, recorded_at, unit, author, data"

    /// `columns`, each qualified by a table alias (`e.id, e.record_id, …`) for queries that join.
    static func columns(of alias: String) -> String {
        columns.split(separator: ",").map { alias + "." + $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: ", ")
    }

    /// An event from a row selected with `columns`, starting at column `offset`.
    static func event(from row: Row, offset o: Int = 0) throws -> Event {
        let idText: String = row[o], recordText: String = row[o + 1], recordKindText: String = row[o + 2]
        let kindText: String = row[o + 3], dateText: String = row[o + 4], recordedText: String = row[o + 5]
        let unitText: String = row[o + 6], author: String = row[o + 7], data: String = row[o + 8]
        guard let id = UUID(text: idText), let recordID = UUID(text: recordText),
            let recordKind = RecordKind(rawValue: recordKindText), let kind = EventKind(rawValue: kindText),
            let date = LocalDate(dateText), let recordedAt = Timestamp(recordedText), let unit = UnitCode(unitText)
        else {
            throw DragnetError(.failure, "the event log holds an unreadable event \(idText); the database is damaged")
        }
        let payload = try decode(kind: kind, data: data)
        return Event(
            id: id, recordID: recordID, recordKind: recordKind, effectiveDate: date, recordedAt: recordedAt,
            unit: unit, author: author, payload: payload)
    }
}

extension UUID {
    /// The lower-case form written everywhere: the database, JSON and the command line.
    var lowercased: String { text(digits: "0123456789abcdef") }

    /// The 36-character form with these hex digits (Foundation's `uuidString` goes through `snprintf`; the import
    /// makes millions of them).
    private func text(digits: StaticString) -> String {
        withUnsafeBytes(of: uuid) { raw in
            String(unsafeUninitializedCapacity: 36) { out in
                var at = 0
                for (index, byte) in raw.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        out[at] = UInt8(ascii: "-")
                        at += 1
                    }
                    out[at] = digits.utf8Start[Int(byte >> 4)]
                    out[at + 1] = digits.utf8Start[Int(byte & 0x0F)]
                    at += 2
                }
                return at
            }
        }
    }

    /// Whether `self` sorts before `other` as text (`uuidString` order), compared byte by byte.
    func sortsBefore(_ other: UUID) -> Bool {
        withUnsafeBytes(of: uuid) { a in
            withUnsafeBytes(of: other.uuid) { b in
                for i in 0..<16 where a[i] != b[i] { return a[i] < b[i] }
                return false
            }
        }
    }
}
