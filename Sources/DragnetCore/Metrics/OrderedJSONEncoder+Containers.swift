/// The `Encoder` handed to `encode(to:)`: it writes into one node of the tree.
struct NodeEncoder: Encoder {
    let node: JSONNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.makeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.makeArray()
        return UnkeyedNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleNodeContainer(node: node, codingPath: codingPath)
    }
}

/// Sets a node to a value: the one place that decides how each primitive type is written.
enum NodeWriter {
    static func write<T: Encodable>(_ value: T, into node: JSONNode, codingPath: [any CodingKey]) throws {
        switch value {
        case let v as String: node.content = .string(v)
        case let v as Bool: node.content = .literal(v ? "true" : "false")
        case let v as Double: node.content = .double(v)
        case let v as Float: node.content = .double(Double(v))
        case let v as Int: node.content = .literal(String(v))
        case let v as Int8: node.content = .literal(String(v))
        case let v as Int16: node.content = .literal(String(v))
        case let v as Int32: node.content = .literal(String(v))
        case let v as Int64: node.content = .literal(String(v))
        case let v as UInt: node.content = .literal(String(v))
        case let v as UInt8: node.content = .literal(String(v))
        case let v as UInt16: node.content = .literal(String(v))
        case let v as UInt32: node.content = .literal(String(v))
        case let v as UInt64: node.content = .literal(String(v))
        default: try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
        }
    }
}

struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONNode
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.child(forKey: key.stringValue).content = .null }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try NodeWriter.write(value, into: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = node.child(forKey: key.stringValue)
        child.makeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = node.child(forKey: key.stringValue)
        child.makeArray()
        return UnkeyedNodeContainer(node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        NodeEncoder(node: node.child(forKey: "super"), codingPath: codingPath)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        NodeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
    }
}

struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: JSONNode
    let codingPath: [any CodingKey]
    var count: Int { node.count }

    mutating func encodeNil() throws { node.appendChild().content = .null }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try NodeWriter.write(value, into: node.appendChild(), codingPath: codingPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = node.appendChild()
        child.makeObject()
        return KeyedEncodingContainer(KeyedNodeContainer<NestedKey>(node: child, codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = node.appendChild()
        child.makeArray()
        return UnkeyedNodeContainer(node: child, codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder { NodeEncoder(node: node.appendChild(), codingPath: codingPath) }
}

struct SingleNodeContainer: SingleValueEncodingContainer {
    let node: JSONNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.content = .null }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try NodeWriter.write(value, into: node, codingPath: codingPath)
    }
}
