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
