/// What a person reads to recognise a case in a list: its reference, the person's name and birth.
public struct CaseLabel: Sendable, Equatable {
    /// The unit that registered the case; with `ref`, the case's name (`UNIT/REF`).
    public var unit: UnitCode
    /// The case reference within its unit.
    public var ref: String
    /// The person's full name as written.
    public var name: String
    /// The person's birth date or year, as stored (`1985` or `1985-04-02`); nil when unknown.
    public var birth: String?

    /// `UNIT/REF`, as cases are named everywhere.
    public var caseName: String { "\(unit)/\(ref)" }
}
