import Foundation

/// Facts read by one lane of `FactReader`, in memory of its own that grows in place (`realloc`: a large block is
/// remapped, not copied) and is moved, not copied, into the one array of all the facts at the end (`moveAll`).
/// An `Array` that grows copies itself into fresh memory, and joining arrays copies every fact once more, retaining
/// what each holds: together about a tenth of the facts' read at a million cases.
///
/// Owns its facts until `moveAll` or `discard`; a buffer that is neither leaks them (the reader does one or the other
/// on every path).
struct FactBuffer<Fact>: @unchecked Sendable {
    private var base: UnsafeMutablePointer<Fact>?
    private(set) var count = 0
    private var capacity = 0

    /// An empty buffer with room for `capacity` facts.
    init(capacity: Int) {
        if capacity > 0 { grow(to: capacity) }
    }

    mutating func append(_ fact: Fact) {
        if count == capacity { grow(to: max(1024, capacity * 2)) }
        (base! + count).initialize(to: fact)
        count += 1
    }

    private mutating func grow(to newCapacity: Int) {
        // Swift values move bit for bit, so `realloc` may move them.
        let bytes = newCapacity * MemoryLayout<Fact>.stride
        guard let memory = realloc(base.map { UnsafeMutableRawPointer($0) }, bytes) else {
            fatalError("out of memory for \(newCapacity) facts of the figures")
        }
        base = memory.bindMemory(to: Fact.self, capacity: newCapacity)
        capacity = newCapacity
    }

    /// Frees the facts.
    mutating func discard() {
        base?.deinitialize(count: count)
        free(base)
        base = nil
        count = 0
        capacity = 0
    }

    /// Every fact of `buffers`, in their order, moved into one array; the buffers' memory is freed.
    static func moveAll(_ buffers: [FactBuffer]) -> [Fact] {
        let total = buffers.reduce(0) { $0 + $1.count }
        return [Fact](unsafeUninitializedCapacity: total) { all, initialized in
            initialized = 0
            for buffer in buffers {
                if let base = buffer.base {
                    (all.baseAddress! + initialized).moveInitialize(from: base, count: buffer.count)
                    initialized += buffer.count
                }
                free(buffer.base)
            }
        }
    }
}
