import Foundation
import GRDB

extension Registry {
    /// The facts the figures need, for every wanted and release case, as known now or as known at `asOf`
    /// (events recorded after it are left out and every record is folded again from the log).
    public func facts(asOf: Timestamp?) throws -> (wanted: [WantedFacts], releases: [ReleaseFacts]) {
        guard let asOf else { return try currentFacts() }
        return try read { db in
            var wanted: [WantedFacts] = []
            var releases: [ReleaseFacts] = []
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT \(EventCoding.columns) FROM event
                    WHERE record_kind IN ('wanted', 'release') AND recorded_at <= ?
                    ORDER BY record_id
                    """, arguments: [asOf.description])
            var batch: [Event] = []
            func flush() {
                guard let first = batch.first else { return }
                switch FoldedRecord.fold(batch, kind: first.recordKind, birth: nil).state {
                case .wanted(let w): wanted.append(w.facts)
                case .release(let r): releases.append(r.facts)
                default: break
                }
                batch.removeAll(keepingCapacity: true)
            }
            while let row = try rows.next() {
                let event = try EventCoding.event(from: row)
                if let first = batch.first, first.recordID != event.recordID { flush() }
                batch.append(event)
            }
            flush()
            return (wanted, releases)
        }
    }

    /// The facts from the derived tables, which always hold the fold of the whole log.
    private func currentFacts() throws -> (wanted: [WantedFacts], releases: [ReleaseFacts]) {
        try read { db in
            var wanted: [WantedFacts] = []
            let wantedRows = try Row.fetchCursor(
                db, sql: "SELECT id, owner_unit, opened_on, closing_kind, closing_date FROM wanted_case")
            while let row = try wantedRows.next() {
                guard let id = UUID(text: row[0] as String), let unit = UnitCode(row[1] as String),
                    let opened = LocalDate(row[2] as String)
                else { throw damaged("wanted_case") }
                var closing: WantedFacts.Closing?
                if let kindText = row[3] as String? {
                    guard let kind = ClosingKind(rawValue: kindText), let date = LocalDate(row[4] as String) else {
                        throw damaged("wanted_case")
                    }
                    closing = .init(kind: kind, date: date)
                }
                wanted.append(WantedFacts(caseID: id, ownerUnit: unit, openedOn: opened, closing: closing))
            }
            var transfers: [String: [ReleaseFacts.Responsibility]] = [:]
            let transferRows = try Row.fetchCursor(
                db, sql: "SELECT case_id, date, to_unit FROM release_transfer ORDER BY case_id, position")
            while let row = try transferRows.next() {
                guard let date = LocalDate(row[1] as String), let unit = UnitCode(row[2] as String) else {
                    throw damaged("release_transfer")
                }
                transfers[row[0], default: []].append(.init(from: date, unit: unit))
            }
            var releases: [ReleaseFacts] = []
            let releaseRows = try Row.fetchCursor(
                db, sql: "SELECT id, unit, release_type, released_on, ending_kind, ending_date FROM release_case")
            while let row = try releaseRows.next() {
                let idText: String = row[0]
                guard let id = UUID(text: idText), let unit = UnitCode(row[1] as String),
                    let type = ReleaseType(rawValue: row[2]), let released = LocalDate(row[3] as String)
                else { throw damaged("release_case") }
                var ending: ReleaseFacts.Ending?
                if let kindText = row[4] as String? {
                    guard let kind = EndingKind(rawValue: kindText), let date = LocalDate(row[5] as String) else {
                        throw damaged("release_case")
                    }
                    ending = .init(kind: kind, date: date)
                }
                releases.append(
                    ReleaseFacts(
                        caseID: id, releaseType: type, releasedOn: released, responsibleUnit: unit,
                        transfers: transfers[idText] ?? [], ending: ending))
            }
            return (wanted, releases)
        }
    }

    private func damaged(_ table: String) -> DragnetError {
        DragnetError(.failure, "\(path): a row of \(table) cannot be read; run `dragnet rebuild` to derive it again")
    }
}
