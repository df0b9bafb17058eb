extension PlanReport {
    /// The CSV header: `row,unit,from,to,as_of`, then each figure's members prefixed by its name, the supervision
    /// figures last (`supervision_on`, `supervision_supervised`, then `supervision_<situation>_count` and `_share`).
    public static let csvHeader: [String] = {
        let capture = [
            "count", "captured", "arrested", "surrendered", "died", "struck_off", "open", "rate", "target", "met",
        ]
        let types = ReleaseType.allCases.flatMap { type in
            ["population", "reoffended", "rate"].map { "reoffending_\(type.rawValue)_\($0)" }
        }
        let supervision = SupervisionReport.Kind.allCases.flatMap { kind in
            ["count", "share"].map { "supervision_\(kind.rawValue)_\($0)" }
        }
        return ["row", "unit", "from", "to", "as_of"] + capture.map { "existing_" + $0 } + capture.map { "new_" + $0 }
            + ["population", "reoffended", "rate", "target", "met"].map { "reoffending_" + $0 } + types
            + ["supervision_on", "supervision_supervised"] + supervision
    }()

    /// The report as CSV for spreadsheets: a header, a first row (`row` = `scope`) for the whole scope, then one row
    /// (`row` = `unit`) per unit. Rates and shares are unrounded fractions; an absent rate, share or result is an
    /// empty field (and so is every supervision field of a report without them); results are `true`/`false`. Lines
    /// end in `\n`; no field needs quoting (codes, dates, numbers only).
    public func csv() -> String {
        var out = PlanReport.csvHeader.joined(separator: ",") + "\n"
        out += csvRow(kind: "scope", unit: scope, wanted: wanted, reoffending: reoffending, supervision: supervision)
        for row in units {
            out += csvRow(
                kind: "unit", unit: row.unit, wanted: row.wanted, reoffending: row.reoffending,
                supervision: row.supervision)
        }
        return out
    }

    private func csvRow(
        kind: String, unit: UnitCode, wanted: WantedFigures, reoffending: ReoffendingFigures,
        supervision: SupervisionReport?
    ) -> String {
        func capture(_ f: CaptureFigures) -> [String] {
            [
                "\(f.count)", "\(f.captured)", "\(f.arrested)", "\(f.surrendered)", "\(f.died)", "\(f.struckOff)",
                "\(f.open)", PlanReport.csvNumber(f.rate), "\(f.target)", f.met.map { "\($0)" } ?? "",
            ]
        }
        var fields = [kind, unit.rawValue, from.description, to.description, asOf?.description ?? ""]
        fields += capture(wanted.existing) + capture(wanted.new)
        fields += [
            "\(reoffending.population)", "\(reoffending.reoffended)", PlanReport.csvNumber(reoffending.rate),
            "\(reoffending.target)", reoffending.met.map { "\($0)" } ?? "",
        ]
        for type in ReleaseType.allCases {
            let f = reoffending.byType[type]
            fields += ["\(f.population)", "\(f.reoffended)", PlanReport.csvNumber(f.rate)]
        }
        if let s = supervision {
            fields += [s.on.description, "\(s.supervised)"]
            for kind in SupervisionReport.Kind.allCases {
                fields += ["\(s[kind].count)", PlanReport.csvNumber(s[kind].share)]
            }
        } else {
            fields += Array(repeating: "", count: 2 + 2 * SupervisionReport.Kind.allCases.count)
        }
        return fields.joined(separator: ",") + "\n"
    }

    /// A fraction in Swift's shortest round-trip form, or an empty field.
    static func csvNumber(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
}
