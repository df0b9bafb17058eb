import Synchronization

/// The SHA-256 of each bearer token seen lately, so that a dashboard's requests hash its token once (hashing was a
/// twentieth of the figures route's time). Only the hash is looked up in the database, as before: a revoked or
/// unknown token is refused whatever is kept here. The map is emptied when it holds `capacity` tokens, and keeps no
/// text longer than a token can be (Dragnet's are 67 characters), so that requests with made-up headers cannot make
/// it hold much memory.
final class TokenHashes: Sendable {
    static let longestKept = 128
    private let capacity: Int
    /// Keyed by the token's bytes: `String`s that differ in bytes may compare equal (canonical equivalence), and a
    /// token must match exactly.
    private let kept = Mutex<[[UInt8]: String]>([:])

    init(capacity: Int = 1024) { self.capacity = max(capacity, 1) }

    func hash(_ token: String, _ compute: (String) -> String) -> String {
        guard token.utf8.count <= Self.longestKept else { return compute(token) }
        let key = Array(token.utf8)
        if let known = kept.withLock({ $0[key] }) { return known }
        let hash = compute(token)
        kept.withLock { map in
            if map.count >= capacity { map.removeAll(keepingCapacity: true) }
            map[key] = hash
        }
        return hash
    }
}
