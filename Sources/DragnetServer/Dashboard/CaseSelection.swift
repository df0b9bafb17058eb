import DragnetCore
import Foundation

/// The cases of one list behind a figure, as selected by `CaseLists`, and how they are shown and downloaded.
enum CaseSelection: Sendable {
    case wanted([CaseLists.WantedEntry], to: LocalDate)
    case released([CaseLists.ReleaseEntry])

    var count: Int {
        switch self {
        case .wanted(let entries, _): entries.count
        case .released(let entries): entries.count
        }
    }

    /// The entries in `range` only.
    func slice(_ range: Range<Int>) -> CaseSelection {
        let range = range.clamped(to: 0..<count)
        switch self {
        case .wanted(let entries, let to): return .wanted(Array(entries[range]), to: to)
        case .released(let entries): return .released(Array(entries[range]))
        }
    }

    func heads(_ l: Language) -> [String] {
        switch self {
        case .wanted:
            [Phrase.caseColumn, .nameColumn, .birthColumn, .openedColumn, .closingColumn, .closingDateColumn].map {
                $0.text(l)
            }
        case .released:
            [
                Phrase.caseColumn, .nameColumn, .birthColumn, .typeColumn, .releasedColumn, .responsibleColumn,
                .endingColumn, .endingDateColumn,
            ].map { $0.text(l) }
        }
    }

    /// The rows of a page, in the reader's language.
    func rows(_ page: CaseSelection, registry: Registry, language l: Language) async throws -> [[String]] {
        let labels = try await page.labels(registry)
        func birth(_ text: String?) -> String {
            guard let text else { return "" }
            return LocalDate(text).map { l.date($0) } ?? text
        }
        switch page {
        case .wanted(let entries, _):
            return entries.map { e in
                let label = labels[e.facts.caseID]
                let closed = e.outcome == .open ? nil : e.facts.closing
                return [
                    label?.caseName ?? e.facts.caseID.uuidString.lowercased(), label?.name ?? "", birth(label?.birth),
                    l.date(e.facts.openedOn), closed.map { Phrase.of($0.kind).text(l) } ?? Phrase.open.text(l),
                    closed.map { l.date($0.date) } ?? "",
                ]
            }
        case .released(let entries):
            return entries.map { e in
                let label = labels[e.facts.caseID]
                return [
                    label?.caseName ?? e.facts.caseID.uuidString.lowercased(), label?.name ?? "", birth(label?.birth),
                    Phrase.of(e.facts.releaseType).text(l), l.date(e.facts.releasedOn), e.unit.rawValue,
                    e.facts.ending.map { Phrase.of($0.kind).text(l) } ?? "",
                    e.facts.ending.map { l.date($0.date) } ?? "",
                ]
            }
        }
    }

    private func labels(_ registry: Registry) async throws -> [UUID: CaseLabel] {
        switch self {
        case .wanted(let entries, _):
            let ids = entries.map(\.facts.caseID)
            return try await Offload.run { try registry.figures.wantedLabels(ids) }
        case .released(let entries):
            let ids = entries.map(\.facts.caseID)
            return try await Offload.run { try registry.figures.releaseLabels(ids) }
        }
    }

    /// A text cell that a spreadsheet program would take for a formula (`=`, `+`, `-`, `@`, tab, return first) gets
    /// an apostrophe in front, so that opening the file on a headquarters computer runs nothing.
    static func cell(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    /// Every case of the list as CSV: machine spellings (codes, ISO dates), one line per case, with a byte-order mark.
    func csv(registry: Registry) async throws -> [UInt8] {
        let labels = try await self.labels(registry)
        var writer = CSVWriter(byteOrderMark: true)
        switch self {
        case .wanted(let entries, _):
            try writer.write([
                "case_id", "unit", "case_ref", "full_name", "birth_date", "opened_on", "outcome", "closing_date",
            ])
            for e in entries {
                let label = labels[e.facts.caseID]
                let closed = e.outcome == .open ? nil : e.facts.closing
                try writer.write([
                    e.facts.caseID.uuidString.lowercased(), label?.unit.rawValue ?? e.facts.ownerUnit.rawValue,
                    Self.cell(label?.ref ?? ""), Self.cell(label?.name ?? ""), label?.birth ?? "",
                    e.facts.openedOn.description,
                    e.outcome.rawValue, closed?.date.description ?? "",
                ])
            }
        case .released(let entries):
            try writer.write([
                "case_id", "unit", "case_ref", "full_name", "birth_date", "release_type", "released_on",
                "responsible_unit", "ending", "ending_date", "reoffended",
            ])
            for e in entries {
                let label = labels[e.facts.caseID]
                try writer.write([
                    e.facts.caseID.uuidString.lowercased(), label?.unit.rawValue ?? "", Self.cell(label?.ref ?? ""),
                    Self.cell(label?.name ?? ""), label?.birth ?? "", e.facts.releaseType.rawValue,
                    e.facts.releasedOn.description,
                    e.unit.rawValue, e.facts.ending?.kind.rawValue ?? "", e.facts.ending?.date.description ?? "",
                    e.reoffended ? "true" : "false",
                ])
            }
        }
        try writer.finish()
        return writer.bytes
    }
}
