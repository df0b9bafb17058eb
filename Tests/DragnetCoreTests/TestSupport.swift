import DragnetSynthetic
import Foundation
import GRDB
import Testing

@testable import DragnetCore

/// A fresh registry in a temporary SQLite file, with a factory recording as an officer of its unit.
struct TestRegistry {
    let registry: Registry
    let directory: URL
    var factory: EventFactory

    /// The recording day of every test: events may be dated up to the next day.
    static let now = Timestamp("2026-11-26T10:00:00Z")!

    init(unit: String = "79.26734", role: Registry.Role = .station, now: Timestamp = TestRegistry.now) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dragnet-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        registry = try Registry.create(
            at: directory.appendingPathComponent("station.sqlite").path, unit: UnitCode(unit)!, role: role, now: now)
        factory = EventFactory(unit: UnitCode(unit)!, author: "test officer", now: now)
    }

    /// A station of province 79 holding `rows` rows generated with `seed` (`dragnet generate`): its wanted and release
    /// lists imported, and its supervision events when `supervision`. Expects each import committed.
    static func province(seed: UInt64, rows: Int, supervision: Bool = false) throws -> TestRegistry {
        let t = try TestRegistry(unit: "79")
        let data = try SyntheticData(seed: seed, rows: rows, provinces: [UnitCode("79")!], today: now.date)
        let files = try data.write(toDirectory: t.directory.appendingPathComponent("data").path)
        let importer = Importer(registry: t.registry, factory: t.factory)
        #expect(try importer.importWanted(path: files.wantedFile).committed)
        #expect(try importer.importReleases(path: files.releasesFile).committed)
        if supervision { #expect(try importer.importSupervision(path: files.supervisionFile).committed) }
        return t
    }

    /// Every event of the log, in order.
    func log() throws -> [Event] {
        try registry.database.read { db in
            try Row.fetchAll(db, sql: "SELECT \(EventCoding.columns) FROM event ORDER BY seq").map {
                try EventCoding.event(from: $0)
            }
        }
    }

    /// A factory for another unit (a second station whose events reach this one by sync).
    static func factory(unit: String, now: Timestamp = TestRegistry.now) -> EventFactory {
        EventFactory(unit: UnitCode(unit)!, author: "officer of \(unit)", now: now)
    }

    /// Writes `text` to a file in the test directory and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Opens a wanted case for a new person born `birth`, first decision `D-1` on `opened`.
    mutating func wanted(
        _ ref: String = "TN-1", opened: String, birth: String? = "1980", unit: String? = nil,
        name: String = "Nguyễn Văn A"
    ) throws -> WantedCase {
        try registry.openWanted(
            person: .new(
                PersonDetails(
                    fullName: name, birthDate: birth.flatMap(BirthDate.init), sex: .male,
                    nationalID: nil)),
            caseRef: ref, ownerUnit: UnitCode(unit ?? registry.unit.rawValue)!, danger: .ordinary, abroad: false,
            decision: Decision(number: "D-1", issuedBy: "PC02", offense: "Điều 173"), decisionDate: LocalDate(opened)!,
            factory: &factory)
    }

    /// Registers a release case for a new person born in 1980.
    mutating func release(
        _ ref: String = "DX-1", type: ReleaseType = .amnesty, on released: String, probation: String? = nil
    ) throws -> ReleaseCase {
        try registry.registerRelease(
            person: .new(PersonDetails(fullName: "Trần Thị B", birthDate: .year(1980), sex: .female, nationalID: nil)),
            caseRef: ref, unit: registry.unit, type: type, releasedOn: LocalDate(released)!,
            facility: "Trại giam Chí Hòa",
            offense: "Điều 168", probationUntil: probation.flatMap(LocalDate.init), factory: &factory)
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

func day(_ text: String) -> LocalDate { LocalDate(text)! }
