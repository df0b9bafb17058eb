import GRDB

// Hot paths (append, projections, import, pull) run the same few statements hundreds of thousands of times: these
// helpers compile each once per connection and reuse it, instead of parsing and authorising the SQL on every call.

extension Database {
    /// Executes `sql`, compiled once per connection.
    func execute(cached sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}

extension DatabaseValueConvertible {
    /// The first value `sql` selects, with the statement compiled once per connection.
    static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments())
        throws -> Self?
    {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    /// Every value `sql` selects, with the statement compiled once per connection.
    static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments())
        throws -> [Self]
    {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension Row {
    /// The first row `sql` selects, with the statement compiled once per connection.
    static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments())
        throws -> Row?
    {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    /// Every row `sql` selects, with the statement compiled once per connection.
    static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = StatementArguments())
        throws -> [Row]
    {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }
}
