import Foundation
import Synchronization

/// Names as written and the diacritic-insensitive key they are found by.
public enum PersonName {
    /// The name as written, in Unicode NFC, with surrounding spaces removed and inner runs of spaces collapsed.
    public static func normalized(_ name: String) -> String {
        byWord(name, cache: normalizedWords) { $0.precomposedStringWithCanonicalMapping }
    }

    /// The search key: lower case, diacritics removed, `đ` → `d`, spaces collapsed
    /// ("Nguyễn Văn Đức" → "nguyen van duc").
    public static func searchKey(_ text: String) -> String {
        byWord(text, cache: searchKeyWords, searchKeyOfWord)
    }

    /// `searchKey` of text without white space.
    static func searchKeyOfWord(_ text: String) -> String {
        let replaced = text.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "d")
        let folded = replaced.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        let ascii = folded.decomposedStringWithCanonicalMapping.unicodeScalars.filter {
            !(0x0300...0x036F).contains($0.value)
        }
        return String(String.UnicodeScalarView(ascii)).lowercased()
    }

    static func collapseSpaces(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// `transform` applied to each white-space-separated word of `text`, joined by single spaces. Names are made of
    /// a few thousand distinct words, so each word's result is remembered (Foundation's Unicode work dominated the
    /// import of a million names); the memory is bounded by clearing it when it grows past 50,000 words.
    private static func byWord(
        _ text: String, cache: borrowing Mutex<[String: String]>, _ transform: (String) -> String
    ) -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace })
        var out = ""
        for word in words {
            let key = String(word)
            let made: String
            if let known = cache.withLock({ $0[key] }) {
                made = known
            } else {
                made = transform(key)
                cache.withLock {
                    if $0.count >= 50_000 { $0.removeAll(keepingCapacity: true) }
                    $0[key] = made
                }
            }
            // A word that folds to nothing (a lone combining mark) leaves no space behind.
            if made.isEmpty { continue }
            if !out.isEmpty { out += " " }
            out += made
        }
        return out
    }

    private static let normalizedWords = Mutex<[String: String]>([:])
    private static let searchKeyWords = Mutex<[String: String]>([:])
}

/// A national identity number: a 12-digit CCCD or a 9-digit CMND, digits only.
public struct NationalID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The digits.
    public let rawValue: String

    /// A national id, or `nil` unless `text` is exactly 9 or 12 ASCII digits.
    public init?(_ text: some StringProtocol) {
        guard text.utf8.count == 9 || text.utf8.count == 12,
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        rawValue = String(text)
    }

    public var description: String { rawValue }

    /// What is wrong with a text that is not a national id, as every reader says it.
    public static let notANationalID = "is not a national id (12 digits for a CCCD, 9 for a CMND)"

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = NationalID(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" \(NationalID.notANationalID)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension String {
    /// The text without the spaces and tabs around it; the text itself, without copying, when there are none (the
    /// common case, which import meets millions of times).
    var trimmingSpaces: String {
        // Most fields have no space at either end, which the first and last UTF-8 bytes show without walking
        // characters: a space or tab is one byte, a no-break space ends in 0xA0 (as does "à", which goes the long way).
        if let head = utf8.first, let tail = utf8.last, head != 0x20, head != 0x09, head != 0xC2, tail != 0x20,
            tail != 0x09, tail != 0xA0
        {
            return self
        }
        func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\u{00A0}" }
        guard let first = first, let last = last, isSpace(first) || isSpace(last) else { return self }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
