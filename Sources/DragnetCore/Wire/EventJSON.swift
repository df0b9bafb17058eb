import Foundation

/// Reads the JSON of events as `Event`'s and `EventPayload`'s `Decodable` conformances do, without Foundation's
/// `JSONDecoder`, whose generic containers were a fifth of the central server's time in a push and most of the time to
/// read a record's events back from the log. It accepts what those conformances accept (members in any order,
/// unknown members skipped, whitespace, every escape); on anything else — a value of the wrong type, a bad date, a
/// member given twice, text that is not UTF-8 — it gives up (nil), and the caller decodes with `JSONDecoder`, so that
/// what people read of a bad event is always what `JSONDecoder` says. `EventJSONTests` holds the two readers to the
/// same events.
public enum EventJSON {
    /// The events of a push body (`{"events":[…]}`).
    public static func pushRequest(_ bytes: [UInt8]) -> [Event]? {
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(bytes: buffer)
            guard case .object(let body)? = cursor.document(), case .array(let items)? = body.value("events") else {
                return nil
            }
            var events: [Event] = []
            events.reserveCapacity(items.count)
            for item in items {
                guard let event = event(item) else { return nil }
                events.append(event)
            }
            return events
        }
    }

    /// The payload of an event of `kind` from its stored JSON (`EventCoding`).
    static func payload(kind: EventKind, data: String) -> EventPayload? {
        var data = data
        return data.withUTF8 { buffer in
            var cursor = JSONCursor(bytes: buffer)
            return cursor.document().flatMap { payload(kind: kind, $0) }
        }
    }

    static func event(_ value: JSONValue) -> Event? {
        guard case .object(let m) = value,
            let id = m.string("id").flatMap({ UUID(text: $0) }),
            let recordID = m.string("record_id").flatMap({ UUID(text: $0) }),
            let recordKind = m.string("record_kind").flatMap(RecordKind.init(rawValue:)),
            let kind = m.string("kind").flatMap(EventKind.init(rawValue:)),
            let date = m.string("effective_date").flatMap({ LocalDate($0) }),
            let recordedAt = m.string("recorded_at").flatMap({ Timestamp($0) }),
            let unit = m.string("unit").flatMap({ UnitCode($0) }),
            let author = m.string("author"),
            let data = m.value("data"), let payload = payload(kind: kind, data)
        else { return nil }
        return Event(
            id: id, recordID: recordID, recordKind: recordKind, effectiveDate: date, recordedAt: recordedAt,
            unit: unit, author: author, payload: payload)
    }

    static func payload(kind: EventKind, _ value: JSONValue) -> EventPayload? {
        guard case .object(let m) = value else { return nil }
        switch kind {
        case .personRegistered: return person(m).map(EventPayload.personRegistered)
        case .personAmended: return person(m).map(EventPayload.personAmended)
        case .wantedOpened:
            guard let personID = m.string("person_id").flatMap({ UUID(text: $0) }), let ref = m.string("case_ref"),
                let owner = m.string("owner_unit").flatMap({ UnitCode($0) }),
                let danger = m.string("danger").flatMap(DangerClass.init(rawValue:)), let abroad = m.bool("abroad"),
                case .object(let d)? = m.value("decision"), let decision = decision(d),
                let release = m.optional("release_case", { UUID(text: $0) })
            else { return nil }
            return .wantedOpened(
                WantedOpening(
                    personID: personID, caseRef: ref, ownerUnit: owner, danger: danger, abroad: abroad,
                    decision: decision, releaseCase: release))
        case .decisionAdded: return decision(m).map(EventPayload.decisionAdded)
        case .decisionWithdrawn:
            guard let number = m.string("number"), let reason = m.string("reason") else { return nil }
            return .decisionWithdrawn(number: number, reason: reason)
        case .wantedAmended:
            guard let danger = m.string("danger").flatMap(DangerClass.init(rawValue:)), let abroad = m.bool("abroad")
            else { return nil }
            return .wantedAmended(danger: danger, abroad: abroad)
        case .wantedClosed:
            guard let closing = m.string("kind").flatMap(ClosingKind.init(rawValue:)),
                let acting = m.string("acting_unit").flatMap({ UnitCode($0) })
            else { return nil }
            return .wantedClosed(kind: closing, actingUnit: acting)
        case .releaseRegistered:
            guard let personID = m.string("person_id").flatMap({ UUID(text: $0) }), let ref = m.string("case_ref"),
                let unit = m.string("unit").flatMap({ UnitCode($0) }),
                let type = m.string("release_type").flatMap(ReleaseType.init(rawValue:)),
                let facility = m.string("facility"), let offense = m.string("offense"),
                let probation = m.optional("probation_until", { LocalDate($0) })
            else { return nil }
            return .releaseRegistered(
                ReleaseRegistration(
                    personID: personID, caseRef: ref, unit: unit, releaseType: type, facility: facility,
                    offense: offense, probationUntil: probation))
        case .transferred:
            return m.string("to_unit").flatMap({ UnitCode($0) }).map { .transferred(toUnit: $0) }
        case .releaseEnded:
            guard let ending = m.string("kind").flatMap(EndingKind.init(rawValue:)),
                let offense = m.optional("offense", { $0 }), let reference = m.optional("reference", { $0 })
            else { return nil }
            return .releaseEnded(kind: ending, offense: offense, reference: reference)
        case .reportedIn: return .reportedIn
        case .located: return .located
        case .officerAssigned: return m.string("officer").map { .officerAssigned(officer: $0) }
        case .contact:
            guard let contact = m.string("kind").flatMap(ContactKind.init(rawValue:)),
                let note = m.optional("note", { $0 })
            else { return nil }
            return .contact(kind: contact, note: note)
        case .whereaboutsUnknown:
            return m.optional("note", { $0 }).map { .whereaboutsUnknown(note: $0) }
        case .retracted:
            guard let target = m.string("event_id").flatMap({ UUID(text: $0) }), let reason = m.string("reason")
            else { return nil }
            return .retracted(eventID: target, reason: reason)
        }
    }

    private static func person(_ m: JSONMembers) -> PersonDetails? {
        guard let name = m.string("full_name"), let birth = m.optional("birth_date", { BirthDate($0) }),
            let sex = m.optional("sex", Sex.init(rawValue:)), let nid = m.optional("national_id", { NationalID($0) }),
            case .array(let items)? = m.value("aliases")
        else { return nil }
        var aliases: [String] = []
        for item in items {
            guard case .string(let alias) = item else { return nil }
            aliases.append(alias)
        }
        return PersonDetails(fullName: name, birthDate: birth, sex: sex, nationalID: nid, aliases: aliases)
    }

    private static func decision(_ m: JSONMembers) -> Decision? {
        guard let number = m.string("number"), let issuedBy = m.string("issued_by"), let offense = m.string("offense")
        else { return nil }
        return Decision(number: number, issuedBy: issuedBy, offense: offense)
    }
}

