import DragnetCore
import DragnetServer
import DragnetSync
import Foundation
import GRDB
import Hummingbird
import Logging
import Testing

/// A real central endpoint on a loopback port, in this process, over a real SQLite file.
final class LiveServer: Sendable {
    let registry: Registry
    let port: Int
    let directory: URL
    private let task: Task<Void, any Error>

    var url: String { "http://127.0.0.1:\(port)" }

    private init(registry: Registry, port: Int, directory: URL, task: Task<Void, any Error>) {
        self.registry = registry
        self.port = port
        self.directory = directory
        self.task = task
    }

    /// A server on a free port (or on `port`) over a new central database, or over a copy of `restoring` (a backup
    /// made with `backup(to:)`), taking pushes within `push`.
    static func start(
        push: SyncWire.PushLimits = .standard, port: Int = 0, restoring backup: String? = nil,
        pushOrderPatience: Duration = .seconds(15)
    ) async throws -> LiveServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dragnet-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var logger = Logger(label: "test.server")
        logger.logLevel = .critical  // cancelling the server task at the end of a test logs an error
        let path = directory.appendingPathComponent("central.sqlite").path
        let registry: Registry
        if let backup {
            try FileManager.default.copyItem(atPath: backup, toPath: path)
            registry = try Registry.open(at: path, logger: logger)
        } else {
            registry = try Registry.create(
                at: path, unit: UnitCode("central")!, role: .central, now: Timestamp.now(), logger: logger)
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        var configuration = ServerConfiguration(host: "127.0.0.1", port: port, push: push)
        configuration.pushOrderPatience = pushOrderPatience
        let app = buildApplication(
            configuration: configuration,
            registry: registry, logger: logger, onRunning: { port in continuation.yield(port) })
        let task = Task { try await app.run() }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw DragnetError(.failure, "the test server did not start") }
        return LiveServer(registry: registry, port: port, directory: directory, task: task)
    }

    func stop() { task.cancel() }

    /// Stops the server and waits until it no longer listens, so that another can take its port.
    func stopAndWait() async {
        task.cancel()
        _ = await task.result
    }

    /// A consistent copy of the central database while the server runs (SQLite's online backup), as an operator's
    /// backup would be.
    func backup(to path: String) throws {
        let source = try DatabaseQueue(path: directory.appendingPathComponent("central.sqlite").path)
        try source.backup(to: try DatabaseQueue(path: path))
    }

    /// A new token for `unit` (or for the scope `*`, with the hq role).
    func token(_ unit: String, role: AccessToken.Role = .station) throws -> String {
        try TokenIssuer.issue(
            in: registry, unit: UnitCode(scope: unit)!, role: role, label: "test", now: Timestamp.now()
        ).token
    }

    /// A libcurl client with a short retry budget (tests must not wait a minute).
    func client(_ token: String, budget: TimeInterval = 5) -> CentralClient {
        var policy = RetryPolicy()
        policy.budget = budget
        return CentralClient.live(baseURL: url, token: token, policy: policy)
    }
}

/// A station database with an officer's event factory.
struct TestStation {
    let registry: Registry
    var factory: EventFactory

    init(_ unit: String, in directory: URL, now: Timestamp = Timestamp("2026-11-26T10:00:00Z")!) throws {
        registry = try Registry.create(
            at: directory.appendingPathComponent("station-\(unit)-\(UUID().uuidString).sqlite").path,
            unit: UnitCode(unit)!, now: now)
        factory = EventFactory(unit: UnitCode(unit)!, author: "officer \(unit)", now: now)
    }

    /// Pushes and pulls with the real libcurl client, off the cooperative pool.
    func sync(_ server: LiveServer, token: String) async throws -> SyncReport {
        let synchronizer = Synchronizer(
            registry: registry, client: server.client(token),
            logger: Logger(label: "test.sync"))
        return try await blocking { try synchronizer.run(now: { Timestamp.now() }) }
    }
}

/// Runs blocking work (libcurl, which waits on the server) on a thread of its own, so that it never holds one of
/// the few threads of Swift's cooperative pool that the in-process server needs to answer.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

func day(_ text: String) -> LocalDate { LocalDate(text)! }

/// A raw request through libcurl, for status and body checks.
func raw(
    _ method: DragnetSync.HTTPMethod, _ url: String, token: String?, body: [UInt8] = [],
    headers: [(String, String)] = []
) async throws -> DragnetSync.HTTPResponse {
    var all = headers
    if let token { all.append(("Authorization", "Bearer \(token)")) }
    let request = DragnetSync.HTTPRequest(method: method, url: url, headers: all, body: body)
    return try await blocking { try CurlTransport().send(request) }
}
