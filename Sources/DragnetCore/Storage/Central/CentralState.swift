import Foundation
import GRDB

/// The central server's own state beside the log: the access tokens, the positions of its log that stations keep as
/// marks, and what each scope may pull (`CentralState+Pull.swift`). Reached as `registry.central`.
public struct CentralState: Sendable {
    let registry: Registry

    /// Stores a new token's hash (64 lower-case hex digits) and returns its record; refuses what
    /// `AccessToken.check(unit:role:)` refuses.
    public func addToken(hash: String, unit: UnitCode, role: AccessToken.Role, label: String, now: Timestamp) throws
        -> AccessToken
    {
        try AccessToken.check(unit: unit, role: role)
        return try registry.write { db in
            try db.execute(
                cached: """
                    INSERT INTO \(TokenTable.tableName) (\(TokenTable.list(.hash, .unit, .role, .label, .createdAt)))
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [hash, unit.rawValue, role.rawValue, label, now.description])
            return AccessToken(
                id: db.lastInsertedRowID, unit: unit, role: role, label: label, createdAt: now,
                revokedAt: nil)
        }
    }

    /// The live (not revoked) token with this hash.
    public func token(hash: String) throws -> AccessToken? {
        try registry.read { db in try CentralState.token(hash: hash, db) }
    }

    /// The live token with this hash, read in a transaction the caller holds (the figures route reads it with the
    /// figures' settings in one read).
    static func token(hash: String, _ db: Database) throws -> AccessToken? {
        try tokens(where: "\(TokenTable.hash) = ? AND \(TokenTable.revokedAt) IS NULL", [hash], db).first
    }

    /// Every token, revoked ones included, oldest first.
    public func tokens() throws -> [AccessToken] {
        try registry.read { db in try CentralState.tokens(where: "1", [], db) }
    }

    /// Revokes a token by its id; returns whether a live token was revoked.
    public func revokeToken(id: Int64, now: Timestamp) throws -> Bool {
        try registry.write { db in
            try db.execute(
                cached: """
                    UPDATE \(TokenTable.tableName) SET \(TokenTable.revokedAt) = ?
                    WHERE \(TokenTable.id) = ? AND \(TokenTable.revokedAt) IS NULL
                    """,
                arguments: [now.description, id])
            return db.changesCount > 0
        }
    }

    private static func tokens(where condition: String, _ arguments: StatementArguments, _ db: Database) throws
        -> [AccessToken]
    {
        try Row.fetchAll(
            db,
            cached: """
                SELECT \(TokenTable.list(.id, .unit, .role, .label, .createdAt, .revokedAt))
                FROM \(TokenTable.tableName) WHERE \(condition) ORDER BY \(TokenTable.id)
                """,
            arguments: arguments
        ).compactMap { row in
            guard let unit = UnitCode(scope: row[1] as String), let role = AccessToken.Role(rawValue: row[2]),
                let created = Timestamp(row[4] as String)
            else { return nil }
            return AccessToken(
                id: row[0], unit: unit, role: role, label: row[3], createdAt: created,
                revokedAt: (row[5] as String?).flatMap(Timestamp.init))
        }
    }

    /// The newest event of the log (nil while the log is empty).
    public func logHead() throws -> LogPosition? {
        try logPosition(where: "e.\(EventTable.seq) = (SELECT max(\(EventTable.seq)) FROM \(EventTable.tableName))", [])
    }

    /// The event stored at sequence number `sequence` (nil when there is none).
    public func logPosition(atSequence sequence: Int64) throws -> LogPosition? {
        try logPosition(where: "e.\(EventTable.seq) = ?", [sequence])
    }

    /// The event's random number is that of the run of events it was stored with: the `log_nonce` row at or before
    /// it (`Registry.insert`).
    private func logPosition(where condition: String, _ arguments: StatementArguments) throws -> LogPosition? {
        try registry.read { db in
            try Row.fetchOne(
                db,
                cached: """
                    SELECT e.\(EventTable.seq), e.\(EventTable.id), (
                        SELECT n.\(LogNonceTable.nonce) FROM \(LogNonceTable.tableName) n
                        WHERE n.\(LogNonceTable.seq) <= e.\(EventTable.seq)
                        ORDER BY n.\(LogNonceTable.seq) DESC LIMIT 1)
                    FROM \(EventTable.tableName) e
                    WHERE \(condition)
                    """,
                arguments: arguments
            ).flatMap { row in
                UUID(text: row[1] as String).map { LogPosition(sequence: row[0], id: $0, nonce: row[2]) }
            }
        }
    }
}
