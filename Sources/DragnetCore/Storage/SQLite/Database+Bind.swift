import GRDB
import GRDBSQLite

// The INSERTs of the event log and of the projections run millions of times in an import. Built through
// `StatementArguments`, each value is boxed as a `DatabaseValue` in an array, then unboxed to be bound: about a tenth
// of an import's time. `execute(bound:_:)` binds the values straight to SQLite from a parameter pack: no array, no
// boxing. Texts are copied once into one scratch buffer for the call and bound without SQLite copying them again
// (`SQLITE_STATIC`); the bindings are cleared before the buffer goes.

/// A value that binds itself to a parameter of a prepared SQLite statement.
protocol SQLBindable {
    /// The bytes of scratch space `bind` needs (the UTF-8 of a text; 0 for numbers and NULL).
    var scratchBytes: Int { get }
    /// Binds `self` to parameter `index` (1-based) of `statement`, copying any bytes into `scratch` from `offset`
    /// on (and moving `offset` past them); returns SQLite's result code.
    func bind(to statement: OpaquePointer, at index: Int32, scratch: UnsafeMutableRawBufferPointer, offset: inout Int)
        -> Int32
}

extension SQLBindable {
    var scratchBytes: Int { 0 }
}

extension String: SQLBindable {
    var scratchBytes: Int { utf8.count }

    func bind(to statement: OpaquePointer, at index: Int32, scratch: UnsafeMutableRawBufferPointer, offset: inout Int)
        -> Int32
    {
        var text = self
        return text.withUTF8 { bytes in
            let start = offset
            if bytes.count > 0 {
                UnsafeMutableRawBufferPointer(rebasing: scratch[start..<start + bytes.count]).copyMemory(
                    from: UnsafeRawBufferPointer(bytes))
            }
            offset += bytes.count
            // nil is SQLITE_STATIC: SQLite reads the scratch bytes, which outlive the step.
            return sqlite3_bind_text(
                statement, index, scratch.baseAddress!.advanced(by: start).assumingMemoryBound(to: CChar.self),
                Int32(bytes.count), nil)
        }
    }
}

extension Int64: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32, scratch: UnsafeMutableRawBufferPointer, offset: inout Int)
        -> Int32
    { sqlite3_bind_int64(statement, index, self) }
}

extension Int: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32, scratch: UnsafeMutableRawBufferPointer, offset: inout Int)
        -> Int32
    { sqlite3_bind_int64(statement, index, Int64(self)) }
}

extension Bool: SQLBindable {
    func bind(to statement: OpaquePointer, at index: Int32, scratch: UnsafeMutableRawBufferPointer, offset: inout Int)
        -> Int32
    { sqlite3_bind_int64(statement, index, self ? 1 : 0) }
}

extension Optional: SQLBindable where Wrapped: SQLBindable {
    var scratchBytes: Int { self?.scratchBytes ?? 0 }

    func bind(to statement: OpaquePointer, at index: Int32, scratch: UnsafeMutableRawBufferPointer, offset: inout Int)
        -> Int32
    {
        switch self {
        case .some(let value): return value.bind(to: statement, at: index, scratch: scratch, offset: &offset)
        case .none: return sqlite3_bind_null(statement, index)
        }
    }
}

extension Database {
    /// Executes `sql` (compiled once per connection, like `execute(cached:arguments:)`) with `values` bound to its
    /// parameters in order. For statements that return no rows: the hot INSERTs.
    ///
    /// It steps the statement itself, so GRDB's bookkeeping around a statement does not run: no transaction
    /// observers are told (Dragnet registers none), a failed statement stays in the cache, an interrupt is not turned
    /// into `CancellationError`. Errors are `DatabaseError`s with SQLite's extended code and message, as GRDB's are
    /// (a wrong number of values is `SQLITE_RANGE` here, `SQLITE_MISUSE` there). Every caller lets an error end its
    /// transaction, which rolls back.
    func execute<each Value: SQLBindable>(bound sql: String, _ values: repeat each Value) throws {
        let statement = try cachedStatement(sql: sql)
        var size = 0
        for value in repeat each values { size += value.scratchBytes }
        try withExtendedLifetime(statement) {
            try withUnsafeTemporaryAllocation(byteCount: max(size, 1), alignment: 1) { scratch in
                let raw = statement.sqliteStatement
                sqlite3_reset(raw)
                // No binding may point into `scratch` once it is gone, whatever happens below.
                defer {
                    sqlite3_reset(raw)
                    sqlite3_clear_bindings(raw)
                }
                var index: Int32 = 0
                var offset = 0
                var bindCode = SQLITE_OK
                for value in repeat each values {
                    index += 1
                    if bindCode == SQLITE_OK {
                        bindCode = value.bind(to: raw, at: index, scratch: scratch, offset: &offset)
                    }
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
                    throw DatabaseError(
                        resultCode: ResultCode(rawValue: code),
                        message: String(cString: sqlite3_errmsg(sqliteConnection)),
                        sql: sql)
                }
            }
        }
    }
}
