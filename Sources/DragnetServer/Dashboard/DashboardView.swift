import DragnetCore

/// Turns the dashboard's figures into what its template shows: texts in the reader's language, links that keep the
/// period, charts with their tables. Every number shown comes from `DashboardFigures` as computed: nothing is
/// recounted here.
struct DashboardView {
    let figures: DashboardFigures
    let query: DashboardQuery
    let tokenScope: UnitCode
    let observedOn: LocalDate

    var l: Language { query.language }
    var scope: UnitCode { figures.report.scope }

    /// `Toàn quốc` / `Whole country` for `*`, `Đơn vị 79` / `Unit 79` otherwise.
    static func scopeName(_ unit: UnitCode, _ language: Language) -> String {
        unit.isNational ? Phrase.wholeCountry.text(language) : "\(Phrase.unitLabel.text(language)) \(unit.rawValue)"
    }

    /// One figure's numbers, for the scope or one unit.
    struct Numbers {
        var rate: Double?
        var ratio: Ratio
        var met: Bool?
        var target: Double
    }

    /// The three figures, in the plan's order, with what each card needs.
    struct Figure: Sendable {
        var key: String
        var title: Phrase
        var short: Phrase
        var who: Phrase
        var list: CaseLists.List
        var numeratorFilter: CaseLists.Filter
        /// The figure's numbers out of the wanted and reoffending figures of the scope or of one unit.
        var numbers: @Sendable (PlanReport.WantedFigures, PlanReport.ReoffendingFigures) -> Numbers
        var point: @Sendable (ProgressPoint) -> Ratio
        /// Whether a lower rate is better (reoffending).
        var lowerIsBetter: Bool

        func of(_ report: PlanReport) -> Numbers { numbers(report.wanted, report.reoffending) }
        func of(_ row: PlanReport.UnitFigures) -> Numbers { numbers(row.wanted, row.reoffending) }
    }

    static func capture(_ f: PlanReport.CaptureFigures) -> Numbers {
        Numbers(rate: f.rate, ratio: Ratio(f.captured, of: f.count), met: f.met, target: f.target)
    }

    static let figureList: [Figure] = [
        Figure(
            key: "existing", title: .existingCapture, short: .existingShort, who: .whoExisting, list: .existing,
            numeratorFilter: .captured, numbers: { wanted, _ in capture(wanted.existing) }, point: { $0.existing },
            lowerIsBetter: false),
        Figure(
            key: "new", title: .newCapture, short: .newShort, who: .whoNew, list: .new, numeratorFilter: .captured,
            numbers: { wanted, _ in capture(wanted.new) }, point: { $0.new }, lowerIsBetter: false),
        Figure(
            key: "reoffending", title: .reoffendingRate, short: .reoffendingShort, who: .whoReoffending,
            list: .released, numeratorFilter: .reoffended,
            numbers: { _, f in
                Numbers(rate: f.rate, ratio: Ratio(f.reoffended, of: f.population), met: f.met, target: f.target)
            }, point: { $0.reoffending }, lowerIsBetter: true),
    ]

    func targetText(_ figure: Figure, _ target: Double) -> String {
        (figure.lowerIsBetter ? Phrase.targetBelow : .targetAtLeast).text(l, ["rate": l.percent(target)])
    }

    func ratioText(_ figure: Figure, _ ratio: Ratio) -> String {
        (figure.lowerIsBetter ? Phrase.reoffendedOf : .capturedOf).text(
            l, ["numerator": l.number(ratio.part), "denominator": l.number(ratio.whole)])
    }

    func metText(_ met: Bool?) -> (String, String) {
        switch met {
        case true?: (Phrase.met.text(l), "met")
        case false?: (Phrase.notMet.text(l), "not-met")
        case nil: (Phrase.noRate.text(l), "none")
        }
    }

    func listLink(_ list: CaseLists.List, _ filter: CaseLists.Filter, unit: UnitCode? = nil) -> String {
        query.link("/dashboard/cases", unit: unit ?? scope, [("list", list.rawValue), ("outcome", filter.rawValue)])
    }

    /// The rate as the JSON writes it (shortest round-trip digits), empty when there is none.
    static func rateData(_ rate: Double?) -> String { rate.map { "\($0)" } ?? "" }

    // MARK: - The page

