/// A plain-text table for the terminal: columns padded to their widest cell, two spaces apart, trailing spaces cut.
/// Widths count characters, which is right for the digits, codes and signs (`≥`, `—`) the figures use.
struct TextTable {
    /// How a column lines up its cells.
    enum Alignment {
        case left
        case right
    }

    let alignments: [Alignment]
    private(set) var rows: [[String]] = []

    init(_ alignments: [Alignment]) { self.alignments = alignments }

    /// Adds a row; missing cells are blank.
    mutating func add(_ cells: [String]) { rows.append(cells) }

    /// The rows, one line each, every line ending in a newline.
    func render() -> String {
        var widths = [Int](repeating: 0, count: alignments.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        var out = ""
        for row in rows {
            var line = ""
            for (i, alignment) in alignments.enumerated() {
                let cell = i < row.count ? row[i] : ""
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                if i > 0 { line += "  " }
                line += alignment == .left ? cell + pad : pad + cell
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
