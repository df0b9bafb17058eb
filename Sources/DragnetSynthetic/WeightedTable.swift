/// A list to draw from with given weights, in O(log n) a draw.
struct WeightedTable<Element: Sendable>: Sendable {
    private let items: [Element]
    private let cumulative: [Double]

    /// A table of `(element, weight)` pairs; weights must be positive and the list not empty.
    init(_ pairs: [(Element, Double)]) {
        items = pairs.map(\.0)
        var total = 0.0
        cumulative = pairs.map { pair in
            total += pair.1
            return total
        }
    }

    /// The elements, in the order given.
    var elements: [Element] { items }

    /// An element drawn with probability proportional to its weight.
    func draw(_ random: inout SyntheticRandom) -> Element {
        let target = random.unit() * (cumulative.last ?? 0)
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return items[low]
    }
}
