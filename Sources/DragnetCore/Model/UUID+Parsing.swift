import Foundation

extension UUID {
    /// Parses the 36-character form (`01a218ce-4692-7000-bd01-d08e20f4490d`, either case) without Foundation's
    /// `UUID(uuidString:)`, which goes through `sscanf` and dominated the time to read a million rows.
    /// `nil` for anything else.
    init?(text: some StringProtocol) {
        var text = String(text)
        guard let parsed = text.withUTF8({ UUID(utf8: $0) }) else { return nil }
        self = parsed
    }

    /// Parses the 36-character form from its UTF-8 bytes (see `init(text:)`).
    init?(utf8 b: UnsafeBufferPointer<UInt8>) {
        guard b.count == 36 else { return nil }
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let ok = withUnsafeMutableBytes(of: &value) { out -> Bool in
            var at = 0
            var position = 0
            while position < 36 {
                if position == 8 || position == 13 || position == 18 || position == 23 {
                    guard b[position] == UInt8(ascii: "-") else { return false }
                    position += 1
                    continue
                }
                guard let high = UUID.nibble(b[position]), let low = UUID.nibble(b[position + 1]) else {
                    return false
                }
                out[at] = high << 4 | low
                at += 1
                position += 2
            }
            return at == 16
        }
        guard ok else { return nil }
        self.init(uuid: value)
    }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return char - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension KeyedEncodingContainer {
    /// Writes `id` in lower case (`01a218ce-4692-7000-bd01-d08e20f4490d`), the one spelling Dragnet writes, in JSON as
    /// in the database and on the command line (RFC 9562 prefers it); reading takes either case.
    mutating func encode(lowercased id: UUID, forKey key: Key) throws {
        try encode(id.lowercased, forKey: key)
    }
}
