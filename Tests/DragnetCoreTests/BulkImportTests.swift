import Foundation
import GRDB
import Testing

@testable import DragnetCore

/// The import and a push are judged by the checker in memory (`Batch`) and write each record's projection once. These
/// tests hold them to the results of folding the log: the projections they write are what `rebuild` derives, and the
/// rules that need the case's earlier rows still refuse a row, naming it, with nothing written.
@Suite struct BulkImportTests {
    /// Every derived table, as sorted rows of text, to compare two states of a registry.
    static func projections(_ registry: Registry) throws -> [String: [String]] {
        try registry.database.read { db in
            var tables: [String: [String]] = [:]
            for table in [
                "person", "wanted_case", "wanted_decision", "release_case", "release_transfer", "anomaly",
                "person_link", "release_visibility",
            ] {
                tables[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map { row in
                    row.databaseValues.map { $0.description }.joined(separator: "|")
                }.sorted()
            }
            return tables
        }
    }

    @Test func theProjectionsAnImportWritesAreTheFoldOfItsLog() throws {
        let t = try TestRegistry.province(seed: 7, rows: 600)
        let imported = try Self.projections(t.registry)
        #expect((imported["wanted_decision"]?.count ?? 0) > (imported["wanted_case"]?.count ?? 0), "several decisions")
        try t.registry.rebuildProjections()
        let rebuilt = try Self.projections(t.registry)
        for table in imported.keys.sorted() {
            #expect(imported[table] == rebuilt[table], "\(table) as imported and as rebuilt from the log")
        }
    }

    /// A station's whole log pushed to a central registry in batches of 500 (several batches, so that later ones are
    /// judged against what earlier ones stored), the way `POST /v1/events` receives it: every event is created, and
    /// the central projections are the fold of its log — the same rows `rebuild` derives, and the same rows as the
    /// station's own.
    @Test func aPushOfAWholeStationWritesTheFoldOfItsLog() throws {
        let station = try TestRegistry.province(seed: 11, rows: 600)
        let log = try station.log()
        let central = try TestRegistry(unit: "79", role: .central)
        var created = 0
        let size = 500
        for start in stride(from: 0, to: log.count, by: size) {
            let batch = Array(log[start..<min(start + size, log.count)])
            for outcome in try central.registry.receive(batch, policy: .central(now: TestRegistry.now)) {
                if case .created = outcome { created += 1 } else { Issue.record("not created: \(outcome)") }
            }
        }
        #expect(created == log.count)
        let pushed = try Self.projections(central.registry)
        #expect(pushed == (try Self.projections(station.registry)), "the central rows equal the station's")
        try central.registry.rebuildProjections()
        #expect(pushed == (try Self.projections(central.registry)), "as pushed and as rebuilt from the log")
        // The same batches again: every event is a duplicate, nothing changes.
        let again = try central.registry.receive(
            Array(log.prefix(size)), policy: .central(now: TestRegistry.now))
        #expect(again.allSatisfy { $0 == .duplicate })
    }

    /// An importer for `t` and a `wanted.csv` of `rows` under the format's header.
    static func wantedFile(_ t: TestRegistry, _ rows: String) throws -> (Importer, String) {
        let path = try t.file("w.csv", ImportColumns.wanted.joined(separator: ",") + "\n" + rows)
        return (Importer(registry: t.registry, factory: t.factory), path)
    }

    @Test func aDecisionAfterTheClosingOfThePendingCaseIsRefusedByRow() throws {
        let t = try TestRegistry()
        // Row 2 opens and closes TN-1 (closed 2020-06-01); row 3 adds a decision dated after that closing, which the
        // wanted fold refuses ("events after the closing are refused", SPEC §4). Row 4 is good on its own.
        let (importer, path) = try Self.wantedFile(
            t,
            """
            TN-1,79.26734,Lê Văn A,1980,M,,D1,2020-01-01,Điều 173,,,arrested,2020-06-01,
            TN-1,79.26734,Lê Văn A,1980,M,,D2,2020-07-01,Điều 173,,,arrested,2020-06-01,
            TN-2,79.26734,Lê Văn C,1981,M,,D1,2020-01-01,Điều 173,,,,,
            """)
        let summary = try importer.importWanted(path: path)
        #expect(!summary.committed)
        #expect(summary.problems.map(\.row) == [3])
        #expect(summary.problems.first?.value == "2020-07-01")
        let events = try t.registry.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM event") }
        #expect(events == 0, "all or nothing")
    }

    @Test func keepGoingTakesTheGoodRowsOfACaseAndLeavesTheBadOne() throws {
        let t = try TestRegistry()
        let (importer, path) = try Self.wantedFile(
            t,
            """
            TN-1,79.26734,Lê Văn A,1980,M,,D1,2020-01-01,Điều 173,,,,,
            TN-1,79.26734,Lê Văn A,1980,M,,D2,1970-01-01,Điều 173,,,,,
            TN-1,79.26734,Lê Văn A,1980,M,,D3,2020-03-01,Điều 173,,,,,
            """)
        // Row 3's decision is dated before the person's birth (1980): refused. Rows 2 and 4 make one case with D1, D3.
        let summary = try importer.importWanted(
            path: path, mode: .keepGoing(rejectFile: t.directory.appendingPathComponent("rejects.csv").path))
        #expect(summary.committed)
        #expect(summary.problems.map(\.row) == [3])
        let numbers = try t.registry.database.read { db in
            try String.fetchAll(db, sql: "SELECT number FROM wanted_decision ORDER BY number")
        }
        #expect(numbers == ["D1", "D3"])
        let logged = try t.registry.database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE kind = 'decision_added'")
        }
        #expect(logged == 1, "D3 only; D1 came with the opening")
    }
}

