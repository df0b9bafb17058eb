import Crypto
import DragnetCore
import Foundation

/// Marks of positions in the central log (`SyncWire.LogMark`): how a station finds out, at its next sync, that the
/// log it synced with is no longer the one the server holds (the database was restored from an older backup, or
/// another server answers at the address), so that it offers its events again instead of trusting old receipts.
enum LogMarks {
    /// The first 128 bits of SHA-256 over a fixed label, the sequence number and the event's id, in hex: equal for
    /// the same event at the same place, different for another event, and naming no event.
    static func fingerprint(sequence: Int64, id: UUID) -> String {
        let digest = SHA256.hash(data: Data("dragnet log mark\n\(sequence)\n\(id.uuidString.lowercased())".utf8))
        return TokenIssuer.hex(digest.prefix(16))
    }

    /// The mark of the newest event of the log; nil while the log is empty.
    static func head(of registry: Registry) throws -> SyncWire.LogMark? {
        try registry.logHead().map {
            .init(sequence: $0.sequence, fingerprint: fingerprint(sequence: $0.sequence, id: $0.id))
        }
    }

    /// The mark of the event at `sequence`, with no fingerprint when the log has no event there.
    static func mark(at sequence: Int64, in registry: Registry) throws -> SyncWire.LogMark {
        .init(
            sequence: sequence,
            fingerprint: try registry.eventID(atSequence: sequence).map { fingerprint(sequence: sequence, id: $0) })
    }
}
