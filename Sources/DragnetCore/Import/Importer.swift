import Foundation
import GRDB

/// Imports the CSV lists of SPEC §6 into a registry, streaming, in one transaction.
///
/// Each row's events are judged by the one checker (`Checker`, policy `.strict`, as an officer's command is), which
/// holds them in memory: a bad row is not taken in, so it leaves no trace; what was accepted is written (log, then
/// projections) when the import moves on to a case it does not hold. All or nothing by default: any bad row rolls the whole import back and
/// every bad row is listed. Importing a file again changes nothing: a case is found again by `case_ref` + `unit`, a
/// decision by its number, a closing or ending by its kind and date.
public final class Importer {
    let registry: Registry
    var factory: EventFactory
    /// The judge of this run's rows, holding the cases the last rows touched and their persons until they are
    /// written (set while a file is imported).
    private(set) var checker: Checker?
    /// What the checker asks the database through, with the import's own answers for what it just created.
    private(set) var lookup: ImportedRecords?
    /// Called every `progressInterval` rows with the number of rows read so far and the share of the file they
    /// make (by bytes; nil when the size is unknown), from which a caller can tell the time left.
    public var progress: ((_ rows: Int, _ share: Double?) -> Void)?
    /// How often `progress` is called.
    public var progressInterval = 10_000

    /// An importer that records its events as `factory`'s unit and author, at `factory`'s time.
    public init(registry: Registry, factory: EventFactory) {
        self.registry = registry
        self.factory = factory
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
        defer { (checker, lookup) = (nil, nil) }
        do {
            try registry.write { db in
                let lookup = ImportedRecords(stored: StoredRecords(db: db))
                (self.lookup, self.checker) = (lookup, Checker(policy: .strict, stored: lookup))
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
                try self.flush(in: db)
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
            lookup?.created.formUnion(events.lazy.filter(\.kind.isCreation).map(\.recordID))
            if let anomaly = try checker?.judgeAll(events) {
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

    /// The state of a case already in the registry or judged earlier in this import, found by its name, with its
    /// person's details. A case the checker does not hold is looked up in the database after what it holds is written
    /// (so memory holds one stretch of the file at a time).
    func existing(_ kind: RecordKind, _ reference: CaseReference, db: Database)
        throws -> (id: UUID, state: FoldedRecord.State?, person: PersonDetails?)?
    {
        guard let checker, let lookup else { return nil }
        let id: UUID
        if let held = try checker.batch.held(kind, named: reference).first {
            id = held
        } else {
            try flush(in: db)
            guard let stored = try lookup.stored.cases(kind, named: reference).first else {
                lookup.free.insert(reference)
                return nil
            }
            id = stored
        }
        let state = try checker.batch.record(id, kind: kind).folded.state
        guard let personID = state?.personID,
            case .person(let person)? = try checker.batch.record(personID, kind: .person).folded.state
        else { return (id, state, nil) }
        return (id, state, person.details)
    }

    /// Writes what the checker accepted so far.
    private func flush(in db: Database) throws {
        guard let checker, let lookup else { return }
        try registry.store(checker.batch, origin: "local", in: db)
        lookup.forget()
    }
}

/// The checker's window on the database during an import: the database's answers, except for records the import
/// has just created (their ids are new from this run's `EventFactory`, so nothing is stored about them) and case names
/// the importer has just found free — no need to ask the database again. Every event an import makes has a new id,
/// so no event is looked up by id (the log's UNIQUE id would still refuse a clash).
final class ImportedRecords: RecordLookup {
    let stored: StoredRecords
    /// Records created by rows judged since the last write.
    var created: Set<UUID> = []
    /// Case names found free in the database since the last write.
    var free: Set<CaseReference> = []

    init(stored: StoredRecords) {
        self.stored = stored
    }

    /// Forgets what it knew: the checker's records were written.
    func forget() {
        created.removeAll(keepingCapacity: true)
        free.removeAll(keepingCapacity: true)
    }

    func event(withID id: UUID) throws -> Event? { nil }

    func events(ofRecord id: UUID) throws -> [Event] {
        created.contains(id) ? [] : try stored.events(ofRecord: id)
    }

    func person(_ id: UUID) throws -> PersonSummary? {
        created.contains(id) ? nil : try stored.person(id)
    }

    func openWantedCases(of person: UUID) throws -> [(id: UUID, reference: CaseReference)] {
        created.contains(person) ? [] : try stored.openWantedCases(of: person)
    }

    func cases(_ kind: RecordKind, named reference: CaseReference) throws -> [UUID] {
        free.contains(reference) ? [] : try stored.cases(kind, named: reference)
    }

    func cases(concerning person: UUID) throws -> [UUID] {
        created.contains(person) ? [] : try stored.cases(concerning: person)
    }
}
