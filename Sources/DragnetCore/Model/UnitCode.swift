/// A police unit's code: dot-separated segments of `[A-Za-z0-9_-]`, most general first (`79`, `79.26734`,
/// `01.001.00004`). A code used as a scope covers itself and every code that starts with it and a dot.
///
/// `UnitCode.national` (`*`, SPEC §9) is the scope of the whole country: it covers every code. It is a scope only,
/// never a unit that records events or owns a case or a station, so only `init?(scope:)` reads it: `init?(_:)` and
/// decoding refuse it.
public struct UnitCode: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The code as written.
    public let rawValue: String

    /// The scope of the whole country, written `*`: it covers every unit code, and the units directly below it are
    /// the provinces (the first segment of each code).
    public static let national = UnitCode(uncheckedRawValue: "*")

    private init(uncheckedRawValue: String) { self.rawValue = uncheckedRawValue }

    /// A scope: `*` (the whole country) or a unit code; `nil` otherwise.
    public init?(scope text: some StringProtocol) {
        if text == "*" {
            self = .national
        } else {
            self.init(text)
        }
    }

    /// Whether this is the national scope `*`.
    public var isNational: Bool { rawValue == "*" }

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

    /// The segments, most general first (none for the national scope).
    public var segments: [Substring] { isNational ? [] : rawValue.split(separator: ".") }

    /// How far down the tree of units this code lies: 0 for the national scope, else its number of segments
    /// (`79` is 1, `79.26734` is 2). Of two scopes that cover one unit, the deeper is the more specific.
    public var depth: Int {
        isNational ? 0 : rawValue.utf8.reduce(1) { $0 + ($1 == UInt8(ascii: ".") ? 1 : 0) }
    }

    /// Whether this code, taken as a scope, covers `other`: the same code, or one below it. The national scope covers
    /// every code; no unit code covers the national scope.
    public func covers(_ other: UnitCode) -> Bool {
        if isNational { return true }
        if other.isNational { return false }
        return other.rawValue == rawValue
            || (other.rawValue.utf8.count > rawValue.utf8.count && other.rawValue.hasPrefix(rawValue)
                && other.rawValue.utf8[
                    other.rawValue.utf8.index(other.rawValue.utf8.startIndex, offsetBy: rawValue.utf8.count)]
                    == UInt8(ascii: "."))
    }

    /// The unit directly below this scope on the way to `other` (`79` and `79.26734.1` give `79.26734`; `*` and
    /// `79.26734` give the province `79`); `nil` when `other` is this unit or is not under it.
    public func child(toward other: UnitCode) -> UnitCode? {
        guard other != self, covers(other) else { return nil }
        return UnitCode(other.segments.prefix(depth + 1).joined(separator: "."))
    }

    /// The code as written (`*` for the national scope).
    public var description: String { rawValue }

    /// The scope named for a reader: the code, or `* (whole country)` for the national scope.
    public var scopeName: String { scopeName(.en) }

    /// The scope named for a reader of `language`: the code, or `* (toàn quốc)` / `* (whole country)`.
    public func scopeName(_ language: Language) -> String {
        isNational ? "* (\(Phrase.wholeCountry.text(language).lowercased()))" : rawValue
    }

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

extension KeyedDecodingContainer {
    /// A scope (`*` or a unit code) at `key`, for the reports whose `scope` may be the national one.
    public func decodeScope(forKey key: Key) throws -> UnitCode {
        let text = try decode(String.self, forKey: key)
        guard let scope = UnitCode(scope: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "\"\(text)\" is not a scope (* or a unit code)")
        }
        return scope
    }
}
