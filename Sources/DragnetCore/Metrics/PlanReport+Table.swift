extension PlanReport {
    /// The report as a table for a person: percentages with one decimal, each target and whether it is met
    /// (`met`, `NOT met`, or `—` when there is nothing to divide by), the supervision figures with their shares, then
    /// one line per unit (and their supervision counts); in English or, with `language: .vi`, in Vietnamese (decimal
    /// comma, dates `dd/mm/yyyy`).
    ///
    /// `observedOn` is the day the facts were observed (`as_of`'s date, else today): when the period's last day is
    /// that day or later, a line says the period is still in progress.
    public func table(observedOn: LocalDate, language: Language = .en) -> String {
        let l = language
        func percent(_ value: Double?) -> String { l.percent(value) }
        var out = Phrase.tablePlanFigures.text(
            l, ["scope": scope.scopeName(l), "from": l.date(from), "to": l.date(to)])
        out += ", "
        out += asOf.map { Phrase.tableKnownAt.text(l, ["moment": l.moment($0)]) } ?? Phrase.tableKnownNow.text(l)
        out += "\n"
        if to >= observedOn {
            out += Phrase.tableInProgress.text(l, ["to": l.date(to), "observed": l.date(observedOn)]) + "\n"
        }

        out += "\n"
        var wantedTable = TextTable([.left] + Array(repeating: .right, count: 9) + [.left])
        wantedTable.add(
            [
                Phrase.tableWanted, .count, .captured, .arrested, .surrendered, .died, .struckOff, .tableOpen, .rate,
                .target, .result,
            ].map { $0.text(l) })
        for (name, figures) in [(Phrase.tableExistingRow, wanted.existing), (.tableNewRow, wanted.new)] {
            wantedTable.add([
                "  " + name.text(l), l.number(figures.count), l.number(figures.captured), l.number(figures.arrested),
                l.number(figures.surrendered), l.number(figures.died), l.number(figures.struckOff),
                l.number(figures.open), percent(figures.rate), "≥ " + percent(figures.target),
                PlanReport.result(figures.met, l),
            ])
        }
        out += wantedTable.render()

        out += "\n"
        var releaseTable = TextTable([.left, .right, .right, .right, .right, .left])
        releaseTable.add([Phrase.tableReleased, .population, .reoffended, .rate, .target, .result].map { $0.text(l) })
        releaseTable.add([
            "  " + Phrase.tableAllRow.text(l), l.number(reoffending.population), l.number(reoffending.reoffended),
            percent(reoffending.rate), "< " + percent(reoffending.target), PlanReport.result(reoffending.met, l),
        ])
        for type in ReleaseType.allCases {
            let figures = reoffending.byType[type]
            releaseTable.add([
                "    " + Phrase.short(type).text(l), l.number(figures.population), l.number(figures.reoffended),
                percent(figures.rate),
            ])
        }
        out += releaseTable.render()
        if let supervision { out += "\n" + supervisionTable(supervision, l) }

        out += "\n"
        guard !units.isEmpty else { return out + Phrase.tableNoUnit.text(l) + "\n" }
        var unitTable = TextTable(
            [.left] + Array(repeating: .right, count: 3) + [.left]
                + Array(repeating: .right, count: 3) + [.left] + Array(repeating: .right, count: 3) + [.left])
        unitTable.add(
            [
                Phrase.tableByUnit, .tableExisting, .captured, .rate, .result, .tableNew, .captured, .rate, .result,
                .tableReleasedCount, .reoffended, .rate, .result,
            ].map { $0.text(l) })
        var ownTargets: [String] = []
        let scopeTargets = (wanted.existing.target, wanted.new.target, reoffending.target)
        for row in units {
            let e = row.wanted.existing, n = row.wanted.new, r = row.reoffending
            unitTable.add([
                "  \(row.unit)" + (row.unit == scope ? " " + Phrase.tableOwnCases.text(l) : ""),
                l.number(e.count), l.number(e.captured), percent(e.rate), PlanReport.result(e.met, l),
                l.number(n.count), l.number(n.captured), percent(n.rate), PlanReport.result(n.met, l),
                l.number(r.population), l.number(r.reoffended), percent(r.rate), PlanReport.result(r.met, l),
            ])
            if (e.target, n.target, r.target) != scopeTargets {
                ownTargets.append(
                    "  "
                        + Phrase.tableOwnTargetLine.text(
                            l,
                            [
                                "unit": row.unit.rawValue, "existing": percent(e.target), "new": percent(n.target),
                                "reoffending": percent(r.target),
                            ]))
            }
        }
        out += unitTable.render()
        if !ownTargets.isEmpty {
            out += "\n" + Phrase.tableOtherTargets.text(l) + "\n" + ownTargets.joined(separator: "\n") + "\n"
        }
        if supervision != nil { out += "\n" + supervisionUnitTable(l) }
        return out
    }

    /// The supervision figures of the scope: how many are under supervision on the day, then each situation with its
    /// count and share.
    func supervisionTable(_ s: SupervisionReport, _ l: Language) -> String {
        let head = Phrase.tableSupervision.text(l, ["day": l.date(s.on), "count": l.number(s.supervised)]) + "\n"
        var table = TextTable([.left, .right, .right])
        table.add(["", Phrase.persons.text(l), Phrase.share.text(l)])
        for kind in SupervisionReport.Kind.allCases {
            let part = s[kind]
            table.add(["  " + Phrase.of(kind).text(l), l.number(part.count), l.percent(part.share)])
        }
        return head + table.render()
    }

    /// The supervision counts of each unit row (shares are in the scope's table above).
    func supervisionUnitTable(_ l: Language) -> String {
        var table = TextTable([.left] + Array(repeating: .right, count: 1 + SupervisionReport.Kind.allCases.count))
        table.add(
            [Phrase.tableSupervisionByUnit.text(l), Phrase.tableSupervised.text(l)]
                + SupervisionReport.Kind.allCases.map { Phrase.short($0).text(l) })
        for row in units {
            guard let s = row.supervision else { continue }
            table.add(
                [
                    "  \(row.unit)" + (row.unit == scope ? " " + Phrase.tableOwnCases.text(l) : ""),
                    l.number(s.supervised),
                ]
                    + SupervisionReport.Kind.allCases.map { l.number(s[$0].count) })
        }
        return table.render()
    }

    /// `met`, `NOT met`, or `—` when the rate has nothing to divide by (in Vietnamese: `đạt`, `KHÔNG đạt`, `—`).
    static func result(_ met: Bool?, _ language: Language = .en) -> String {
        switch met {
        case true?: Phrase.tableMet.text(language)
        case false?: Phrase.tableNotMet.text(language)
        case nil: "—"
        }
    }
}
