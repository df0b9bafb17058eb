import Foundation
import NIOCore
import Synchronization

/// The figures route's bodies as `ByteBuffer`s, made once per kept report instead of copied at every request (the
/// report's JSON is kept by the figures cache as `Data`; copying its 50–60 KB into a new buffer was a twentieth of
/// the server's time under a hundred dashboards). A body is found again by its storage: a `Data` kept here keeps its
/// bytes alive, so another `Data` at the same address with the same length shares those bytes (a kept report's
/// JSON is an owned copy, never changed in place; a `Data(bytesNoCopy:)` over memory someone else frees or changes
/// must never be given here). Small values (64 bytes or fewer) may be kept inline, whose bytes `withUnsafeBytes`
/// shows at a temporary address: they are copied every time.
final class KeptBodies: Sendable {
    private let capacity: Int
    private let kept = Mutex<[(data: Data, buffer: ByteBuffer)]>([])

    init(capacity: Int = 16) { self.capacity = max(capacity, 1) }

    func buffer(for data: Data) -> ByteBuffer {
        guard let address = Self.address(of: data) else { return ByteBuffer(bytes: data) }
        if let found = kept.withLock({ entries in
            entries.first { $0.data.count == data.count && Self.address(of: $0.data) == address }?.buffer
        }) {
            return found
        }
        let buffer = ByteBuffer(bytes: data)
        kept.withLock { entries in
            if entries.count >= capacity { entries.removeFirst() }
            entries.append((data, buffer))
        }
        return buffer
    }

    /// Where `data`'s bytes are; nil for an empty or a small value (kept inline, not shared: copied anyway).
    private static func address(of data: Data) -> UnsafeRawPointer? {
        guard data.count > 64 else { return nil }
        return data.withUnsafeBytes { $0.baseAddress }
    }
}

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
