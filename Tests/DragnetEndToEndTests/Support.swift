import Foundation
import Testing

/// The result of running the real `dragnet` binary.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Where the built products are: $DRAGNET_BIN's folder when set, else next to the test bundle.
let productsDirectory: URL = {
    if let bin = ProcessInfo.processInfo.environment["DRAGNET_BIN"] {
        return URL(fileURLWithPath: bin).deletingLastPathComponent()
    }
    var url = Bundle.main.bundleURL
    while !FileManager.default.fileExists(atPath: url.appendingPathComponent("dragnet").path), url.path != "/" {
        url.deleteLastPathComponent()
    }
    return url
}()

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A temporary folder with a station database in it, and a way to run `dragnet` against it.
struct Station {
    let directory: URL
    let db: String

    init(unit: String = "79.26734") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dragnet-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        db = directory.appendingPathComponent("station.sqlite").path
        let created = try dragnet(["init", "--unit", unit])
        #expect(created.status == 0, "init failed: \(created.stderr)")
    }

    /// Runs `dragnet ARGS --db DB` with a fixed recording time.
    func dragnet(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        try runDragnet(
            arguments,
            environment: [
                "DRAGNET_DB": db, "DRAGNET_NOW": "2026-11-26T10:00:00Z",
                "DRAGNET_AUTHOR": "e2e officer",
            ].merging(environment) { $1 }, in: directory)
    }
}

/// Runs the built `dragnet` with `arguments`, waits, and returns its status and output.
func runDragnet(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil) throws -> Run {
    let process = Process()
    process.executableURL = productsDirectory.appendingPathComponent("dragnet")
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "DRAGNET_DB")
    for (key, value) in environment { env[key] = value }
    process.environment = env
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Drain standard error on another thread while this one drains standard output, so that neither pipe can fill
    // up and block the child.
    let errorReader = PipeDrain(err.fileHandleForReading)
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = errorReader.wait()
    process.waitUntilExit()
    return Run(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// Reads a pipe to its end on a thread of its own.
final class PipeDrain: @unchecked Sendable {
    // `data` is written by the reading thread before `done` is signalled and read only after waiting on it.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
