import GRDB
import GRDBSQLite

// The INSERTs of the event log and of the projections run millions of times in an import. Built through
// `StatementArguments`, each value is boxed as a `DatabaseValue` in an array, then unboxed to be bound: about a tenth
// of an import's time. `execute(bound:_:)` binds the values straight to SQLite from a parameter pack: no array, no
// boxing, one type-checked call per value.

/// A value that binds itself to a parameter of a prepared SQLite statement.
protocol SQLBindable {
    /// Binds `self` to parameter `index` (1-based) of `statement`; returns SQLite's result code.
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32
}

/// Tells SQLite to copy the bytes it is given: they only live for the call.
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

extension String: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        var text = self
        return text.withUTF8 { bytes in
            // An empty buffer may have no address; SQLite takes a NULL pointer as NULL, so give it a valid one.
            guard let base = bytes.baseAddress else { return sqlite3_bind_text(statement, index, "", 0, transient) }
            return sqlite3_bind_text(statement, index, base, Int32(bytes.count), transient)
        }
    }
}

extension Int64: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 { sqlite3_bind_int64(statement, index, self) }
}

extension Int: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        sqlite3_bind_int64(statement, index, Int64(self))
    }
}

extension Bool: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        sqlite3_bind_int64(statement, index, self ? 1 : 0)
    }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch self {
        case .some(let value): return value.bind(to: statement, at: index)
        case .none: return sqlite3_bind_null(statement, index)
        }
    }
}

extension Database {
    /// Executes `sql` (compiled once per connection, like `execute(cached:arguments:)`) with `values` bound to its
    /// parameters in order. For statements that return no rows: the hot INSERTs.
    func execute<each Value: SQLBindable>(bound sql: String, _ values: repeat each Value) throws {
        let statement = try cachedStatement(sql: sql)
        try withExtendedLifetime(statement) {
            let raw = statement.sqliteStatement
            sqlite3_reset(raw)
            var index: Int32 = 0
            var bindCode = SQLITE_OK
            for value in repeat each values {
                index += 1
                if bindCode == SQLITE_OK { bindCode = value.bind(to: raw, at: index) }
            }
            guard bindCode == SQLITE_OK, index == sqlite3_bind_parameter_count(raw) else {
                throw DatabaseError(
                    resultCode: bindCode == SQLITE_OK ? .SQLITE_RANGE : ResultCode(rawValue: bindCode),
                    message: bindCode == SQLITE_OK
                        ? "\(index) values for \(sqlite3_bind_parameter_count(raw)) parameters"
                        : String(cString: sqlite3_errmsg(sqliteConnection)),
                    sql: sql)
            }
            let code = sqlite3_step(raw)
            if code != SQLITE_DONE && code != SQLITE_ROW {
                let message = String(cString: sqlite3_errmsg(sqliteConnection))
                sqlite3_reset(raw)
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
            }
            sqlite3_reset(raw)
        }
    }
}
