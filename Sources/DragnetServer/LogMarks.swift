import Crypto
import DragnetCore
import Foundation

/// Marks of positions in the central log (`SyncWire.LogMark`): how a station finds out, at its next sync or at the
/// next answer of a sync, that the log it synced with is no longer the one the server holds (the database was restored from an older backup, or
/// another server answers at the address), so that it offers its events again instead of trusting old receipts.
enum LogMarks {
    /// The first 128 bits of SHA-256 over a fixed label, the sequence number, the event's id and the random number
    /// drawn when it was stored, in hex: equal for the same stored event at the same place, different for another
    /// event and for the same event stored again (after a restore), and naming no event.
    static func fingerprint(_ position: LogPosition) -> String {
        var text = "dragnet log mark\n\(position.sequence)\n\(position.id.uuidString.lowercased())"
        if let nonce = position.nonce { text += "\n\(nonce)" }
        return TokenIssuer.hex(SHA256.hash(data: Data(text.utf8)).prefix(16))
    }

    /// The mark of the newest event of the log; nil while the log is empty.
    static func head(of registry: Registry) throws -> SyncWire.LogMark? {
        try registry.central.logHead().map { .init(sequence: $0.sequence, fingerprint: fingerprint($0)) }
    }

    /// The mark of the event at `sequence`, with no fingerprint when the log has no event there.
    static func mark(at sequence: Int64, in registry: Registry) throws -> SyncWire.LogMark {
        .init(sequence: sequence, fingerprint: try registry.central.logPosition(atSequence: sequence).map(fingerprint))
    }
}
