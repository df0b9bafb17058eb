import Foundation

/// Writes an event payload as compact JSON with sorted keys — the same document `JSONEncoder` with `.sortedKeys`
/// makes from `EventPayload`'s `Codable` conformance, several times faster, because import writes hundreds of
/// thousands of them. `EventCodingTests` checks that every kind decodes back to the same payload.
enum PayloadJSON {
    static func encode(_ payload: EventPayload) -> String {
        var w = Writer()
        switch payload {
        case .personRegistered(let d), .personAmended(let d):
            w.object([
                Member("aliases", .strings(d.aliases)),
                Member("birth_date", d.birthDate.map { .string($0.description) }),
                Member("full_name", .string(d.fullName)),
                Member("national_id", d.nationalID.map { .string($0.rawValue) }),
                Member("sex", d.sex.map { .string($0.rawValue) }),
            ])
        case .wantedOpened(let o):
            w.object([
                Member("abroad", .bool(o.abroad)), Member("case_ref", .string(o.caseRef)),
                Member("danger", .string(o.danger.rawValue)),
                Member("decision", .decision(o.decision)), Member("owner_unit", .string(o.ownerUnit.rawValue)),
                Member("person_id", .string(o.personID.lowercased)),
                Member("release_case", o.releaseCase.map { .string($0.lowercased) }),
            ])
        case .decisionAdded(let d):
            w.decision(d)
        case .decisionWithdrawn(let number, let reason):
            w.object([Member("number", .string(number)), Member("reason", .string(reason))])
        case .wantedAmended(let danger, let abroad):
            w.object([Member("abroad", .bool(abroad)), Member("danger", .string(danger.rawValue))])
        case .wantedClosed(let kind, let unit):
            w.object([Member("acting_unit", .string(unit.rawValue)), Member("kind", .string(kind.rawValue))])
        case .releaseRegistered(let r):
            w.object([
                Member("case_ref", .string(r.caseRef)), Member("facility", .string(r.facility)),
                Member("offense", .string(r.offense)),
                Member("person_id", .string(r.personID.lowercased)),
                Member("probation_until", r.probationUntil.map { .string($0.description) }),
                Member("release_type", .string(r.releaseType.rawValue)), Member("unit", .string(r.unit.rawValue)),
            ])
        case .transferred(let unit):
            w.object([Member("to_unit", .string(unit.rawValue))])
        case .releaseEnded(let kind, let offense, let reference):
            w.object([
                Member("kind", .string(kind.rawValue)), Member("offense", offense.map { .string($0) }),
                Member("reference", reference.map { .string($0) }),
            ])
        case .reportedIn, .located:
            w.object([])
        case .officerAssigned(let officer):
            w.object([Member("officer", .string(officer))])
        case .contact(let kind, let note):
            w.object([Member("kind", .string(kind.rawValue)), Member("note", note.map { .string($0) })])
        case .whereaboutsUnknown(let note):
            w.object([Member("note", note.map { .string($0) })])
        case .retracted(let id, let reason):
            w.object([Member("event_id", .string(id.lowercased)), Member("reason", .string(reason))])
        }
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// A JSON array of strings, as `JSONEncoder` writes `[String]`.
    static func strings(_ texts: [String]) -> String {
        if texts.isEmpty { return "[]" }
        var w = Writer()
        w.array(texts)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    /// A member of an object: its key and value (nil: left out). A structure, not a tuple: an array of tuples is
    /// destroyed through the runtime's generic tuple functions, which cost an import 0.5 % of its instructions.
    struct Member {
        var key: String
        var value: Value?
        init(_ key: String, _ value: Value?) {
            self.key = key
            self.value = value
        }
    }

    indirect enum Value {
        case string(String)
        case strings([String])
        case bool(Bool)
        case decision(Decision)
        /// JSON text written as it is (a stored payload, a number).
        case raw(String)
        /// An object of these members, written as `Writer.object` writes them.
        case object([Member])
        /// An array of such objects.
        case objects([[Member]])
    }

    struct Writer {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(256) }

        /// An object of `members` in the order given (already sorted by key); nil values are left out.
        mutating func object(_ members: [Member]) {
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for member in members {
                guard let value = member.value else { continue }
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                string(member.key)
                bytes.append(UInt8(ascii: ":"))
                switch value {
                case .string(let text): string(text)
                case .bool(let flag): bytes += Array((flag ? "true" : "false").utf8)
                case .decision(let d): decision(d)
                case .strings(let texts): array(texts)
                case .raw(let text): bytes.append(contentsOf: text.utf8)
                case .object(let nested): object(nested)
                case .objects(let list):
                    bytes.append(UInt8(ascii: "["))
                    for (index, nested) in list.enumerated() {
                        if index > 0 { bytes.append(UInt8(ascii: ",")) }
                        object(nested)
                    }
                    bytes.append(UInt8(ascii: "]"))
                }
            }
            bytes.append(UInt8(ascii: "}"))
        }

        mutating func array(_ texts: [String]) {
            bytes.append(UInt8(ascii: "["))
            for (i, text) in texts.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                string(text)
            }
            bytes.append(UInt8(ascii: "]"))
        }

        mutating func decision(_ d: Decision) {
            object([
                Member("issued_by", .string(d.issuedBy)), Member("number", .string(d.number)),
                Member("offense", .string(d.offense)),
            ])
        }

        /// A JSON string: quotes, backslashes and control characters escaped; everything else as UTF-8.
        mutating func string(_ text: String) {
            bytes.append(UInt8(ascii: "\""))
            // Most texts need no escape: their bytes go in at once.
            var plain = text
            let copied = plain.withUTF8 { utf8 -> Bool in
                for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    return false
                }
                bytes.append(contentsOf: utf8)
                return true
            }
            if copied {
                bytes.append(UInt8(ascii: "\""))
                return
            }
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                default: bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }
}
