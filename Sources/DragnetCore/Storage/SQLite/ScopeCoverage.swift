import GRDB

/// Whether a stored unit code lies within a scope, in SQL: the one place that turns a scope into the condition
/// `(column = ? OR column GLOB ?)` and the two values bound to it.
///
/// A scope `79` binds `79` and `79.*`. The national scope `*` binds `*` twice: no stored code equals `*`, and the
/// pattern `*` matches every code. Unit codes hold no GLOB metacharacter (`*`, `?`, `[`), so a code in a pattern
/// stands for itself.
struct ScopeCoverage {
    /// The value compared with `=`: the scope's own code.
    let code: String
    /// The value compared with `GLOB`: every code below the scope.
    let pattern: String

    init(_ scope: UnitCode) {
        code = scope.rawValue
        pattern = scope.isNational ? "*" : scope.rawValue + ".*"
    }

    /// `(column = ? OR column GLOB ?)`, true for the codes the scope bound with `arguments` covers.
    static func condition(_ column: String) -> String { "(\(column) = ? OR \(column) GLOB ?)" }

    /// The code and the pattern, in the order `condition(_:)` takes them.
    var arguments: StatementArguments { [code, pattern] }

    /// A condition true for the rows where any of `columns` holds a code within `scope` (`condition(_:)` for each,
    /// joined by OR), with the values to bind to it; true for every row when there is no scope.
    static func filter(_ scope: UnitCode?, anyOf columns: String...) -> (sql: String, arguments: StatementArguments) {
        guard let scope else { return ("1", []) }
        let coverage = ScopeCoverage(scope)
        return (
            "(" + columns.map(condition).joined(separator: " OR ") + ")",
            StatementArguments(columns.flatMap { _ in [coverage.code, coverage.pattern] })
        )
    }
}
