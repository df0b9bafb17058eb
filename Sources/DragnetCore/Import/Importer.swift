import Foundation
import GRDB

/// Imports the CSV lists of SPEC §6 into a registry, streaming, in one transaction.
///
/// Each row is judged by the same rules as an officer's command (`Registry.append`), in memory (`PendingWrites`): a
/// bad row is not taken in, so it leaves no trace; a case's events and projection are written when the import moves
/// on to another case. All or nothing by default: any bad row rolls the whole import back and
/// every bad row is listed. Importing a file again changes nothing: a case is found again by `case_ref` + `unit`, a
/// decision by its number, a closing or ending by its kind and date.
public final class Importer {
    let registry: Registry
    var factory: EventFactory
    /// The case the last rows touched and its person, judged and not yet written (see `PendingWrites`).
    let pending: PendingWrites
    /// Called every `progressInterval` rows with the number of rows read so far and the share of the file they
    /// make (by bytes; nil when the size is unknown), from which a caller can tell the time left.
    public var progress: ((_ rows: Int, _ share: Double?) -> Void)?
    /// How often `progress` is called.
    public var progressInterval = 10_000

    /// An importer that records its events as `factory`'s unit and author, at `factory`'s time.
    public init(registry: Registry, factory: EventFactory) {
        self.registry = registry
        self.factory = factory
        self.pending = PendingWrites(registry: registry)
    }

    /// What one row turned into: problems, or events to append.
    enum RowPlan {
        case problems([ImportProblem])
        case events([Event], newPersons: Int, newCases: Int)
    }

