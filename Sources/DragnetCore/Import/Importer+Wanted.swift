import Foundation
import GRDB

extension Importer {
    /// How many cases' first closing columns the wanted import remembers (see `importWanted`).
    static let closingWindow = 100_000

    /// Imports `wanted.csv` (SPEC §6): several rows with the same `case_ref` and `unit` are several decisions of one
    /// case, and repeat the person and closing columns.
    public func importWanted(path: String, mode: ImportMode = .allOrNothing) throws -> ImportSummary {
        // The closing columns of each case's first row, to hold its other rows to them. Bounded, so that memory does
        // not grow with the file: two generations of at most `closingWindow` cases each, so at least the last
        // `closingWindow` cases are always remembered; rows of one case further apart are compared only with the
        // registry, when they name a closing.
        var closingInFile: [String: (row: Int, closing: String)] = [:]
        var closingEarlier: [String: (row: Int, closing: String)] = [:]
        return try run(path: path, columns: ImportColumns.wanted, mode: mode) { row, db, factory in
            let ref = row.text("case_ref")
            let unit = row.parse("unit", required: true, expected: "is not a unit code (like 79.26734)") {
                UnitCode($0)
            }
            let person = row.person()
            let number = row.text("decision_no")
            let decisionDate = row.date("decision_date", required: true)
            let offense = row.text("offense")
            let danger = row.choice("danger", DangerClass.self, blank: .ordinary)
            let abroad = row.parse("abroad", blank: false, expected: "is not true, false or blank") {
                ["true": true, "false": false][$0.lowercased()]
            }
            let closing = row.choice("closing", ClosingKind.self)
            let closingDate = row.date("closing_date", required: false)
            let closedBy = row.parse("closed_by", expected: "is not a unit code (like 79.26734)") { UnitCode($0) }
            if closing != nil && row.text("closing_date").isEmpty {
                row.fail("closing_date", "is blank; a closing needs its date")
            }
            if row.text("closing").isEmpty && !row.text("closing_date").isEmpty {
                row.fail("closing", "is blank but closing_date is given; name the closing kind")
            }
            guard row.problems.isEmpty, let unit, let person, let decisionDate, let danger, let abroad else {
                return .problems(row.problems)
            }
            let closingText =
                closing.map { "\($0.rawValue) \(closingDate?.description ?? "") \(closedBy ?? unit)" } ?? ""
            let key = unit.rawValue + "\u{1F}" + ref
            if let first = closingInFile[key] ?? closingEarlier[key], first.closing != closingText {
                row.fail(
                    "closing",
                    "differs from row \(first.row) of the same case; repeat the closing columns on every row")
                return .problems(row.problems)
            }
            let decision = Decision(number: number, issuedBy: "", offense: offense)
            var events: [Event] = []
            var newPersons = 0, newCases = 0
            let caseID: UUID
            var current: WantedCase?
            if let found = try self.existing(.wanted, CaseReference(unit: unit, ref: ref), db: db) {
                caseID = found.id
                if case .wanted(let w) = found.state { current = w }
                if let registered = found.person {
                    let differences = Importer.personDifferences(
                        &row, person, registered: registered, what: "for the person of \(unit)/\(ref)")
                    if !differences.isEmpty { return .problems(differences) }
                }
                // The same decision again is the row imported before; another one under the same number is the
                // wanted fold's to refuse (a decision is attached once).
                if current?.decisions.contains(where: { $0.decision.number == number && $0.date == decisionDate })
                    != true
                {
                    events.append(
                        factory.make(.decisionAdded(decision), record: caseID, kind: .wanted, on: decisionDate))
                }
            } else {
                let personID = factory.newRecordID()
                events.append(
                    factory.make(.personRegistered(person), record: personID, kind: .person, on: factory.now.date))
                caseID = factory.newRecordID()
                let opening = WantedOpening(
                    personID: personID, caseRef: ref, ownerUnit: unit, danger: danger, abroad: abroad,
                    decision: decision)
                events.append(factory.make(.wantedOpened(opening), record: caseID, kind: .wanted, on: decisionDate))
                newPersons = 1
                newCases = 1
            }
            if let closing, let closingDate {
                let acting = closedBy ?? unit
                // The same closing again is the row imported before; another one is the wanted fold's to refuse (a
                // case closes once).
                let again = current?.closing.map {
                    $0.kind == closing && $0.date == closingDate && $0.actingUnit == acting
                }
                if again != true {
                    events.append(
                        factory.make(
                            .wantedClosed(kind: closing, actingUnit: acting), record: caseID,
                            kind: .wanted, on: closingDate))
                }
            }
            if closingInFile[key] == nil && closingEarlier[key] == nil {
                if closingInFile.count >= Importer.closingWindow {
                    closingEarlier = closingInFile
                    closingInFile.removeAll(keepingCapacity: true)
                }
                closingInFile[key] = (row.row, closingText)
            }
            return .events(events, newPersons: newPersons, newCases: newCases)
        }
    }
}
