/// Persons who share one national id: possibly one person registered twice.
public struct PossibleDuplicate: Sendable, Equatable {
    public var nationalID: NationalID
    public var persons: [Person]
}