/// The v3 migration rebuilds five tables to drop `IN` lists from their CHECKs: nothing may be lost or renumbered,
/// and the checks must still refuse what they refused.
@Suite struct SchemaMigrationTests {
    @Test func aVersion2DatabaseKeepsItsEventsAndSequenceAndTheChecksStillHold() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dragnet-v2-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("old.sqlite").path
        // A registry as version 2 left it, with a logged case: built by a registry, then rewound to v2's schema by
        // applying the migrations up to v2 to a fresh file and copying the rows over.
        var t = try TestRegistry()
        _ = try t.wanted("TN-1", opened: "2020-01-01")
        _ = try t.registry.closeWanted(
            "79.26734/TN-1", as: .arrested, on: LocalDate("2020-02-01")!, actingUnit: nil, factory: &t.factory)
        let old = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(old, upTo: "v2-sync")
        try old.write { db in
            try db.execute(sql: "ATTACH DATABASE ? AS src", arguments: [t.registry.path])
            for table in ["station", "event", "person", "wanted_case", "wanted_decision"] {
                // The columns v2 had (later migrations add some).
                let columns = try String.fetchAll(
                    db, sql: "SELECT name FROM pragma_table_info(?, 'main')", arguments: [table]
                ).joined(separator: ", ")
                try db.execute(sql: "INSERT INTO main.\(table) (\(columns)) SELECT \(columns) FROM src.\(table)")
            }
        }
        try old.writeWithoutTransaction { db in try db.execute(sql: "DETACH DATABASE src") }
        let before = try old.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM event ORDER BY seq").map {
                Array($0.databaseValues.map(\.description))
            }
        }
        let sequence = try old.read { db in
            try Int.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'event'")
        }
        try old.close()
        #expect(before.count == 3, "person, opening, closing")

        var told: [String] = []
        let registry = try Registry.open(at: path, onUpgrade: { told.append($0) })
        // A person is told before the upgrade which migrations run, and after it that it is done.
        #expect(told.count == 2)
        #expect(told.first?.contains("v3-checks-without-in-lists, v4-derived-generation, v5-central-mark") == true)
        #expect(told.last?.hasPrefix("upgraded \(path) in ") == true)
        // Opened again, there is nothing to upgrade and nothing to tell.
        var again: [String] = []
        _ = try Registry.open(at: path, onUpgrade: { again.append($0) })
        #expect(again.isEmpty)
        try registry.database.read { db in
            let after = try Row.fetchAll(db, sql: "SELECT * FROM event ORDER BY seq").map {
                Array($0.databaseValues.map(\.description))
            }
            #expect(after == before)
            #expect(try Int.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'event'") == sequence)
            #expect(try String.fetchOne(db, sql: "SELECT closing_kind FROM wanted_case") == "arrested")
            #expect(
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name LIKE 'new_%'").isEmpty)
        }
        try registry.database.write { db in
            // The rewritten checks refuse an unknown kind, as `kind IN (…)` did.
            #expect(throws: DatabaseError.self) {
                try db.execute(
                    sql: """
                        INSERT INTO event (id, record_id, record_kind, kind, effective_date, recorded_at, unit, author,
                            data, origin)
                        VALUES ('00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000002',
                            'wanted', 'bogus', '2020-01-01', '2026-11-26T10:00:00.000Z', '79', 'x', '{}', 'local')
                        """)
            }
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "UPDATE wanted_case SET danger = 'harmless'")
            }
            // And the log is still append-only.
            #expect(throws: DatabaseError.self) { try db.execute(sql: "DELETE FROM event") }
        }
    }
}

