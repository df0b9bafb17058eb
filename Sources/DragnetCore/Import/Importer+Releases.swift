import Foundation
import GRDB

extension Importer {
    /// Imports `releases.csv` (SPEC §6): one row per release case.
    public func importReleases(path: String, mode: ImportMode = .allOrNothing) throws -> ImportSummary {
        return try run(path: path, columns: ImportColumns.releases, mode: mode) { row, db, factory in
            let ref = row.text("case_ref")
            let unit = row.parse("unit", required: true, expected: "is not a unit code (like 79.26734)") {
                UnitCode($0)
            }
            let person = row.person()
            let type = row.parse("release_type", required: true, expected: "is not one of: \(ReleaseType.spellings)") {
                ReleaseType(rawValue: $0)
            }
            let releasedOn = row.date("released_on", required: true)
            let facility = row.text("facility")
            let offense = row.text("offense")
            let probation = row.date("probation_until", required: false)
            let ending = row.choice("ending", EndingKind.self)
            let endingDate = row.date("ending_date", required: false)
            if ending != nil && row.text("ending_date").isEmpty {
                row.fail("ending_date", "is blank; an ending needs its date")
            }
            if row.text("ending").isEmpty && !row.text("ending_date").isEmpty {
                row.fail("ending", "is blank but ending_date is given; name the ending kind")
            }
            guard row.problems.isEmpty, let unit, let person, let type, let releasedOn else {
                return .problems(row.problems)
            }
            var events: [Event] = []
            var newPersons = 0, newCases = 0
            let caseID: UUID
            var current: ReleaseCase?
            let registration = ReleaseRegistration(
                personID: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), caseRef: ref, unit: unit,
                releaseType: type, facility: facility, offense: offense,
                probationUntil: probation)
            if let found = try self.existing(.release, CaseReference(unit: unit, ref: ref), db: db) {
                caseID = found.id
                if case .release(let r) = found.state { current = r }
                var problems: [ImportProblem] = []
                if let registered = found.person {
                    problems += Importer.personDifferences(
                        &row, person, registered: registered, what: "for the person of \(unit)/\(ref)")
                }
                if let r = current {
                    var mine = registration
                    mine.personID = r.registration.personID
                    if mine != r.registration || releasedOn != r.releasedOn {
                        row.fail(
                            "case_ref",
                            "\(unit)/\(ref) is already registered with other release details "
                                + "(\(r.registration.releaseType.rawValue) on \(r.releasedOn) from \(r.registration.facility))"
                        )
                        problems += row.problems
                    }
                }
                if !problems.isEmpty { return .problems(problems) }
            } else {
                let personID = factory.newRecordID()
                events.append(
                    factory.make(.personRegistered(person), record: personID, kind: .person, on: factory.now.date))
                caseID = factory.newRecordID()
                var mine = registration
                mine.personID = personID
                events.append(factory.make(.releaseRegistered(mine), record: caseID, kind: .release, on: releasedOn))
                newPersons = 1
                newCases = 1
            }
            if let ending, let endingDate {
                // The same ending again is the row imported before; another one is the release fold's to refuse (a
                // case ends once).
                if current?.ending.map({ $0.kind == ending && $0.date == endingDate }) != true {
                    events.append(
                        factory.make(
                            .releaseEnded(kind: ending, offense: nil, reference: nil),
                            record: caseID, kind: .release, on: endingDate))
                }
            }
            return .events(events, newPersons: newPersons, newCases: newCases)
        }
    }
}
