/// What `StationState.forgetCentralLog` undid.
public struct ForgottenSync: Sendable, Equatable {
    /// Receipts of events the server had said it stored (`created` or `duplicate`); those events are offered again.
    public var receipts: Int
    /// Pull cursors reset to the start of the log.
    public var cursors: Int

    public init(receipts: Int, cursors: Int) {
        self.receipts = receipts
        self.cursors = cursors
    }
}