@Suite struct UUIDTextTests {
    @Test func theHandWrittenFormsAreFoundationsAndSortLikeThem() {
        var generator = SystemRandomNumberGenerator()
        let ids = (0..<500).map { _ in UUID() } + [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))]
        for id in ids {
            #expect(id.lowercased == id.uuidString.lowercased())
            #expect(UUID(text: id.lowercased) == id && UUID(text: id.uuidString) == id)
        }
        for _ in 0..<2000 {
            let a = ids[Int.random(in: 0..<ids.count, using: &generator)]
            let b = ids[Int.random(in: 0..<ids.count, using: &generator)]
            #expect(a.sortsBefore(b) == (a.uuidString < b.uuidString))
        }
        #expect(UUID(text: "01a218ce-4692-7000-bd01-d08e20f4490") == nil, "35 characters")
        #expect(UUID(text: "01a218ce-4692-7000-bd01xd08e20f4490d") == nil, "no dash")
        #expect(UUID(text: "01a218ce-4692-7000-bd01-d08e20f4490g") == nil, "not hex")
    }
}

/// Reports "as known now" are kept per state of the log; a new event must make the next report a new one.
@Suite struct FiguresCacheTests {
    @Test func aReportIsComputedAgainAfterEveryNewEventAndWhenTheTargetsChange() throws {
        var t = try TestRegistry()
        let scope = t.registry.unit
        let year = try Period.year(2020)
        // One case opened in 2019 and still open: existing 1, captured 0.
        _ = try t.wanted("TN-1", opened: "2019-05-01")
        let first = try t.registry.figures.planReport(scope: scope, period: year, asOf: nil)
        #expect(first.wanted.existing.count == 1 && first.wanted.existing.captured == 0)
        #expect(try t.registry.figures.planReport(scope: scope, period: year, asOf: nil) == first, "served again")
        // Arrested in 2020: now captured 1 of 1.
        _ = try t.registry.closeWanted(
            "79.26734/TN-1", as: .arrested, on: LocalDate("2020-03-01")!, actingUnit: nil, factory: &t.factory)
        let second = try t.registry.figures.planReport(scope: scope, period: year, asOf: nil)
        #expect(second.wanted.existing.captured == 1)
        // A new target for the scope: the same counts, judged against 0.9 (1/1 = 1.0 meets it).
        try t.registry.figures.setTargets(
            try Targets(existingCapture: 0.9, newCapture: 0.5, reoffending: 0.15), for: scope)
        let third = try t.registry.figures.planReport(scope: scope, period: year, asOf: nil)
        #expect(third.wanted.existing.target == 0.9)
    }

