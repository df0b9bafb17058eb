import Foundation

/// What identifies the event at one position of the log: its sequence number, its id, and the random number drawn
/// when the central server stored it (nil for events stored before such numbers were drawn).
public struct LogPosition: Sendable, Equatable {
    public var sequence: Int64
    public var id: UUID
    public var nonce: Int64?
}
