import Dispatch

/// Runs blocking work (SQLite through GRDB) on a dispatch queue of its own, so that it never holds a thread of
/// Swift's shared cooperative pool while it waits on the disk.
enum Offload {
    private static let queue = DispatchQueue(label: "dragnet.server.database", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
