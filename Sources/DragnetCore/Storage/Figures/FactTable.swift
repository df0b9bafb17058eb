import Foundation

/// The kept facts of one kind of case, one per case id, in no particular order. The facts are held in chunks of a
/// few thousand, so that a reader's snapshot (`chunks`) and the writer share all but the chunk a change touches: a
/// change costs a copy of one chunk and of the list of chunks, not of the million facts a reader may be holding.
struct FactTable<Fact: Sendable>: Sendable {
    static var chunkSize: Int { 4096 }

    /// The facts, chunk by chunk: a snapshot for readers (`Array` shares its storage until one side changes it).
    private(set) var chunks: [[Fact]] = []
    /// The case id of each slot, in slot order (the writer's alone, never shared).
    private var ids: [UUID] = []
    /// The slot of each case id (the writer's alone, never shared).
    private var slots: [UUID: Int] = [:]

    /// The number of facts.
    var count: Int { ids.count }

    /// A table of `facts`, the id of each given by `id`.
    init(_ facts: [Fact], id: (Fact) -> UUID) {
        ids.reserveCapacity(facts.count)
        slots.reserveCapacity(facts.count)
        chunks.reserveCapacity(facts.count / Self.chunkSize + 1)
        for fact in facts { set(id(fact), fact) }
    }

    init() {}

    private subscript(slot: Int) -> Fact {
        get { chunks[slot / Self.chunkSize][slot % Self.chunkSize] }
        set { chunks[slot / Self.chunkSize][slot % Self.chunkSize] = newValue }
    }

    /// The facts of case `id`, if kept.
    func fact(_ id: UUID) -> Fact? { slots[id].map { self[$0] } }

    /// Keeps `fact` as the facts of case `id`, or forgets the case when `fact` is nil.
    mutating func set(_ id: UUID, _ fact: Fact?) {
        switch (slots[id], fact) {
        case (let slot?, let fact?):
            self[slot] = fact
        case (nil, let fact?):
            if chunks.last.map({ $0.count == Self.chunkSize }) ?? true {
                chunks.append([])
                chunks[chunks.count - 1].reserveCapacity(Self.chunkSize)
            }
            chunks[chunks.count - 1].append(fact)
            slots[id] = ids.count
            ids.append(id)
        case (let slot?, nil):
            // The last fact moves into the freed slot.
            let last = ids.count - 1
            if slot != last {
                self[slot] = self[last]
                ids[slot] = ids[last]
                slots[ids[slot]] = slot
            }
            ids.removeLast()
            slots[id] = nil
            chunks[chunks.count - 1].removeLast()
            if chunks[chunks.count - 1].isEmpty { chunks.removeLast() }
        case (nil, nil):
            break
        }
    }

    /// Every fact in one array (the chunks of a snapshot, or the one array of the facts as read).
    static func flatten(_ chunks: [[Fact]]) -> [Fact] {
        if chunks.count == 1 { return chunks[0] }  // the facts as read, before the tables were made: shared
        var all: [Fact] = []
        all.reserveCapacity(chunks.reduce(0) { $0 + $1.count })
        for chunk in chunks { all.append(contentsOf: chunk) }
        return all
    }
}