    @Test func aRebuildMakesTheNextReportReadTheDerivedTablesAgain() throws {
        var t = try TestRegistry()
        let scope = t.registry.unit
        let year = try Period.year(2020)
        _ = try t.wanted("TN-1", opened: "2019-05-01")
        _ = try t.registry.closeWanted(
            "79.26734/TN-1", as: .arrested, on: LocalDate("2020-03-01")!, actingUnit: nil, factory: &t.factory)
        // A damaged projection (written behind the log's back): the case looks open, so captured is 0 of 1.
        try t.registry.database.write { db in
            try db.execute(sql: "UPDATE wanted_case SET closing_kind = NULL, closing_date = NULL, closed_by = NULL")
        }
        #expect(try t.registry.figures.planReport(scope: scope, period: year, asOf: nil).wanted.existing.captured == 0)
        // `dragnet rebuild` derives the tables from the log again, with no new event: the arrest counts again.
        try t.registry.rebuildProjections()
        #expect(try t.registry.figures.planReport(scope: scope, period: year, asOf: nil).wanted.existing.captured == 1)
    }
}

/// Merged data can hold two cases with one unit's reference (two stations registered it before either synced): the
/// later one stays in the log, out of the case table, and a pull of both must not fail on the UNIQUE constraint.
@Suite struct MergedReferenceTests {
    @Test func aPulledSecondCaseWithTheSameReferenceIsKeptInTheLogOnly() throws {
        let t = try TestRegistry(unit: "79.26734")
        var ward = TestRegistry.factory(unit: "79.26734")
        var province = TestRegistry.factory(unit: "79")
        func opening(_ factory: inout EventFactory, name: String) -> [Event] {
            let person = factory.newRecordID()
            let details = PersonDetails(fullName: name, birthDate: .year(1980), sex: .male, nationalID: nil)
            let opening = WantedOpening(
                personID: person, caseRef: "TN-9", ownerUnit: UnitCode("79.26734")!, danger: .ordinary, abroad: false,
                decision: Decision(number: "D-1", issuedBy: "", offense: "Điều 173"))
            return [
                factory.make(.personRegistered(details), record: person, kind: .person, on: LocalDate("2020-01-01")!),
                factory.make(
                    .wantedOpened(opening), record: factory.newRecordID(), kind: .wanted, on: LocalDate("2020-01-02")!),
            ]
        }
        let first = opening(&ward, name: "Lê Văn A")
        let second = opening(&province, name: "Lê Văn B")
        let outcomes = try t.registry.receive(first + second, policy: .merge)
        #expect(outcomes.allSatisfy { if case .created = $0 { return true } else { return false } })
        let (cases, projected, openings) = try t.registry.database.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM wanted_case"),
                try String.fetchOne(db, sql: "SELECT id FROM wanted_case"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE kind = 'wanted_opened'")
            )
        }
        #expect(cases == 1 && openings == 2)
        #expect(projected == first[1].recordID.lowercased, "the first case keeps the reference")
    }
}

/// What the progress lines are computed from: the bytes of the CSV read so far, and the events a push will send.
@Suite struct ProgressSourceTests {
    @Test func theReaderCountsTheBytesOfTheRecordsItHasRead() throws {
        // "a,b\r\n" is 5 bytes, "\"c,d\",e\n" 8 more, "f,g" (no line end) 3 more: 16 in all.
        let reader = CSVReader(bytes: Array("a,b\r\n\"c,d\",e\nf,g".utf8))
        #expect(reader.bytesConsumed == 0)
        _ = try reader.next()
        // A record takes its bytes and the byte that ends it: "a,b" and "\r" = 4; the "\n" left over is skipped
        // with the next record: 4 + 1 + "\"c,d\",e" (7) + "\n" (1) = 13; then "f,g" (3) = 16.
        #expect(reader.bytesConsumed == 4)
        _ = try reader.next()
        #expect(reader.bytesConsumed == 13)
        _ = try reader.next()
        #expect(reader.bytesConsumed == 16)
        #expect(try reader.next() == nil)
        #expect(reader.bytesConsumed == 16)
    }

