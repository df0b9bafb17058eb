/// The fields of one CSV row, read by column name, collecting a problem for every field that does not parse.
struct RowFields {
    let row: Int
    private let fields: [String]
    private let index: [String: Int]
    private(set) var problems: [ImportProblem] = []

    /// `index`: each column's position in the row (`RowFields.index(columns:positions:)`, made once per file).
    init(row: Int, fields: [String], index: [String: Int]) {
        self.row = row
        self.fields = fields
        self.index = index
    }

    /// The position of each column name, from the expected columns and where the header has them.
    static func index(columns: [String], positions: [Int]) -> [String: Int] {
        var index: [String: Int] = [:]
        for (name, position) in zip(columns, positions) { index[name] = position }
        return index
    }

    /// The field, with surrounding spaces removed.
    func text(_ column: String) -> String {
        guard let i = index[column], i < fields.count else { return "" }
        return fields[i].trimmingSpaces
    }

    mutating func fail(_ column: String, _ message: String) {
        problems.append(ImportProblem(row: row, column: column, value: text(column), message: message))
    }

    /// A field parsed by `parse`; blank gives `blank` (a problem when `blank` is nil and `required`).
    mutating func parse<T>(
        _ column: String, required: Bool = false, blank: T? = nil, expected: String, _ parse: (String) -> T?
    ) -> T? {
        let value = text(column)
        if value.isEmpty {
            if required && blank == nil { fail(column, "is blank; this column is required") }
            return blank
        }
        guard let parsed = parse(value) else {
            fail(column, expected)
            return nil
        }
        return parsed
    }

    /// A calendar date `YYYY-MM-DD`.
    mutating func date(_ column: String, required: Bool) -> LocalDate? {
        parse(column, required: required, expected: LocalDate.notADate) { LocalDate($0) }
    }

    /// A value of a closed set.
    mutating func choice<T: CaseIterable & RawRepresentable>(_ column: String, _ type: T.Type, blank: T? = nil)
        -> T? where T.RawValue == String
    {
        parse(column, blank: blank, expected: "is not one of: \(T.spellings)") { T(rawValue: $0) }
    }

    /// The person columns shared by both formats.
    mutating func person() -> PersonDetails? {
        // A blank name is the rules' to refuse (`EventRules`), as for every other way a person is registered.
        let name = PersonName.normalized(text("full_name"))
        let birth = parse("birth_date", expected: "is not a birth date (YYYY-MM-DD or YYYY)") { BirthDate($0) }
        let sex = parse("sex", expected: "is not a sex (M, F, Nam, Nữ, or blank)") { Sex(input: $0) }
        let nid = parse("national_id", expected: NationalID.notANationalID) {
            NationalID($0)
        }
        if !text("birth_date").isEmpty && birth == nil { return nil }
        return PersonDetails(fullName: name, birthDate: birth, sex: sex, nationalID: nid)
    }
}
