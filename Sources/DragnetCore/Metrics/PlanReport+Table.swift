extension PlanReport {
    /// The report as a table for a person: percentages with one decimal, each target and whether it is met
    /// (`met`, `NOT met`, or `—` when there is nothing to divide by), then one line per unit.
    ///
    /// `observedOn` is the day the facts were observed (`as_of`'s date, else today): when the period's last day is
    /// that day or later, a line says the period is still in progress.
    public func table(observedOn: LocalDate) -> String {
        var out = "Plan figures for \(scope.scopeName), \(from) to \(to), "
        out += asOf.map { "as known at \($0)" } ?? "as known now (everything recorded)"
        out += "\n"
        if to >= observedOn {
            out +=
                "Period in progress: it ends on \(to) and was observed on \(observedOn); "
                + "the figures will still change.\n"
        }

        out += "\n"
        var wantedTable = TextTable([.left] + Array(repeating: .right, count: 9) + [.left])
        wantedTable.add([
            "Wanted persons", "Count", "Captured", "Arrested", "Surrendered", "Died", "Struck off", "Open", "Rate",
            "Target", "Result",
        ])
        for (name, figures) in [("existing", wanted.existing), ("new", wanted.new)] {
            wantedTable.add([
                "  " + name, "\(figures.count)", "\(figures.captured)", "\(figures.arrested)", "\(figures.surrendered)",
                "\(figures.died)", "\(figures.struckOff)", "\(figures.open)", Percent.text(figures.rate),
                "≥ " + Percent.text(figures.target), PlanReport.result(figures.met),
            ])
        }
        out += wantedTable.render()

        out += "\n"
        var releaseTable = TextTable([.left, .right, .right, .right, .right, .left])
        releaseTable.add(["Released persons", "Population", "Reoffended", "Rate", "Target", "Result"])
        releaseTable.add([
            "  all", "\(reoffending.population)", "\(reoffending.reoffended)", Percent.text(reoffending.rate),
            "< " + Percent.text(reoffending.target), PlanReport.result(reoffending.met),
        ])
        for type in ReleaseType.allCases {
            let figures = reoffending.byType[type]
            releaseTable.add([
                "    " + PlanReport.name(type), "\(figures.population)", "\(figures.reoffended)",
                Percent.text(figures.rate),
            ])
        }
        out += releaseTable.render()

        out += "\n"
        guard !units.isEmpty else { return out + "No unit has a counted case.\n" }
        var unitTable = TextTable(
            [.left] + Array(repeating: .right, count: 3) + [.left]
                + Array(repeating: .right, count: 3) + [.left] + Array(repeating: .right, count: 3) + [.left])
        unitTable.add([
            "By unit", "Existing", "Captured", "Rate", "Result", "New", "Captured", "Rate", "Result", "Released",
            "Reoffended", "Rate", "Result",
        ])
        var ownTargets: [String] = []
        let scopeTargets = (wanted.existing.target, wanted.new.target, reoffending.target)
        for row in units {
            let e = row.wanted.existing, n = row.wanted.new, r = row.reoffending
            unitTable.add([
                "  \(row.unit)" + (row.unit == scope ? " (own cases)" : ""),
                "\(e.count)", "\(e.captured)", Percent.text(e.rate), PlanReport.result(e.met),
                "\(n.count)", "\(n.captured)", Percent.text(n.rate), PlanReport.result(n.met),
                "\(r.population)", "\(r.reoffended)", Percent.text(r.rate), PlanReport.result(r.met),
            ])
            if (e.target, n.target, r.target) != scopeTargets {
                ownTargets.append(
                    "  \(row.unit): existing ≥ \(Percent.text(e.target)), new ≥ \(Percent.text(n.target)), "
                        + "reoffending < \(Percent.text(r.target))")
            }
        }
        out += unitTable.render()
        if !ownTargets.isEmpty {
            out += "\nUnits held to targets other than the scope's:\n" + ownTargets.joined(separator: "\n") + "\n"
        }
        return out
    }

    /// `met`, `NOT met`, or `—` when the rate has nothing to divide by.
    static func result(_ met: Bool?) -> String {
        switch met {
        case true?: "met"
        case false?: "NOT met"
        case nil: "—"
        }
    }

    /// The release type in words: `amnesty`, `early release`, `sentence completed`.
    static func name(_ type: ReleaseType) -> String {
        switch type {
        case .amnesty: "amnesty"
        case .earlyRelease: "early release"
        case .sentenceCompleted: "sentence completed"
        }
    }
}