    @Test func theOutboxCountIsWhatThePushWillSend() throws {
        var t = try TestRegistry()
        _ = try t.wanted("TN-1", opened: "2020-01-01")  // a person registered and a case opened: two events
        #expect(try t.registry.station.outboxCount() == 2)
        let first = try t.registry.station.outbox(after: 0, limit: 10)
        #expect(first.count == 2)
        try t.registry.station.recordReceipts(
            [SyncWire.PushResult(id: first[0].event.id, status: .created)], server: "http://central.test",
            now: TestRegistry.now)
        #expect(try t.registry.station.outboxCount() == 1, "the stored one is not sent again")
    }
}

/// `Database.execute(bound:_:)`, the import's way to bind values without `StatementArguments`: the values land as
/// GRDB would bind them, and SQLite's refusals come back as errors that change nothing.
@Suite struct BoundStatementTests {
    @Test func valuesAreStoredAsGRDBWouldStoreThem() throws {
        let t = try TestRegistry(unit: "79")
        let stored = try t.registry.database.write { db -> [String] in
            try db.execute(sql: "CREATE TABLE probe (t TEXT, n INTEGER, b INTEGER, o TEXT, e TEXT)")
            let none: String? = nil
            try db.execute(
                bound: "INSERT INTO probe (t, n, b, o, e) VALUES (?, ?, ?, ?, ?)", "Nguyễn Văn Ánh", 42, true, none,
                "")
            try db.execute(
                sql: "INSERT INTO probe (t, n, b, o, e) VALUES (?, ?, ?, ?, ?)",
                arguments: ["Nguyễn Văn Ánh", 42, true, none, ""])
            return try Row.fetchAll(
                db, sql: "SELECT t, typeof(t), n, typeof(n), b, typeof(b), typeof(o), e, typeof(e) FROM probe"
            ).map { $0.databaseValues.map(\.description).joined(separator: "|") }
        }
        #expect(stored.count == 2)
        #expect(stored[0] == stored[1])
        #expect(stored[0] == "\"Nguyễn Văn Ánh\"|\"text\"|42|\"integer\"|1|\"integer\"|\"null\"|\"\"|\"text\"")
    }

    @Test func aRefusedRowOrAWrongNumberOfValuesIsAnErrorAndWritesNothing() throws {
        let t = try TestRegistry(unit: "79")
        let count = try t.registry.database.write { db -> Int in
            try db.execute(sql: "CREATE TABLE probe (t TEXT NOT NULL CHECK (t <> ''), n INTEGER)")
            // A CHECK that fails: SQLite's constraint error, with its message.
            do {
                try db.execute(bound: "INSERT INTO probe (t, n) VALUES (?, ?)", "", 1)
                Issue.record("an empty text passed the CHECK")
            } catch let error as DatabaseError {
                #expect(error.resultCode == .SQLITE_CONSTRAINT)
                #expect(error.message?.contains("CHECK constraint failed") == true)
            }
            // One value for two parameters: refused before the statement runs.
            do {
                try db.execute(bound: "INSERT INTO probe (t, n) VALUES (?, ?)", "x")
                Issue.record("one value was taken for two parameters")
            } catch let error as DatabaseError {
                #expect(error.resultCode == .SQLITE_RANGE)
            }
            // The statement still works afterwards.
            try db.execute(bound: "INSERT INTO probe (t, n) VALUES (?, ?)", "x", 2)
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM probe WHERE t = 'x' AND n = 2") ?? -1
        }
        #expect(count == 1)
    }