/// A JSON value as `EventJSON` needs it: whole numbers that fit in 64 bits are read, other numbers only skipped.
indirect enum JSONValue {
    case string(String)
    case bool(Bool)
    case null
    case integer(Int64)
    case number
    case array([JSONValue])
    case object(JSONMembers)
}

/// The members of a JSON object, in order, each key once.
struct JSONMembers {
    var list: [(key: String, value: JSONValue)] = []

    func value(_ key: String) -> JSONValue? {
        list.first { $0.key == key }?.value
    }

    /// A member that must be a string.
    func string(_ key: String) -> String? {
        if case .string(let text)? = value(key) { return text }
        return nil
    }

    /// A member that must be true or false.
    func bool(_ key: String) -> Bool? {
        if case .bool(let flag)? = value(key) { return flag }
        return nil
    }

    /// An optional member: missing or null is `.some(nil)`; a string `parse` reads is `.some(value)`; anything else
    /// is nil (give up).
    func optional<T>(_ key: String, _ parse: (String) -> T?) -> T?? {
        switch value(key) {
        case nil, .null?: return .some(nil)
        case .string(let text)?: return parse(text).map { .some($0) }
        default: return nil
        }
    }
}

/// Reads one JSON document from UTF-8 bytes.
struct JSONCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0
    /// How deep the values nest, bounded so that a hostile body cannot exhaust the stack.
    private var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The one value of the document, nil when it is not exactly one valid value.
    mutating func document() -> JSONValue? {
        guard let value = value() else { return nil }
        space()
        return at == bytes.count ? value : nil
    }

    private mutating func space() {
        while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 {
            at += 1
        }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        space()
        guard at < bytes.count, bytes[at] == byte else { return false }
        at += 1
        return true
    }

    private mutating func literal(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard at + count <= bytes.count else { return false }
        for i in 0..<count where bytes[at + i] != text.utf8Start[i] { return false }
        at += count
        return true
    }

    mutating func value() -> JSONValue? {
        space()
        guard at < bytes.count, depth < 64 else { return nil }
        switch bytes[at] {
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "{"):
            depth += 1
            defer { depth -= 1 }
            return object().map(JSONValue.object)
        case UInt8(ascii: "["):
            depth += 1
            defer { depth -= 1 }
            return array().map(JSONValue.array)
        case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        default:
            let start = at
            guard number() else { return nil }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
            return Int64(text).map(JSONValue.integer) ?? .number
        }
    }

    private mutating func object() -> JSONMembers? {
        at += 1
        var members = JSONMembers()
        if take(UInt8(ascii: "}")) { return members }
        repeat {
            space()
            guard let key = string(), take(UInt8(ascii: ":")), let value = value(),
                !members.list.contains(where: { $0.key == key })
            else { return nil }
            members.list.append((key, value))
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}")) ? members : nil
    }

    private mutating func array() -> [JSONValue]? {
        at += 1
        var items: [JSONValue] = []
        if take(UInt8(ascii: "]")) { return items }
        repeat {
            guard let item = value() else { return nil }
            items.append(item)
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? items : nil
    }

    /// Skips a number, as JSON's grammar writes it (its value is never needed).
    private mutating func number() -> Bool {
        func digits() -> Int {
            let start = at
            while at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) { at += 1 }
            return at - start
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
        guard at < bytes.count else { return false }
        if bytes[at] == UInt8(ascii: "0") {
            at += 1
        } else if digits() == 0 {
            return false
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
            at += 1
            guard digits() > 0 else { return false }
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
            at += 1
            if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard digits() > 0 else { return false }
        }
        return true
    }

    /// A string, its escapes undone; nil for a control character, a bad escape or text that is not UTF-8.
    private mutating func string() -> String? {
        guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { return nil }
        at += 1
        let start = at
        var ascii = true
        while at < bytes.count {
            let byte = bytes[at]
            if byte == UInt8(ascii: "\"") {
                defer { at += 1 }
                let text = UnsafeBufferPointer(rebasing: bytes[start..<at])
                // ASCII is UTF-8 as it is; anything else is checked.
                return ascii ? String(decoding: text, as: UTF8.self) : String(validating: text, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { return nil }
            ascii = ascii && byte < 0x80
            at += 1
        }
        var out = Array(bytes[start..<at])
        while at < bytes.count {
            let byte = bytes[at]
            at += 1
            switch byte {
            case UInt8(ascii: "\""): return String(validating: out, as: UTF8.self)
            case 0..<0x20: return nil
            case UInt8(ascii: "\\"):
                guard at < bytes.count else { return nil }
                let escaped = bytes[at]
                at += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard var code = hex4() else { return nil }
                    if (0xD800..<0xDC00).contains(code) {
                        guard literal("\\u"), let low = hex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { return nil }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: return nil
                }
            default: out.append(byte)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[at]
            at += 1
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}

extension SyncWire.PushResponse {
    /// The JSON of `self` as `SyncWire.encoder()` writes it (members in key order), written by hand: the server
    /// answers one per push, with a result per event. `EventJSONTests` holds it to decode as `JSONEncoder`'s does.
    public func json() -> [UInt8] {
        func member(_ mark: SyncWire.LogMark?) -> PayloadJSON.Value? {
            mark.map {
                .object([
                    .init("fingerprint", $0.fingerprint.map { .string($0) }), .init("sequence", .raw("\($0.sequence)")),
                ])
            }
        }
        var w = PayloadJSON.Writer()
        w.object([
            .init("head", member(head)), .init("mark", member(mark)),
            .init(
                "results",
                .objects(
                    results.map { result in
                        [
                            .init("id", .string(result.id.lowercased)),
                            .init("reason", result.reason.map { .string($0) }),
                            .init("sequence", result.sequence.map { .raw("\($0)") }),
                            .init("status", .string(result.status.rawValue)),
                        ]
                    })
            ),
        ])
        return w.bytes
    }
}

extension SyncWire.PushResponse {
    /// Reads a push answer as its `Decodable` conformance does, without `JSONDecoder` (a station reads one per batch
    /// of 500); nil for anything it is not sure of, and the caller then uses `JSONDecoder`.
    public static func read(_ bytes: [UInt8]) -> SyncWire.PushResponse? {
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(bytes: buffer)
            guard case .object(let body)? = cursor.document(), case .array(let items)? = body.value("results"),
                let head = mark(body, "head"), let mark = mark(body, "mark")
            else { return nil }
            var results: [SyncWire.PushResult] = []
            results.reserveCapacity(items.count)
            for item in items {
                guard case .object(let m) = item, let id = m.string("id").flatMap({ UUID(text: $0) }),
                    let status = m.string("status").flatMap(SyncWire.PushResult.Status.init(rawValue:)),
                    let reason = m.optional("reason", { $0 })
                else { return nil }
                var sequence: Int64?
                switch m.value("sequence") {
                case nil, .null?: break
                case .integer(let number)?: sequence = number
                default: return nil
                }
                results.append(SyncWire.PushResult(id: id, status: status, reason: reason, sequence: sequence))
            }
            return SyncWire.PushResponse(results: results, head: head, mark: mark)
        }
    }

    /// An optional mark member: `.some(nil)` when missing or null, nil when not readable.
    static func mark(_ body: JSONMembers, _ key: String) -> SyncWire.LogMark?? {
        switch body.value(key) {
        case nil, .null?: return .some(nil)
        case .object(let m)?:
            guard case .integer(let sequence)? = m.value("sequence"),
                let fingerprint = m.optional("fingerprint", { $0 })
            else { return nil }
            return .some(SyncWire.LogMark(sequence: sequence, fingerprint: fingerprint))
        default: return nil
        }
    }
}

extension SyncWire.PullResponse {
    /// Reads a pull page as its `Decodable` conformance does, without `JSONDecoder` (a station reads every event it
    /// pulls through it: the province's station of the bench reads 100 MB of pages); nil for anything it is not sure
    /// of, and the caller then uses `JSONDecoder`, so that what people read of a bad page is what `JSONDecoder` says.
    public static func read(_ bytes: [UInt8]) -> SyncWire.PullResponse? {
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(bytes: buffer)
            guard case .object(let body)? = cursor.document(), case .array(let items)? = body.value("events"),
                case .integer(let next)? = body.value("next"), let more = body.bool("more"),
                let head = SyncWire.PushResponse.mark(body, "head"), let mark = SyncWire.PushResponse.mark(body, "mark")
            else { return nil }
            var events: [SyncWire.PulledEvent] = []
            events.reserveCapacity(items.count)
            for item in items {
                guard case .object(let m) = item, case .integer(let sequence)? = m.value("sequence"),
                    let value = m.value("event"), let event = EventJSON.event(value)
                else { return nil }
                events.append(SyncWire.PulledEvent(sequence: sequence, event: event))
            }
            return SyncWire.PullResponse(events: events, next: next, more: more, head: head, mark: mark)
        }
    }
}
