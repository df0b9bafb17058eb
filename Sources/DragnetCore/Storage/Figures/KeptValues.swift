/// Values kept by key, at most `limit` of them: when one more is kept, the one kept first goes. The figures' cache
/// keeps its reports and dashboards this way, and the server its rendered pages.
public struct KeptValues<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// The most values kept.
    public let limit: Int
    private var values: [Key: Value] = [:]
    private var order: [Key] = []

    public init(limit: Int) { self.limit = limit }

    /// The keys kept, the one kept first first.
    public var keys: [Key] { order }

    /// The value kept for `key`.
    public subscript(key: Key) -> Value? { values[key] }

    /// Keeps `value` for `key` (replacing what was kept for it), letting the oldest go past the limit.
    public mutating func keep(_ value: Value, for key: Key) {
        if values.updateValue(value, forKey: key) == nil { order.append(key) }
        if order.count > limit { values[order.removeFirst()] = nil }
    }

    /// Forgets what was kept for `key`.
    public mutating func forget(_ key: Key) {
        guard values.removeValue(forKey: key) != nil else { return }
        order.removeAll { $0 == key }
    }
}
