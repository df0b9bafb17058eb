extension CohortReport {
    /// The report as a table for a person: the horizons, then the Kaplan–Meier curve. When the curve has more than
    /// `maxCurveRows` points it is shown at regular days instead (the estimate in force at the end of each), and the
    /// JSON or `curveCSV()` has every point.
    public func table(maxCurveRows: Int = 40) -> String {
        var out = "Reoffending cohort for \(scope.scopeName): released \(from) to \(to)"
        out += releaseType.map { " (\(Phrase.short($0).text(.en)) only)" } ?? ""
        out += ", observed until \(observedOn)"
        out += asOf.map { ", as known at \($0)" } ?? ""
        out += "\nCohort: \(cohortSize) released persons.\n\n"

        var horizonTable = TextTable([.left, .right, .right, .right])
        horizonTable.add(["Within", "Followed", "Reoffended", "Rate"])
        for h in horizons {
            let within = "  \(h.years) year\(h.years == 1 ? "" : "s")"
            horizonTable.add([within, "\(h.eligible)", "\(h.reoffended)", Percent.text(h.rate)])
        }
        out += horizonTable.render()
        out += "(Followed: released at least that long before \(observedOn).)\n\n"

        let km = kaplanMeier
        out += "Time to reoffence (Kaplan–Meier): \(km.subjects) followed, \(km.events) reoffended, "
        out += "\(km.censored) censored (died, revoked, expunged or still followed).\n"
        guard !km.points.isEmpty else { return out + "No reoffence observed: the estimate stays at 0.0 %.\n" }

        var curve = TextTable([.right, .right, .right, .right, .right, .left])
        curve.add(["Day", "At risk", "Reoffended", "Censored", "Reoffended so far", "95 % band"])
        func band(_ p: KaplanMeierCurve.Point) -> String {
            guard let lower = p.lower, let upper = p.upper else { return "—" }
            return "\(Percent.text(1 - upper)) … \(Percent.text(1 - lower))"
        }
        if km.points.count <= maxCurveRows {
            for p in km.points {
                curve.add([
                    "\(p.day)", "\(p.atRisk)", "\(p.events)", "\(p.censored)", Percent.text(p.cumulative), band(p),
                ])
            }
        } else {
            let last = km.lastFollowUpDay ?? km.points[km.points.count - 1].day
            let step = max(1, (last + maxCurveRows - 1) / maxCurveRows)
            var day = step
            curve = TextTable([.right, .right, .left])
            curve.add(["Day", "Reoffended so far", "95 % band"])
            while day < last + step {
                if let p = km.point(atDay: day) {
                    curve.add(["\(day)", Percent.text(p.cumulative), band(p)])
                } else {
                    curve.add(["\(day)", Percent.text(0), "—"])
                }
                day += step
            }
            out += "Shown every \(step) days; the estimate in force at the end of each day.\n"
        }
        out += curve.render()
        out += "The band is Greenwood's plain 95 % band for 1 − S, clipped to 0 … 100 %.\n"
        return out
    }

    /// The curve's points as CSV for spreadsheets, with a header:
    /// `day,at_risk,events,censored,survival,cumulative,variance,lower,upper` (absent values as empty fields).
    public func curveCSV() -> String {
        var out = "day,at_risk,events,censored,survival,cumulative,variance,lower,upper\n"
        for p in kaplanMeier.points {
            let fields = [
                "\(p.day)", "\(p.atRisk)", "\(p.events)", "\(p.censored)", "\(p.survival)", "\(p.cumulative)",
                PlanReport.csvNumber(p.variance), PlanReport.csvNumber(p.lower), PlanReport.csvNumber(p.upper),
            ]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }
}
