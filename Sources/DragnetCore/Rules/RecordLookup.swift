import Foundation

/// How the rules find records they are not given: the one question-and-answer between the rules and wherever records
/// are kept. A `Batch` answers from the records it holds in memory and asks the database (`StoredRecords`) for the
/// rest; an import puts its own answers for the records it has just created in between (`ImportedRecords`).
///
/// Answers name records by id; a record the asker holds itself in another state is the asker's to judge, so callers
/// that hold records filter those ids out of the answers.
protocol RecordLookup {
    /// The event with this id, if one is kept.
    func event(withID id: UUID) throws -> Event?
    /// Every event of one record, in no particular order (none for a record never kept).
    func events(ofRecord id: UUID) throws -> [Event]
    /// The person with this id, if registered (nil when unknown or their registration was retracted).
    func person(_ id: UUID) throws -> PersonSummary?
    /// The wanted cases of `person` that are not closed.
    func openWantedCases(of person: UUID) throws -> [(id: UUID, reference: CaseReference)]
    /// The cases of `kind` named `reference` (more than one only in merged data).
    func cases(_ kind: RecordKind, named reference: CaseReference) throws -> [UUID]
    /// The cases of either kind that concern `person`.
    func cases(concerning person: UUID) throws -> [UUID]
}

/// What the rules need of a person they do not hold.
struct PersonSummary: Equatable {
    var birthDate: BirthDate?
}
