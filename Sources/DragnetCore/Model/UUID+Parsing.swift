import Foundation

extension UUID {
    /// Parses the 36-character form (`01a218ce-4692-7000-bd01-d08e20f4490d`, either case) without Foundation's
    /// `UUID(uuidString:)`, which goes through `sscanf` and dominated the time to read a million rows.
    /// `nil` for anything else.
    init?(text: some StringProtocol) {
        var bytes = [UInt8](repeating: 0, count: 16)
        var index = 0
        var high: UInt8?
        var count = 0
        for (position, char) in text.utf8.enumerated() {
            count += 1
            if position == 8 || position == 13 || position == 18 || position == 23 {
                guard char == UInt8(ascii: "-") else { return nil }
                continue
            }
            let nibble: UInt8
            switch char {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = char - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = char - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = char - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let h = high {
                guard index < 16 else { return nil }
                bytes[index] = h << 4 | nibble
                index += 1
                high = nil
            } else {
                high = nibble
            }
        }
        guard count == 36, index == 16, high == nil else { return nil }
        self.init(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8],
                bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
