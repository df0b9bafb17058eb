/// One bad row of an import file, named by row (the header is row 1), column and value.
public struct ImportProblem: Sendable, Equatable, CustomStringConvertible {
    public var row: Int
    /// The column at fault; empty when the problem is the row as a whole.
    public var column: String
    public var value: String
    public var message: String

    public init(row: Int, column: String, value: String, message: String) {
        self.row = row
        self.column = column
        self.value = value
        self.message = message
    }

    /// `row 17, column released_on: "2021-02-30" is not a date`.
    public var description: String {
        column.isEmpty
            ? "row \(row): \(message)" : "row \(row), column \(column): \"\(value)\" \(message)"
    }
}

/// What an import did.
public struct ImportSummary: Sendable, Equatable {
    /// Data rows read (the header not counted).
    public var rows = 0
    /// New persons registered.
    public var persons = 0
    /// New cases opened or registered.
    public var casesCreated = 0
    /// Events recorded, all kinds together.
    public var events = 0
    /// Rows that changed nothing because the registry already held them.
    public var unchangedRows = 0
    /// Bad rows. With all-or-nothing import, any bad row means nothing was imported.
    public var problems: [ImportProblem] = []
    /// Whether the good rows were stored.
    public var committed = false

    public init() {}
}

/// How an import treats bad rows.
public enum ImportMode: Sendable, Equatable {
    /// Any bad row imports nothing (the default).
    case allOrNothing
    /// Import the good rows; write the bad ones, with their reasons, to this reject file.
    case keepGoing(rejectFile: String)
}