    /// A database made before the supervision events has a log whose CHECK lists only the kinds of its time: the v6
    /// migration rebuilds the log (nothing lost or renumbered) so that it takes the new kinds, and still refuses others.
    @Test func aLogMadeBeforeSupervisionTakesTheNewKindsAfterTheUpgrade() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dragnet-v5-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("old.sqlite").path
        var t = try TestRegistry()
        _ = try t.release("TD-1", on: "2020-01-01")
        let old = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(old, upTo: "v5-central-mark")
        // The kinds a log made by version 5 lists (written out: the migrations now spell the list from `EventKind`).
        let oldKinds = [
            "person_registered", "person_amended", "wanted_opened", "decision_added", "decision_withdrawn",
            "wanted_amended", "wanted_closed", "release_registered", "transferred", "release_ended", "retracted",
        ]
        try old.write { db in
            let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'event'")!
            let start = sql.range(of: " kind TEXT NOT NULL CHECK (")!  // not record_kind's
            let end = sql.range(of: ")", range: start.upperBound..<sql.endIndex)!
            let narrowed = sql.replacingCharacters(
                in: start.upperBound..<end.lowerBound,
                with: oldKinds.map { "kind = '\($0)'" }.joined(separator: " OR "))
            try db.execute(sql: "DROP TABLE event")
            try db.execute(sql: narrowed)
            try db.execute(sql: "CREATE INDEX event_by_record ON event(record_id)")
            try db.execute(sql: "ATTACH DATABASE ? AS src", arguments: [t.registry.path])
            for table in ["station", "event", "person", "release_case"] {
                let columns = try String.fetchAll(
                    db, sql: "SELECT name FROM pragma_table_info(?, 'main')", arguments: [table]
                ).joined(separator: ", ")
                try db.execute(sql: "INSERT INTO main.\(table) (\(columns)) SELECT \(columns) FROM src.\(table)")
            }
        }
        try old.writeWithoutTransaction { db in try db.execute(sql: "DETACH DATABASE src") }
        let before = try old.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM event") }
        try old.write { db in
            // What a version-5 log refused: a contact.
            #expect(throws: DatabaseError.self) {
                try db.execute(
                    sql: """
                        INSERT INTO event (id, record_id, record_kind, kind, effective_date, recorded_at, unit, author,
                            data, origin)
                        VALUES ('00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000002',
                            'release', 'contact', '2020-01-01', '2026-11-26T10:00:00.000Z', '79', 'x', '{}', 'local')
                        """)
            }
        }
        try old.close()
        var told: [String] = []
        let registry = try Registry.open(at: path, onUpgrade: { told.append($0) })
        #expect(told.first?.contains("v6-supervision") == true)
        var factory = EventFactory(
            unit: UnitCode("79.26734")!, author: "test", now: Timestamp("2026-12-02T08:00:00.000Z")!)
        let contacted = try registry.recordContact(
            "79.26734/TD-1", kind: .homeVisit, note: nil, on: LocalDate("2020-02-01")!, factory: &factory)
        #expect(contacted.supervision.map(\.mark) == [.contact])
        let (after, logSQL) = try registry.database.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM event"),
                try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'event'")
            )
        }
        #expect(after == (before ?? 0) + 1)
        #expect(logSQL?.contains("'located'") == true)
        try registry.database.write { db in
            #expect(throws: DatabaseError.self) {
                try db.execute(
                    sql: """
                        INSERT INTO event (id, record_id, record_kind, kind, effective_date, recorded_at, unit, author,
                            data, origin)
                        VALUES ('00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000002',
                            'release', 'bogus', '2020-01-01', '2026-11-26T10:00:00.000Z', '79', 'x', '{}', 'local')
                        """)
            }
        }
    }
}