    func context() -> [String: Any] {
        var c: [String: Any] = [:]
        c["scope"] = scope.rawValue
        c["scopeName"] = Self.scopeName(scope, l)
        c["scopeLabel"] = Phrase.scopeLabel.text(l)
        if scope != tokenScope, let parent = parent(of: scope) {
            c["upHref"] = query.link("/dashboard", unit: parent)
        }
        c["periodText"] =
            Phrase.periodLabel.text(l) + ": "
            + Phrase.periodFromTo.text(l, ["from": l.date(figures.report.from), "to": l.date(figures.report.to)])
        c["knownText"] =
            query.asOf.map { Phrase.asKnownAt.text(l, ["moment": l.moment($0)]) } ?? Phrase.asKnownNow.text(l)
        c["inProgress"] = figures.report.to >= observedOn
        for (name, value) in query.periodItems { c["q_" + name] = value }
        c["en"] = l == .en
        c["cards"] = Self.figureList.map(card)
        c["byType"] = ReleaseType.allCases.map { type -> [String: Any] in
            let f = figures.report.reoffending.byType[type]
            return [
                "name": Phrase.of(type).text(l), "population": l.number(f.population),
                "reoffended": l.number(f.reoffended), "rate": l.percent(f.rate),
            ]
        }
        if let panel = supervision() { c["supervision"] = panel }
        c["progress"] = Self.figureList.enumerated().map { progress($1, index: $0) }
        c["progressCSV"] = query.link("/dashboard/progress.csv", unit: scope)
        c["unitRows"] = figures.report.units.map(unitRow)
        c["hasUnits"] = !figures.report.units.isEmpty
        c["unitsTitle"] = (scope.isNational ? Phrase.unitsTitleNational : .unitsTitle).text(l)
        c["unitCharts"] = Self.figureList.enumerated().map { unitChart($1, index: $0) }
        c["unitsCSV"] = query.link("/dashboard/units.csv", unit: scope)
        c["cohort"] = cohort()
        c["cohortCSV"] = query.link("/dashboard/cohort.csv", unit: scope)
        c["cohortSharesCSV"] = query.link("/dashboard/cohort-shares.csv", unit: scope)
        c["whoProgress"] = Phrase.whoProgress.text(l)
        c["whoUnits"] = Phrase.whoUnits.text(l)
        c["whoCohort"] = Phrase.whoCohort.text(l)
        return c
    }

    /// The scope one level up, while it is still within the token's scope.
    func parent(of unit: UnitCode) -> UnitCode? {
        let segments = unit.segments
        let up = segments.count <= 1 ? UnitCode.national : UnitCode(segments.dropLast().joined(separator: "."))
        guard let up, tokenScope.covers(up) else { return nil }
        return up
    }

    func card(_ figure: Figure) -> [String: Any] {
        let report = figures.report, last = figures.lastYear
        let now = figure.of(report), before = figure.of(last)
        let ratio = now.ratio, lastRatio = before.ratio
        let (metText, metClass) = metText(now.met)
        var breakdown: [[String: Any]] = []
        if figure.list == .released {
            breakdown = [
                [
                    "label": Phrase.population.text(l), "value": l.number(ratio.whole),
                    "href": listLink(.released, .all),
                ],
                [
                    "label": Phrase.reoffended.text(l), "value": l.number(ratio.part),
                    "href": listLink(.released, .reoffended),
                ],
            ]
        } else {
            let f = figure.list == .existing ? report.wanted.existing : report.wanted.new
            let rows: [(Phrase, Int, CaseLists.Filter)] = [
                (.count, f.count, .all), (.arrested, f.arrested, .arrested),
                (.surrendered, f.surrendered, .surrendered),
                (.died, f.died, .died), (.struckOff, f.struckOff, .struckOff), (.open, f.open, .open),
            ]
            breakdown = rows.map { phrase, value, filter in
                ["label": phrase.text(l), "value": l.number(value), "href": listLink(figure.list, filter)]
            }
        }
        return [
            "key": figure.key, "title": figure.title.text(l), "rateText": l.percent(now.rate),
            "rateData": Self.rateData(now.rate), "numerator": ratio.part, "denominator": ratio.whole,
            "ratioText": ratioText(figure, ratio), "list": figure.list.rawValue,
            "numeratorHref": listLink(figure.list, figure.numeratorFilter),
            "targetText": targetText(figure, now.target), "metText": metText, "metClass": metClass,
            "lastLabel": Phrase.sameTimeLastYear.text(l), "lastRateText": l.percent(before.rate),
            "lastRatioText": ratioText(figure, lastRatio),
            "lastPeriod": Phrase.periodFromTo.text(l, ["from": l.date(last.from), "to": l.date(last.to)]),
            "breakdown": breakdown, "who": figure.who.text(l),
        ]
    }

