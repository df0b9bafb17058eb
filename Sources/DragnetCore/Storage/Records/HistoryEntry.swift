/// One entry of a record's history: the event and, when it was undone, the retraction that undid it.
public struct HistoryEntry: Sendable, Equatable {
    public var event: Event
    public var retractedBy: Event?
}
