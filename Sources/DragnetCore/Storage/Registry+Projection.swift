import Foundation
import GRDB

extension Registry {
    // The statements of the projections, made once: an import and a push run them for every record they write
    // (building the text and its column lists at every call was a few per cent of a push's time on the server).
    private static let insertAnomalySQL = """
        INSERT INTO \(AnomalyTable.tableName) (\(AnomalyTable.list(
            .recordID, .eventID, .otherEventID, .severity, .record, .field, .value, .message)))
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        """
    private static let upsertPersonSQL = """
        INSERT INTO \(PersonTable.tableName) (\(PersonTable.list(
            .id, .fullName, .searchKey, .aliasKeys, .birthDate, .sex, .nationalID, .aliases)))
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (\(PersonTable.id)) DO UPDATE SET \(PersonTable.updatedFromExcluded(
            .fullName, .searchKey, .aliasKeys, .birthDate, .sex, .nationalID, .aliases))
        """
    private static let insertWantedCaseSQL = """
        INSERT INTO \(WantedCaseTable.tableName) (\(WantedCaseTable.list(
            .id, .personID, .caseRef, .ownerUnit, .openedOn, .danger, .abroad, .closingKind, .closingDate,
            .closedBy, .releaseCase, .closingEvent)))
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (\(WantedCaseTable.list(.ownerUnit, .caseRef))) DO NOTHING
        """
    private static let insertDecisionSQL = """
        INSERT INTO \(WantedDecisionTable.tableName) (\(WantedDecisionTable.list(
            .caseID, .number, .date, .issuedBy, .offense, .withdrawnOn)))
        VALUES (?, ?, ?, ?, ?, ?)
        """
    private static let insertReleaseCaseSQL = """
        INSERT INTO \(ReleaseCaseTable.tableName) (\(ReleaseCaseTable.list(
            .id, .personID, .caseRef, .unit, .responsibleUnit, .releaseType, .releasedOn, .facility,
            .offense, .probationUntil, .endingKind, .endingDate, .endingOffense, .endingReference,
            .supervision)))
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (\(ReleaseCaseTable.list(.unit, .caseRef))) DO NOTHING
        """
    private static let insertTransferSQL = """
        INSERT INTO \(ReleaseTransferTable.tableName) (\(ReleaseTransferTable.list(
            .caseID, .position, .date, .toUnit))) VALUES (?, ?, ?, ?)
        """
    private static let insertPersonLinkSQL = """
        INSERT INTO \(PersonLinkTable.tableName) (\(PersonLinkTable.list(.personID, .caseID, .kind)))
        VALUES (?, ?, ?)
        """
    private static let insertVisibilitySQL = """
        INSERT INTO \(ReleaseVisibilityTable.tableName) (\(ReleaseVisibilityTable.list(.caseID, .unit)))
        VALUES (?, ?)
        """

    /// Folds one record's events, with the birth date of the person a case concerns as stored.
    func fold(_ events: [Event], kind: RecordKind, in db: Database) throws -> FoldedRecord {
        try Batch(stored: StoredRecords(db: db)).fold(events, kind: kind)
    }