    /// The supervision panel (SPEC §10): the persons under supervision on the report's day and each situation with
    /// its count and share, beside the same day a year earlier.
    func supervision() -> [String: Any]? {
        guard let now = figures.report.supervision else { return nil }
        let before = figures.lastYear.supervision
        var rows: [[String: Any]] = [
            [
                "key": "supervised", "label": Phrase.supervisionSupervised.text(l), "count": l.number(now.supervised),
                "countData": now.supervised, "share": "", "shareData": "",
                "last": before.map { l.number($0.supervised) } ?? "—",
            ]
        ]
        for kind in PlanReport.SupervisionReport.Kind.allCases {
            let part = now[kind]
            rows.append([
                "key": kind.rawValue, "label": Phrase.of(kind).text(l), "count": l.number(part.count),
                "countData": part.count, "share": l.percent(part.share), "shareData": Self.rateData(part.share),
                "last": before.map { "\(l.number($0[kind].count)) (\(l.percent($0[kind].share)))" } ?? "—",
            ])
        }
        return [
            "on": now.on.description, "onText": Phrase.supervisionOn.text(l, ["day": l.date(now.on)]),
            "lastHead": before.map { Phrase.supervisionOn.text(l, ["day": l.date($0.on)]) } ?? "",
            "rows": rows, "who": Phrase.whoSupervision.text(l),
            "dueHref": query.link("/dashboard/due", unit: figures.report.scope, [("on", now.on.description)]),
        ]
    }

    /// The months under a chart's axis: `T7` (`Jul`) within one year; over several years with the year (`T1/21`,
    /// `Jan 21`), and only every few months so that at most 12 labels stand side by side.
    func axisLabels(_ ends: [LocalDate]) -> [String] {
        let severalYears = ends.first?.year != ends.last?.year
        let step = max(1, (ends.count + 11) / 12)
        return ends.enumerated().map { i, day in
            guard i % step == 0 else { return "" }
            let month = l.shortMonth(day.month)
            guard severalYears else { return month }
            let year = day.year % 100 < 10 ? "0\(day.year % 100)" : "\(day.year % 100)"
            return l == .vi ? "\(month)/\(year)" : "\(month) \(year)"
        }
    }

    func progress(_ figure: Figure, index: Int) -> [String: Any] {
        let points = figures.progress, lastPoints = figures.lastYearProgress
        let target = figure.of(figures.report).target
        let chart = LineChart(
            title: "\(Phrase.progressTitle.text(l)) — \(figure.short.text(l))",
            description: Phrase.progressDesc.text(
                l, ["figure": figure.title.text(l), "target": l.percent(target)]),
            labels: axisLabels(points.map(\.to)),
            series: [
                .init(name: Phrase.thisYear.text(l), values: points.map { figure.point($0).rate }, style: "this"),
                .init(
                    name: Phrase.lastYear.text(l),
                    values: points.indices.map { $0 < lastPoints.count ? figure.point(lastPoints[$0]).rate : nil },
                    style: "last"),
            ],
            target: target, targetLabel: "\(Phrase.targetLine.text(l)) \(l.percent(target))",
            formatPercent: { [l] in l.percent($0) })
        let rows = points.indices.map { i -> [String: Any] in
            let now = figure.point(points[i])
            let before = i < lastPoints.count ? figure.point(lastPoints[i]) : Ratio()
            return [
                "month": l.month(points[i].to.month, of: points[i].to.year), "to": l.date(points[i].to),
                "rate": l.percent(now.rate), "ratio": "\(l.number(now.part))/\(l.number(now.whole))",
                "lastRate": l.percent(before.rate), "lastRatio": "\(l.number(before.part))/\(l.number(before.whole))",
            ]
        }
        return [
            "key": figure.key, "title": figure.title.text(l), "svg": chart.render(id: "progress-\(figure.key)"),
            "rows": rows, "who": figure.who.text(l),
        ]
    }

    func unitRow(_ row: PlanReport.UnitFigures) -> [String: Any] {
        var cells: [[String: Any]] = []
        for figure in Self.figureList {
            let n = figure.of(row)
            let (rate, ratio, met) = (n.rate, n.ratio, n.met)
            cells.append([
                "rate": l.percent(rate), "ratio": "\(l.number(ratio.part))/\(l.number(ratio.whole))",
                "metClass": metText(met).1, "metText": metText(met).0,
            ])
        }
        let own = row.unit == scope
        var out: [String: Any] = [
            "unit": row.unit.rawValue,
            "name": own ? "\(row.unit.rawValue) (\(Phrase.ownCases.text(l)))" : row.unit.rawValue, "cells": cells,
        ]
        if !own { out["href"] = query.link("/dashboard", unit: row.unit) }
        return out
    }

