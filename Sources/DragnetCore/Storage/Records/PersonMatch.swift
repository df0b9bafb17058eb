/// A person found by a search, with the cases they have.
public struct PersonMatch: Sendable, Equatable {
    public var person: Person
    /// `UNIT/CASE_REF (open|closed …)` lines for the person's wanted cases.
    public var wanted: [String]
    /// The same for release cases.
    public var releases: [String]
}