    /// Rewrites the derived rows of one record from its folded state. `isNew`: the record had no events before, so
    /// it has no derived rows to delete. A case whose reference another case already holds (merged data from two
    /// stations: the checker refuses it otherwise) stays out of the case table; its events stay in the log.
    func project(_ folded: FoldedRecord, recordID: UUID, isNew: Bool = false, in db: Database) throws {
        let id = recordID.lowercased
        if !isNew {
            try db.execute(
                cached: "DELETE FROM \(AnomalyTable.tableName) WHERE \(AnomalyTable.recordID) = ?", arguments: [id])
        }
        for a in folded.anomalies {
            try db.execute(
                bound: Self.insertAnomalySQL,
                id, a.eventID.lowercased, a.otherEventID?.lowercased, a.severity.rawValue, a.record, a.field,
                a.value, a.message)
        }
        switch folded.state {
        case .person(let person):
            let details = person.details
            let aliases = PayloadJSON.strings(details.aliases)
            try db.execute(
                bound: Self.upsertPersonSQL,
                id, details.fullName, person.searchKey,
                details.aliases.map(PersonName.searchKey).joined(separator: "|"), details.birthDate?.description,
                details.sex?.rawValue, details.nationalID?.rawValue, aliases)
        case .wanted(let wanted):
            if !isNew {
                try db.execute(
                    cached: "DELETE FROM \(WantedCaseTable.tableName) WHERE \(WantedCaseTable.id) = ?", arguments: [id])
            }
            try relink(id, person: wanted.personID, kind: "wanted", units: [], isNew: isNew, in: db)
            try db.execute(
                bound: Self.insertWantedCaseSQL,
                id, wanted.personID.lowercased, wanted.caseRef, wanted.ownerUnit.rawValue,
                wanted.openedOn.description, wanted.danger.rawValue, wanted.abroad,
                wanted.closing?.kind.rawValue, wanted.closing?.date.description,
                wanted.closing?.actingUnit.rawValue, wanted.releaseCase?.lowercased,
                wanted.closing?.eventID.lowercased)
            // The figures' facts are the rows of the case table: none for a case left out of it.
            let inserted = db.changesCount > 0
            keptFacts.stage(.wanted(recordID, inserted ? wanted.facts : nil))
            guard inserted else { return }
            for d in wanted.decisions {
                try db.execute(
                    bound: Self.insertDecisionSQL,
                    id, d.decision.number, d.date.description, d.decision.issuedBy, d.decision.offense,
                    d.withdrawnOn?.description)
            }
        case .release(let release):
            if !isNew {
                try db.execute(
                    cached: "DELETE FROM \(ReleaseCaseTable.tableName) WHERE \(ReleaseCaseTable.id) = ?",
                    arguments: [id])
            }
            let r = release.registration
            try relink(
                id, person: r.personID, kind: "release", units: [r.unit] + release.transfers.map(\.toUnit),
                isNew: isNew, in: db)
            try db.execute(
                bound: Self.insertReleaseCaseSQL,
                id, r.personID.lowercased, r.caseRef, r.unit.rawValue, release.responsibleUnit.rawValue,
                r.releaseType.rawValue, release.releasedOn.description, r.facility, r.offense,
                r.probationUntil?.description, release.ending?.kind.rawValue, release.ending?.date.description,
                release.ending?.offense, release.ending?.reference, release.facts.marks.packed)
            let inserted = db.changesCount > 0
            keptFacts.stage(.release(recordID, inserted ? release.facts : nil))
            guard inserted else { return }
            for (position, t) in release.transfers.enumerated() {
                try db.execute(
                    bound: Self.insertTransferSQL,
                    id, position, t.date.description, t.toUnit.rawValue)
            }
        case nil:
            keptFacts.stage(.wanted(recordID, nil))
            keptFacts.stage(.release(recordID, nil))
            try relink(id, person: nil, kind: "", units: [], isNew: isNew, in: db)
            switch try String.fetchOne(
                db,
                cached:
                    "SELECT \(EventTable.recordKind) FROM \(EventTable.tableName) WHERE \(EventTable.recordID) = ? LIMIT 1",
                arguments: [id])
            {
            case "wanted":
                try db.execute(
                    cached: "DELETE FROM \(WantedCaseTable.tableName) WHERE \(WantedCaseTable.id) = ?", arguments: [id])
            case "release":
                try db.execute(
                    cached: "DELETE FROM \(ReleaseCaseTable.tableName) WHERE \(ReleaseCaseTable.id) = ?",
                    arguments: [id])
            case "person":
                try db.execute(
                    cached: "DELETE FROM \(PersonTable.tableName) WHERE \(PersonTable.id) = ?", arguments: [id])
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
            try db.execute(
                cached: "DELETE FROM \(PersonLinkTable.tableName) WHERE \(PersonLinkTable.caseID) = ?",
                arguments: [caseID])
            try db.execute(
                cached: "DELETE FROM \(ReleaseVisibilityTable.tableName) WHERE \(ReleaseVisibilityTable.caseID) = ?",
                arguments: [caseID])
        }
        if let person {
            try db.execute(
                bound: Self.insertPersonLinkSQL,
                person.lowercased, caseID, kind)
        }
        for unit in Set(units) {
            try db.execute(
                bound: Self.insertVisibilitySQL,
                caseID, unit.rawValue)
        }
    }

    /// Rebuilds every derived table from the event log, in one transaction. Returns the number of records folded.
    @discardableResult
    public func rebuildProjections() throws -> Int {
        try write { db in
            // Every record is derived again: the kept facts start afresh with this transaction (`KeptFacts`).
            keptFacts.begin(db, events: 0, reset: true)
            for table in [
                AnomalyTable.tableName, ReleaseTransferTable.tableName, ReleaseCaseTable.tableName,
                WantedDecisionTable.tableName, WantedCaseTable.tableName, PersonTable.tableName,
                PersonLinkTable.tableName, ReleaseVisibilityTable.tableName,
            ] {
                try db.execute(sql: "DELETE FROM \(table)")
            }
            try db.execute(
                sql: """
                    UPDATE \(DerivedGenerationTable.tableName)
                    SET \(DerivedGenerationTable.generation) = \(DerivedGenerationTable.generation) + 1
                    """)
            var count = 0
            // Persons first: the cases' date rules need their birth dates.
            for kind in [RecordKind.person, .wanted, .release] {
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT \(EventCoding.columns) FROM \(EventTable.tableName)
                        WHERE \(EventTable.recordKind) = ? ORDER BY \(EventTable.recordID)
                        """,
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
