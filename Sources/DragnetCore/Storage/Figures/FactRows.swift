import Foundation
import GRDB
import GRDBSQLite

/// Reads the rows of a query column by column from SQLite's own buffers, for the million-row reads of the figures:
/// dates, ids and unit codes are parsed from the bytes without making a `String` for each.
struct FactRows {
    /// Unit codes met so far, by their text: a registry has a few thousand units and millions of cases.
    struct Units {
        var known: [String: UnitCode] = [:]
    }

    private let statement: OpaquePointer

    /// Runs `sql` and calls `body` with each row; a SQLite error ends the read with that error.
    static func each(_ sql: String, in db: Database, _ body: (FactRows) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        // The raw pointer is finalized with `statement`: keep it alive for the whole loop.
        try withExtendedLifetime(statement) { try each(statement.sqliteStatement, sql: sql, in: db, body) }
    }

    private static func each(
        _ raw: OpaquePointer, sql: String, in db: Database, _ body: (FactRows) throws -> Void
    ) throws {
        defer { sqlite3_reset(raw) }
        while true {
            switch sqlite3_step(raw) {
            case SQLITE_ROW: try body(FactRows(statement: raw))
            case SQLITE_DONE: return
            case let code:
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code),
                    message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                    sql: sql)
            }
        }
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    /// The column's bytes (valid until the next step), or nil for NULL.
    private func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8>? {
        guard let text = sqlite3_column_text(statement, column) else { return nil }
        return UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, column)))
    }

    func text(_ column: Int32) -> String? {
        bytes(column).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A `YYYY-MM-DD` date that exists.
    func date(_ column: Int32) -> LocalDate? {
        guard let b = bytes(column), b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else {
            return nil
        }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let digit = Int(b[i]) - 48
                guard digit >= 0 && digit <= 9 else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    /// Supervision marks packed by `[SupervisionMark].packed`.
    func marks(_ column: Int32) -> [SupervisionMark]? {
        guard let b = bytes(column) else { return nil }
        return SupervisionMark.unpack(b)
    }

    func uuid(_ column: Int32) -> UUID? {
        bytes(column).flatMap { UUID(utf8: $0) }
    }

    /// A unit code, checked once per distinct code.
    func unit(_ column: Int32, _ units: inout Units) -> UnitCode? {
        guard let text = text(column) else { return nil }
        if let known = units.known[text] { return known }
        let unit = UnitCode(text)
        if let unit { units.known[text] = unit }
        return unit
    }
}
