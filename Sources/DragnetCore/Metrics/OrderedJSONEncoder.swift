import Foundation

/// Encodes an `Encodable` value as JSON whose object keys come in the order its `encode(to:)` writes them.
///
/// Foundation's `JSONEncoder` on Linux writes keys in hash order, which changes from one run to the next; the
/// figures' JSON is read by people and compared by scripts, so it must come out the same every time.
/// Key names and values are exactly those `encode(to:)` gives (no key strategy); `nil` written with `encodeNil` is
/// `null`. Numbers: integers as they are, doubles in Swift's shortest round-trip form (`0.3`, `0.30833333333333335`);
/// a NaN or infinite double is an `EncodingError`. Strings are UTF-8, escaping only `"`, `\` and control characters.
public struct OrderedJSONEncoder: Sendable {
    /// Whether to write one line (`compact`) or indent nested values by two spaces (`pretty`).
    public enum Layout: Sendable, Equatable {
        /// No spaces or line breaks: `{"a":1,"b":[1,2]}`.
        case compact
        /// Two-space indentation, `"key": value`, one member per line, empty containers as `{}` and `[]`.
        case pretty
    }

    /// The layout of the output.
    public var layout: Layout

    /// An encoder writing in `layout`.
    public init(layout: Layout = .compact) { self.layout = layout }

    /// The JSON text of `value`, UTF-8.
    public func encode<T: Encodable>(_ value: T) throws -> Data {
        let root = JSONNode()
        try value.encode(to: NodeEncoder(node: root, codingPath: []))
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        do {
            try root.write(to: &out, pretty: layout == .pretty, indent: 0)
        } catch let error as JSONNode.NotANumber {
            let at = error.path.reversed().joined(separator: ".")
            throw EncodingError.invalidValue(
                error.value, .init(codingPath: [], debugDescription: "\(error.value) at \(at) is not a JSON number"))
        }
        return Data(out)
    }
}

/// One value being built: a tree of reference nodes, since containers hand out children that are filled later.
final class JSONNode {
    enum Content {
        case empty
        case null
        case literal(String)  // a number or `true`/`false`, already in JSON form
        case double(Double)
        case string(String)
        case array([JSONNode])
        case object(keys: [String], values: [JSONNode])
    }

    var content: Content = .empty

    func makeObject() {
        if case .object = content { return }
        content = .object(keys: [], values: [])
    }

    func makeArray() {
        if case .array = content { return }
        content = .array([])
    }

    /// The node for `key`, replacing what an earlier write put there but keeping the key's first position.
    func child(forKey key: String) -> JSONNode {
        makeObject()
        guard case .object(var keys, var values) = content else { return JSONNode() }
        content = .empty  // drops the enum's reference so that the arrays are mutated in place
        let node = JSONNode()
        if let index = keys.firstIndex(of: key) {
            values[index] = node
        } else {
            keys.append(key)
            values.append(node)
        }
        content = .object(keys: keys, values: values)
        return node
    }

    func appendChild() -> JSONNode {
        makeArray()
        guard case .array(var items) = content else { return JSONNode() }
        content = .empty
        let node = JSONNode()
        items.append(node)
        content = .array(items)
        return node
    }

    var count: Int {
        switch content {
        case .array(let items): return items.count
        case .object(let keys, _): return keys.count
        default: return 0
        }
    }

    /// A NaN or infinite double, and the keys and indexes leading to it, innermost first (collected only when it
    /// is thrown: writing a value makes no path).
    struct NotANumber: Error {
        var value: Double
        var path: [String] = []
    }

    func write(to out: inout [UInt8], pretty: Bool, indent: Int) throws {
        switch content {
        case .empty: out.append(contentsOf: "{}".utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .literal(let text): out.append(contentsOf: text.utf8)
        case .double(let value):
            guard value.isFinite else { throw NotANumber(value: value) }
            out.append(contentsOf: "\(value)".utf8)
        case .string(let text): JSONNode.writeString(text, to: &out)
        case .array(let items):
            guard !items.isEmpty else { return out.append(contentsOf: "[]".utf8) }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONNode.newline(&out, pretty: pretty, indent: indent + 1)
                do {
                    try item.write(to: &out, pretty: pretty, indent: indent + 1)
                } catch var error as NotANumber {
                    error.path.append(String(i))
                    throw error
                }
            }
            JSONNode.newline(&out, pretty: pretty, indent: indent)
            out.append(UInt8(ascii: "]"))
        case .object(let keys, let values):
            guard !keys.isEmpty else { return out.append(contentsOf: "{}".utf8) }
            out.append(UInt8(ascii: "{"))
            for (i, key) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONNode.newline(&out, pretty: pretty, indent: indent + 1)
                JSONNode.writeString(key, to: &out)
                out.append(contentsOf: (pretty ? ": " : ":").utf8)
                do {
                    try values[i].write(to: &out, pretty: pretty, indent: indent + 1)
                } catch var error as NotANumber {
                    error.path.append(key)
                    throw error
                }
            }
            JSONNode.newline(&out, pretty: pretty, indent: indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    static func newline(_ out: inout [UInt8], pretty: Bool, indent: Int) {
        guard pretty else { return }
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    static func writeString(_ text: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: "\\r".utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: "\\t".utf8)
            case 0..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