    /// One bar chart per figure, units ranked best first (highest capture rate, lowest reoffending rate); units
    /// without a rate last, by code.
    func unitChart(_ figure: Figure, index: Int) -> [String: Any] {
        let ranked = figures.report.units.sorted { a, b in
            let ra = figure.of(a).rate, rb = figure.of(b).rate
            switch (ra, rb) {
            case let (x?, y?) where x != y: return figure.lowerIsBetter ? x < y : x > y
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.unit < b.unit
            }
        }
        let target = figure.of(figures.report).target
        let chart = BarChart(
            title: "\(Phrase.unitsTitle.text(l)) — \(figure.short.text(l))",
            description: Phrase.unitsDesc.text(l, ["figure": figure.title.text(l), "target": l.percent(target)]),
            bars: ranked.map { row in
                let n = figure.of(row)
                let (rate, met) = (n.rate, n.met)
                return .init(label: row.unit.rawValue, value: rate, valueText: l.percent(rate), met: met)
            }, target: target, targetLabel: l.percent(target))
        let rows = ranked.enumerated().map { i, row -> [String: Any] in
            let n = figure.of(row)
            let (rate, ratio, met, unitTarget) = (n.rate, n.ratio, n.met, n.target)
            var out: [String: Any] = [
                "rank": i + 1, "unit": row.unit.rawValue,
                "rate": l.percent(rate), "ratio": "\(l.number(ratio.part))/\(l.number(ratio.whole))",
                "target": l.percent(unitTarget), "metText": metText(met).0,
            ]
            if row.unit != scope { out["href"] = query.link("/dashboard", unit: row.unit) }
            return out
        }
        return [
            "key": figure.key, "title": figure.short.text(l), "svg": chart.render(id: "units-\(figure.key)"),
            "rows": rows,
        ]
    }

    /// The curve's points shown (at most about 60, so that chart and table stay readable): every point when there
    /// are few, else the last point of each equal stretch of days. The chart draws exactly these.
    static func sampled(_ curve: KaplanMeierCurve, limit: Int = 60) -> [KaplanMeierCurve.Point] {
        guard curve.points.count > limit, let lastDay = curve.points.last?.day else { return curve.points }
        let stretch = max(1, (lastDay + limit) / limit)
        var kept: [KaplanMeierCurve.Point] = []
        for point in curve.points {
            if let previous = kept.last, previous.day / stretch == point.day / stretch {
                kept[kept.count - 1] = point
            } else {
                kept.append(point)
            }
        }
        return kept
    }

    func cohort() -> [String: Any] {
        let report = figures.cohort
        let shown = Self.sampled(report.kaplanMeier)
        let lastDay = max(report.kaplanMeier.lastFollowUpDay ?? 0, shown.last?.day ?? 0)
        let chart = StepChart(
            title: Phrase.cohortTitle.text(l), description: Phrase.cohortDesc.text(l),
            points: shown.map { p in
                // The curve's band is on the share not yet reoffended (S); the chart shows 1 − S.
                .init(day: p.day, value: p.cumulative, lower: p.upper.map { 1 - $0 }, upper: p.lower.map { 1 - $0 })
            }, lastDay: lastDay, xLabel: Phrase.daysSinceRelease.text(l),
            formatPercent: { [l] in l.percent($0) }, formatNumber: { [l] in l.number($0) })
        let points = shown.map { p -> [String: Any] in
            [
                "day": l.number(p.day), "atRisk": l.number(p.atRisk), "share": l.percent(p.cumulative),
                "lower": l.percent(p.upper.map { 1 - $0 }), "upper": l.percent(p.lower.map { 1 - $0 }),
            ]
        }
        let rows =
            ([(Phrase.allReleased, report)]
            + zip(ReleaseType.allCases, figures.cohortByType).map {
                (Phrase.of($0), $1)
            }).map { name, r -> [String: Any] in
                [
                    "name": name.text(l), "size": l.number(r.cohortSize),
                    "horizons": r.horizons.map { h -> [String: Any] in
                        [
                            "rate": h.eligible == 0 ? Phrase.notObservedYet.text(l) : l.percent(h.rate),
                            "ratio": "\(l.number(h.reoffended))/\(l.number(h.eligible))",
                        ]
                    },
                ]
            }
        return [
            "svg": chart.render(id: "cohort"), "points": points, "hasPoints": !points.isEmpty, "rows": rows,
            "horizonHeads": report.horizons.map { Phrase.horizonYears.text(l, ["years": "\($0.years)"]) },
            "size": l.number(report.cohortSize),
        ]
    }
}