/// A pulled page is stored as it is: each record it changes is folded once, when the page is written, instead of
/// once per event (`Batch.accept(_:)`). What lands in the tables must be what a fold of the whole log gives.
@Suite struct PulledPageFoldTests {
    @Test func aPageFoldsEachRecordOnceAndEndsAsARebuildFromTheLog() throws {
        let t = try TestRegistry(unit: "79")
        var ward = TestRegistry.factory(unit: "79.26734")
        var other = TestRegistry.factory(unit: "79.26737")
        let person = ward.newRecordID()
        let wanted = ward.newRecordID()
        let details = PersonDetails(fullName: "Trần Văn C", birthDate: .year(1985), sex: .male, nationalID: nil)
        let opening = WantedOpening(
            personID: person, caseRef: "TN-77", ownerUnit: UnitCode("79.26734")!, danger: .ordinary, abroad: false,
            decision: Decision(number: "D-7", issuedBy: "", offense: "Điều 173"))
        // One page: the person, the case opened on 2020-01-02, an arrest by the ward on 2020-05-01 and a surrender
        // recorded by another unit on 2020-04-01 (two closings: a conflict, the earliest wins), all in one batch.
        let page = [
            ward.make(.personRegistered(details), record: person, kind: .person, on: day("2020-01-01")),
            ward.make(.wantedOpened(opening), record: wanted, kind: .wanted, on: day("2020-01-02")),
            ward.make(
                .wantedClosed(kind: .arrested, actingUnit: UnitCode("79.26734")!), record: wanted, kind: .wanted,
                on: day("2020-05-01")),
            other.make(
                .wantedClosed(kind: .surrendered, actingUnit: UnitCode("79.26737")!), record: wanted, kind: .wanted,
                on: day("2020-04-01")),
        ]
        let outcomes = try t.registry.receive(page, policy: .merge)
        #expect(outcomes.allSatisfy { if case .created = $0 { true } else { false } })
        func tables() throws -> [String] {
            try t.registry.database.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT 'case ' || id || ' ' || person_id || ' ' || coalesce(closing_kind, '-') || ' '
                            || coalesce(closing_date, '-') FROM wanted_case
                        UNION ALL SELECT 'person ' || id || ' ' || full_name || ' ' || birth_date FROM person
                        UNION ALL SELECT 'anomaly ' || event_id || ' ' || severity FROM anomaly
                        ORDER BY 1
                        """)
            }
        }
        let stored = try tables()
        // Worked by hand: one case closed by the surrender of 2020-04-01, one person, one conflict on the arrest.
        #expect(
            stored == [
                "anomaly \(page[2].id.lowercased) conflict",
                "case \(wanted.lowercased) \(person.lowercased) surrendered 2020-04-01",
                "person \(person.lowercased) Trần Văn C 1985",
            ])
        try t.registry.rebuildProjections()
        #expect(try tables() == stored, "the tables as a fold of the whole log gives them")
    }
    /// A page that amends a person's birth date after an event of the person's case: the case is checked against the
    /// birth date the page ends with, as a rebuild from the log checks it (folding each case at each event, with the
    /// birth date current then, kept an anomaly the rebuild does not give).
    @Test func aBirthDateAmendedLaterInThePageIsTheOneTheCaseIsCheckedAgainst() throws {
        var scene = try BirthDateScene(caseRef: "TN-78")
        // Registered born 2000-06-01; the decision of 1999-03-01 is then before the birth (an anomaly). The amendment
        // of 2020-01-01 says 1980-06-01: the decision is 19 years after it, so the case is sound.
        let page = [scene.registered(born: "2000-06-01"), scene.opened(), scene.amended(born: "1980-06-01")]
        _ = try scene.t.registry.receive(page, policy: .merge)
        let stored = try scene.tables()
        #expect(stored == ["case \(scene.wanted.lowercased) open", "person \(scene.person.lowercased) 1980-06-01"])
        try scene.t.registry.rebuildProjections()
        #expect(try scene.tables() == stored, "the tables as a fold of the whole log gives them")
    }

    /// A malformed page whose case names itself as its person: the fold asks for the case's person, which is the case
    /// being folded; it ends (the person is not a person: no birth date) instead of going round without end, and the
    /// page is refused as a whole (the case names no person, which the tables do not allow).
    @Test(.timeLimit(.minutes(1))) func aCaseNamingItselfAsItsPersonDoesNotSendTheFoldRound() throws {
        let t = try TestRegistry(unit: "79")
        var ward = TestRegistry.factory(unit: "79.26734")
        let wanted = ward.newRecordID()
        let opening = WantedOpening(
            personID: wanted, caseRef: "TN-79", ownerUnit: UnitCode("79.26734")!, danger: .ordinary, abroad: false,
            decision: Decision(number: "D-9", issuedBy: "", offense: "Điều 173"))
        let page = [ward.make(.wantedOpened(opening), record: wanted, kind: .wanted, on: day("2020-01-02"))]
        #expect(throws: (any Error).self) { try t.registry.receive(page, policy: .merge) }
        let events = try t.registry.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM event") }
        #expect(events == 0, "nothing of the refused page is stored")
    }
    /// The same amendment in a later page, the case stored by an earlier one: the stored case is folded again with the
    /// new birth date and its anomaly goes, as a rebuild from the log gives (before, only the records with events in
    /// the page were written, and the case kept the anomaly of the birth date it was stored with).
    @Test func aBirthDateAmendedInALaterPageFoldsTheStoredCasesAgain() throws {
        var scene = try BirthDateScene(caseRef: "TN-80")
        // Page 1: born 2000-06-01, a decision of 1999-03-01 — before the birth: one anomaly on the opening.
        let opening = scene.opened()
        _ = try scene.t.registry.receive([scene.registered(born: "2000-06-01"), opening], policy: .merge)
        #expect(
            try scene.tables() == [
                "anomaly \(opening.id.lowercased) invalid", "case \(scene.wanted.lowercased) open",
                "person \(scene.person.lowercased) 2000-06-01",
            ])
        // Page 2: only the amendment, born 1980-06-01: the decision is 19 years after the birth, no anomaly left.
        _ = try scene.t.registry.receive([scene.amended(born: "1980-06-01")], policy: .merge)
        let stored = try scene.tables()
        #expect(stored == ["case \(scene.wanted.lowercased) open", "person \(scene.person.lowercased) 1980-06-01"])
        try scene.t.registry.rebuildProjections()
        #expect(try scene.tables() == stored, "the tables as a fold of the whole log gives them")
    }
}

/// A ward's person and wanted case for the birth-date tests above: the person's registration and amendment, the
/// case's opening with a decision of 1999-03-01, and what the tables hold of them.
private struct BirthDateScene {
    let t: TestRegistry
    var ward: EventFactory
    let person: UUID
    let wanted: UUID
    let caseRef: String

    init(caseRef: String) throws {
        t = try TestRegistry(unit: "79")
        var ward = TestRegistry.factory(unit: "79.26734")
        person = ward.newRecordID()
        wanted = ward.newRecordID()
        self.ward = ward
        self.caseRef = caseRef
    }

    private func details(born: String) -> PersonDetails {
        PersonDetails(fullName: "Lê Văn D", birthDate: .full(day(born)), sex: .male, nationalID: nil)
    }

    mutating func registered(born: String) -> Event {
        ward.make(.personRegistered(details(born: born)), record: person, kind: .person, on: day("2019-12-01"))
    }

    mutating func amended(born: String) -> Event {
        ward.make(.personAmended(details(born: born)), record: person, kind: .person, on: day("2020-01-01"))
    }

    mutating func opened() -> Event {
        let opening = WantedOpening(
            personID: person, caseRef: caseRef, ownerUnit: UnitCode("79.26734")!, danger: .ordinary, abroad: false,
            decision: Decision(number: "D-8", issuedBy: "", offense: "Điều 173"))
        return ward.make(.wantedOpened(opening), record: wanted, kind: .wanted, on: day("1999-03-01"))
    }

    func tables() throws -> [String] {
        try t.registry.database.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT 'case ' || id || ' ' || coalesce(closing_kind, 'open') FROM wanted_case
                    UNION ALL SELECT 'person ' || id || ' ' || birth_date FROM person
                    UNION ALL SELECT 'anomaly ' || event_id || ' ' || severity FROM anomaly
                    ORDER BY 1
                    """)
        }
    }
}
