/// A police unit's code: dot-separated segments of `[A-Za-z0-9_-]`, most general first (`79`, `79.26734`,
/// `01.001.00004`). A code used as a scope covers itself and every code that starts with it and a dot.
public struct UnitCode: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The code as written.
    public let rawValue: String

    /// A unit code, or `nil` when `text` is not of the shape above (empty segment, space, other character).
    public init?(_ text: some StringProtocol) {
        guard !text.isEmpty, text.utf8.count <= 64 else { return nil }
        var previousWasDot = true
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "."):
                if previousWasDot { return nil }
                previousWasDot = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                previousWasDot = false
            default:
                return nil
            }
        }
        if previousWasDot { return nil }
        self.rawValue = String(text)
    }

    /// The segments, most general first.
    public var segments: [Substring] { rawValue.split(separator: ".") }

    /// Whether this code, taken as a scope, covers `other`: the same code, or one below it.
    public func covers(_ other: UnitCode) -> Bool {
        other.rawValue == rawValue
            || (other.rawValue.utf8.count > rawValue.utf8.count && other.rawValue.hasPrefix(rawValue)
                && other.rawValue.utf8[
                    other.rawValue.utf8.index(other.rawValue.utf8.startIndex, offsetBy: rawValue.utf8.count)]
                    == UInt8(ascii: "."))
    }

    /// The unit directly below this scope on the way to `other` (`79` and `79.26734.1` give `79.26734`); `nil` when
    /// `other` is this unit or is not under it.
    public func child(toward other: UnitCode) -> UnitCode? {
        guard other != self, covers(other) else { return nil }
        let depth = segments.count
        return UnitCode(other.segments.prefix(depth + 1).joined(separator: "."))
    }

    public var description: String { rawValue }

    public static func < (lhs: UnitCode, rhs: UnitCode) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let code = UnitCode(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a unit code")
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