    /// Reads `path` with the `columns` layout, asks `plan` what each row means and stores it.
    func run(
        path: String, columns: [String], mode: ImportMode,
        plan: (inout RowFields, Database, inout EventFactory) throws -> RowPlan
    ) throws -> ImportSummary {
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch {
            throw DragnetError(.notFound, "cannot read \(path): \(error)")
        }
        guard let header = try reader.next() else { throw DragnetError(.badInput, "\(path) is empty: no header row") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        func share() -> Double? {
            guard let size, size > 0 else { return nil }
            return min(1, Double(reader.bytesConsumed) / Double(size))
        }
        let positions = try ImportColumns.positions(of: header.fields, expected: columns).get()
        let index = RowFields.index(columns: columns, positions: positions)
        var rejects: CSVWriter?
        // A reject file of a reject file keeps one pair of reject columns: the old ones are dropped.
        let kept = header.fields.indices.filter {
            !ImportColumns.rejectColumns.contains(header.fields[$0].trimmingCharacters(in: .whitespaces))
        }
        if case .keepGoing(let rejectPath) = mode {
            rejects = try CSVWriter(path: rejectPath)
            try rejects?.write(kept.map { header.fields[$0] } + ImportColumns.rejectColumns)
        }
        var summary = ImportSummary()
        struct Aborted: Error {}
        pending.discard()
        defer { pending.discard() }
        do {
            try registry.write { db in
                while let record = try reader.next() {
                    summary.rows += 1
                    if summary.rows % progressInterval == 0 { progress?(summary.rows, share()) }
                    let problems = try self.store(
                        record, header: header, index: index, db: db, plan: plan,
                        summary: &summary)
                    guard !problems.isEmpty else { continue }
                    summary.problems += problems
                    try rejects?.write(
                        kept.map { $0 < record.fields.count ? record.fields[$0] : "" }
                            + [String(record.row), problems.map(\.description).joined(separator: "; ")])
                }
                try self.pending.flush(in: db)
                if mode == .allOrNothing && !summary.problems.isEmpty { throw Aborted() }
            }
            summary.committed = true
        } catch is Aborted {
            summary.committed = false
        }
        try rejects?.finish()
        progress?(summary.rows, share())
        return summary
    }

    private func store(
        _ record: CSVRecord, header: CSVRecord, index: [String: Int], db: Database,
        plan: (inout RowFields, Database, inout EventFactory) throws -> RowPlan, summary: inout ImportSummary
    ) throws -> [ImportProblem] {
        if let problem = record.problem {
            return [ImportProblem(row: record.row, column: "", value: "", message: problem)]
        }
        if record.fields.count != header.fields.count {
            return [
                ImportProblem(
                    row: record.row, column: "", value: "",
                    message: "has \(record.fields.count) fields; the header has \(header.fields.count)")
            ]
        }
        var fields = RowFields(row: record.row, fields: record.fields, index: index)
        switch try plan(&fields, db, &factory) {
        case .problems(let found):
            return found
        case .events(let events, let newPersons, let newCases):
            // Records the row creates are new for certain: their ids were just made by the factory.
            let fresh = Set(events.filter(Registry.isCreation).map(\.recordID))
            // A new case's reference was found free by `existing` just before the row made the case.
            if let anomaly = try pending.take(events, fresh: fresh, referencesChecked: true, in: db) {
                return [
                    ImportProblem(
                        row: record.row, column: anomaly.field, value: anomaly.value, message: anomaly.message)
                ]
            }
            if events.isEmpty { summary.unchangedRows += 1 }
            summary.events += events.count
            summary.persons += newPersons
            summary.casesCreated += newCases
            return []
        }
    }

    /// Problems for the person columns of a row that differ from the person already registered for its case.
    static func personDifferences(
        _ row: inout RowFields, _ details: PersonDetails, registered: PersonDetails, what: String
    )
        -> [ImportProblem]
    {
        var found: [ImportProblem] = []
        func check(_ column: String, _ mine: String, _ theirs: String) {
            if mine != theirs {
                found.append(
                    ImportProblem(
                        row: row.row, column: column, value: row.text(column),
                        message: "differs from \(theirs.isEmpty ? "the blank value" : "\"\(theirs)\"") \(what)"))
            }
        }
        check("full_name", details.fullName, registered.fullName)
        check("birth_date", details.birthDate?.description ?? "", registered.birthDate?.description ?? "")
        check("sex", details.sex?.rawValue ?? "", registered.sex?.rawValue ?? "")
        check("national_id", details.nationalID?.rawValue ?? "", registered.nationalID?.rawValue ?? "")
        return found
    }

    /// The state of a case already in the registry or judged earlier in this import, found by its unit and
    /// reference. A case that is not the pending one is looked up in the database, after the pending one is written.
    func existing(table: String, unitColumn: String, unit: UnitCode, ref: String, db: Database)
        throws -> (id: UUID, state: FoldedRecord.State?, person: PersonDetails?)?
    {
        for (id, record) in pending.records {
            let personID: UUID
            switch record.folded.state {
            case .wanted(let w) where table == "wanted_case" && w.ownerUnit == unit && w.caseRef == ref:
                personID = w.personID
            case .release(let r)
            where table == "release_case" && r.registration.unit == unit && r.registration.caseRef == ref:
                personID = r.registration.personID
            default: continue
            }
            if case .person(let p) = pending.records[personID]?.folded.state {
                return (id, record.folded.state, p.details)
            }
            return (id, record.folded.state, try storedPerson(personID, db: db))
        }
        try pending.flush(in: db)
        guard
            let text = try String.fetchOne(
                db, cached: "SELECT id FROM \(table) WHERE \(unitColumn) = ? AND case_ref = ?",
                arguments: [unit.rawValue, ref]),
            let id = UUID(text: text)
        else { return nil }
        let events = try registry.events(ofRecord: id, in: db)
        let state = try registry.fold(events, kind: events.first?.recordKind ?? .wanted, in: db).state
        var personID: UUID?
        switch state {
        case .wanted(let w): personID = w.personID
        case .release(let r): personID = r.registration.personID
        default: break
        }
        return (id, state, try personID.flatMap { try storedPerson($0, db: db) })
    }

    private func storedPerson(_ id: UUID, db: Database) throws -> PersonDetails? {
        if case .person(let p) = FoldedRecord.fold(
            try registry.events(ofRecord: id, in: db), kind: .person, birth: nil
        ).state {
            return p.details
        }
        return nil
    }
}
