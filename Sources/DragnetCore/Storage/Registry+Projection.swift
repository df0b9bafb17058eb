import Foundation
import GRDB

extension Registry {
    /// Folds one record's events, with the birth date of the person a case concerns as stored.
    func fold(_ events: [Event], kind: RecordKind, in db: Database) throws -> FoldedRecord {
        try Batch(stored: StoredRecords(db: db)).fold(events, kind: kind)
    }

    /// Rewrites the derived rows of one record from its folded state. `isNew`: the record had no events before, so
    /// it has no derived rows to delete. A case whose reference another case already holds (merged data from two
    /// stations: the checker refuses it otherwise) stays out of the case table; its events stay in the log.
    func project(_ folded: FoldedRecord, recordID: UUID, isNew: Bool = false, in db: Database) throws {
        let id = recordID.lowercased
        if !isNew { try db.execute(cached: "DELETE FROM anomaly WHERE record_id = ?", arguments: [id]) }
        for a in folded.anomalies {
            try db.execute(
                bound: """
                    INSERT INTO anomaly (record_id, event_id, other_event_id, severity, record, field, value, message)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                id, a.eventID.lowercased, a.otherEventID?.lowercased, a.severity.rawValue, a.record, a.field,
                a.value, a.message)
        }
        switch folded.state {
        case .person(let person):
            let details = person.details
            let aliases = PayloadJSON.strings(details.aliases)
            try db.execute(
                bound: """
                    INSERT INTO person (id, full_name, search_key, alias_keys, birth_date, sex, national_id, aliases)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET full_name = excluded.full_name, search_key = excluded.search_key,
                        alias_keys = excluded.alias_keys, birth_date = excluded.birth_date, sex = excluded.sex,
                        national_id = excluded.national_id, aliases = excluded.aliases
                    """,
                id, details.fullName, person.searchKey,
                details.aliases.map(PersonName.searchKey).joined(separator: "|"), details.birthDate?.description,
                details.sex?.rawValue, details.nationalID?.rawValue, aliases)
        case .wanted(let wanted):
            if !isNew { try db.execute(cached: "DELETE FROM wanted_case WHERE id = ?", arguments: [id]) }
            try relink(id, person: wanted.personID, kind: "wanted", units: [], isNew: isNew, in: db)
            try db.execute(
                bound: """
                    INSERT INTO wanted_case (id, person_id, case_ref, owner_unit, opened_on, danger, abroad,
                        closing_kind, closing_date, closed_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (owner_unit, case_ref) DO NOTHING
                    """,
                id, wanted.personID.lowercased, wanted.caseRef, wanted.ownerUnit.rawValue,
                wanted.openedOn.description, wanted.danger.rawValue, wanted.abroad,
                wanted.closing?.kind.rawValue, wanted.closing?.date.description,
                wanted.closing?.actingUnit.rawValue)
            guard db.changesCount > 0 else { return }
            for d in wanted.decisions {
                try db.execute(
                    bound: """
                        INSERT INTO wanted_decision (case_id, number, date, issued_by, offense, withdrawn_on)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    id, d.decision.number, d.date.description, d.decision.issuedBy, d.decision.offense,
                    d.withdrawnOn?.description)
            }
        case .release(let release):
            if !isNew { try db.execute(cached: "DELETE FROM release_case WHERE id = ?", arguments: [id]) }
            let r = release.registration
            try relink(
                id, person: r.personID, kind: "release", units: [r.unit] + release.transfers.map(\.toUnit),
                isNew: isNew, in: db)
            try db.execute(
                bound: """
                    INSERT INTO release_case (id, person_id, case_ref, unit, responsible_unit, release_type, released_on,
                        facility, offense, probation_until, ending_kind, ending_date, ending_offense, ending_reference)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (unit, case_ref) DO NOTHING
                    """,
                id, r.personID.lowercased, r.caseRef, r.unit.rawValue, release.responsibleUnit.rawValue,
                r.releaseType.rawValue, release.releasedOn.description, r.facility, r.offense,
                r.probationUntil?.description, release.ending?.kind.rawValue, release.ending?.date.description,
                release.ending?.offense, release.ending?.reference)
            guard db.changesCount > 0 else { return }
            for (position, t) in release.transfers.enumerated() {
                try db.execute(
                    bound: "INSERT INTO release_transfer (case_id, position, date, to_unit) VALUES (?, ?, ?, ?)",
                    id, position, t.date.description, t.toUnit.rawValue)
            }
        case nil:
            try relink(id, person: nil, kind: "", units: [], isNew: isNew, in: db)
            switch try String.fetchOne(
                db, cached: "SELECT record_kind FROM event WHERE record_id = ? LIMIT 1", arguments: [id])
            {
            case "wanted": try db.execute(cached: "DELETE FROM wanted_case WHERE id = ?", arguments: [id])
            case "release": try db.execute(cached: "DELETE FROM release_case WHERE id = ?", arguments: [id])
            case "person": try db.execute(cached: "DELETE FROM person WHERE id = ?", arguments: [id])
            default: break
            }
        }
    }

    /// Rewrites who a case concerns and which units a release case is the responsibility of, from its live
    /// events (a retracted transfer or a retracted opening grants nothing); the central server's pull reads these
    /// to decide what a station may see.
    private func relink(
        _ caseID: String, person: UUID?, kind: String, units: [UnitCode], isNew: Bool, in db: Database
    ) throws {
        if !isNew {
            try db.execute(cached: "DELETE FROM person_link WHERE case_id = ?", arguments: [caseID])
            try db.execute(cached: "DELETE FROM release_visibility WHERE case_id = ?", arguments: [caseID])
        }
        if let person {
            try db.execute(
                bound: "INSERT INTO person_link (person_id, case_id, kind) VALUES (?, ?, ?)",
                person.lowercased, caseID, kind)
        }
        for unit in Set(units) {
            try db.execute(
                bound: "INSERT INTO release_visibility (case_id, unit) VALUES (?, ?)",
                caseID, unit.rawValue)
        }
    }

    /// Rebuilds every derived table from the event log, in one transaction. Returns the number of records folded.
    @discardableResult
    public func rebuildProjections() throws -> Int {
        try write { db in
            for table in [
                "anomaly", "release_transfer", "release_case", "wanted_decision", "wanted_case", "person",
                "person_link",
                "release_visibility",
            ] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            try db.execute(sql: "UPDATE derived_generation SET generation = generation + 1")
            var count = 0
            // Persons first: the cases' date rules need their birth dates.
            for kind in [RecordKind.person, .wanted, .release] {
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT \(EventCoding.columns) FROM event WHERE record_kind = ? ORDER BY record_id",
                    arguments: [kind.rawValue])
                var batch: [Event] = []
                func flush() throws {
                    guard let first = batch.first else { return }
                    try project(try fold(batch, kind: kind, in: db), recordID: first.recordID, in: db)
                    count += 1
                    batch.removeAll(keepingCapacity: true)
                }
                while let row = try rows.next() {
                    let event = try EventCoding.event(from: row)
                    if let first = batch.first, first.recordID != event.recordID { try flush() }
                    batch.append(event)
                }
                try flush()
            }
            return count
        }
    }
}
