import Foundation
import Testing

@testable import DragnetCore

// The two helpers of DragnetCoreTests' TestSupport.swift that GeneratorTests uses, reduced to what it needs (a test
// target cannot use another's files).

/// A fresh station registry in a temporary SQLite file, with a factory recording as an officer of its unit.
struct TestRegistry {
    let registry: Registry
    let directory: URL
    var factory: EventFactory

    /// The recording day of every test (the same as DragnetCoreTests').
    static let now = Timestamp("2026-11-26T10:00:00Z")!

    init(unit: String = "79.26734") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dragnet-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        registry = try Registry.create(
            at: directory.appendingPathComponent("station.sqlite").path, unit: UnitCode(unit)!, role: .station,
            now: Self.now)
        factory = EventFactory(unit: UnitCode(unit)!, author: "test officer", now: Self.now)
    }
}

/// Expects `body` to throw a DragnetError whose message contains every one of `fragments`.
func expectRefusal(_ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void)
{
    do {
        try body()
        Issue.record("expected a refusal mentioning \(fragments)", sourceLocation: sourceLocation)
    } catch let error as DragnetError {
        for fragment in fragments {
            #expect(
                error.message.contains(fragment), "\"\(error.message)\" lacks \"\(fragment)\"",
                sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}
