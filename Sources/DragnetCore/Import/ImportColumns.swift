import Foundation

/// The column layouts of SPEC §6 (and of `supervision.csv`, docs/formats.md), and reading a header against them.
public enum ImportColumns {
    /// `wanted.csv`.
    public static let wanted = [
        "case_ref", "unit", "full_name", "birth_date", "sex", "national_id", "decision_no", "decision_date", "offense",
        "danger", "abroad", "closing", "closing_date", "closed_by",
    ]
    /// `releases.csv`.
    public static let releases = [
        "case_ref", "unit", "full_name", "birth_date", "sex", "national_id", "release_type", "released_on", "facility",
        "offense", "probation_until", "ending", "ending_date",
    ]
    /// `supervision.csv`: one supervision event (SPEC §10) a row, on a release case named as in `releases.csv`.
    public static let supervision = ["case_ref", "unit", "kind", "date", "officer", "contact_kind", "note"]
    /// Columns a reject file adds; an import ignores them, so a corrected reject file can be imported again.
    public static let rejectColumns = ["reject_row", "reject_reason"]

    /// The position of each expected column in `header`, or the problems with the header.
    static func positions(of header: [String], expected: [String]) -> Result<[Int], DragnetError> {
        var index: [String: Int] = [:]
        var problems: [String] = []
        for (i, raw) in header.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces)
            if index[name] != nil { problems.append("column \(name) appears twice") }
            if !expected.contains(name) && !rejectColumns.contains(name) {
                problems.append("unknown column \"\(name)\"")
            }
            index[name] = i
        }
        let missing = expected.filter { index[$0] == nil }
        if !missing.isEmpty { problems.append("missing column(s) " + missing.joined(separator: ", ")) }
        if !problems.isEmpty {
            return .failure(
                DragnetError(
                    .badInput,
                    "row 1 (the header): " + problems.joined(separator: "; ")
                        + "\nexpected columns: " + expected.joined(separator: ",")))
        }
        return .success(expected.compactMap { index[$0] })
    }
}
