import Foundation
import Testing

@testable import DragnetCore

/// The cases behind each number of the dashboard: each list holds exactly the cases its number counts. Expected
/// counts are the hand-worked figures of Fixtures/README.md (Fixtures/expected-figures.json); named cases are the
/// boundary cases the README lists.
@Suite struct CaseListsTests {
    static let captureFilters: [(String, CaseLists.Filter)] = [
        ("count", .all), ("captured", .captured), ("arrested", .arrested), ("surrendered", .surrendered),
        ("died", .died), ("struck_off", .struckOff), ("open", .open),
    ]

    @Test func everyListHasTheCountOfItsNumber() throws {
        let t = try FixtureFiguresTests.province()
        let facts = try t.registry.figures.facts(asOf: nil)
        let data = try Data(contentsOf: fixtures.appendingPathComponent("expected-figures.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        for entry in expected {
            let scope = try #require(UnitCode(entry["scope"] as? String ?? ""))
            let from = day(entry["from"] as? String ?? ""), to = day(entry["to"] as? String ?? "")
            for (list, key) in [(WantedList.existing, "existing"), (.new, "new")] {
                let counts = try #require(entry[key] as? [String: Int])
                for (name, filter) in Self.captureFilters {
                    let entries = CaseLists.wanted(
                        list, filter, facts: facts.wanted, scope: scope, from: from, to: to)
                    #expect(entries.count == counts[name], "\(scope) \(from) \(key) \(name)")
                }
            }
            let reoffending = try #require(entry["reoffending"] as? [String: Any])
            let population = try #require(reoffending["population"] as? Int)
            let reoffended = try #require(reoffending["reoffended"] as? Int)
            let all = CaseLists.released(.all, facts: facts.releases, scope: scope, from: from, to: to)
            #expect(all.count == population, "\(scope) \(from) released")
            #expect(
                CaseLists.released(.reoffended, facts: facts.releases, scope: scope, from: from, to: to).count
                    == reoffended)
            #expect(
                CaseLists.released(.notReoffended, facts: facts.releases, scope: scope, from: from, to: to).count
                    == population - reoffended)
        }
    }

    /// Fixtures/README.md's boundaries for 2020: TN-00017 (closed on 2020-01-01) is an existing case captured in
    /// 2020; TN-00015 (closed 2019-12-31) is on no list; TN-00021 (opened 2020-01-01) and TN-00023 (opened
    /// 2020-12-31) are new; TN-00048 (closed on 2020-12-31) is captured. The list's labels name each case.
    @Test func theBoundaryCasesOfTheReadme() throws {
        let t = try FixtureFiguresTests.province()
        let facts = try t.registry.figures.facts(asOf: nil)
        let (from, to) = (day("2020-01-01"), day("2020-12-31"))
        func refs(_ list: WantedList, _ filter: CaseLists.Filter) throws -> Set<String> {
            let entries = CaseLists.wanted(
                list, filter, facts: facts.wanted, scope: UnitCode("79")!, from: from, to: to)
            let labels = try t.registry.figures.wantedLabels(entries.map(\.facts.caseID))
            #expect(labels.count == entries.count, "every case of the list has its label")
            return Set(labels.values.filter { $0.unit.rawValue == "79.26734" }.map(\.ref))
        }
        let existingCaptured = try refs(.existing, .captured)
        #expect(existingCaptured.contains("TN-00017"))
        #expect(!(try refs(.existing, .all)).contains("TN-00015"))
        #expect(!(try refs(.new, .all)).contains("TN-00015"))
        let new = try refs(.new, .all)
        #expect(new.contains("TN-00021") && new.contains("TN-00023"))
        #expect(try refs(.new, .captured).union(existingCaptured).contains("TN-00048"))
        #expect(!(try refs(.existing, .all)).contains("TN-00036"), "opened after the period")
    }

    /// The dashboard's figures: the report is the one the metrics route serves, last year's is the report of the
    /// same days a year earlier, and the last point of the month-by-month view is the report itself.
    @Test func theDashboardFiguresAgreeWithTheReports() throws {
        let t = try FixtureFiguresTests.province()
        let scope = UnitCode("79")!
        let period = try Period.year(2021)
        let figures = try t.registry.figures.dashboardFigures(
            scope: scope, period: period, asOf: nil, observedOn: day("2026-12-02"))
        #expect(figures.report == (try t.registry.figures.planReport(scope: scope, period: period, asOf: nil)))
        #expect(
            figures.lastYear
                == (try t.registry.figures.planReport(scope: scope, period: try Period.year(2020), asOf: nil)))
        #expect(figures.progress.count == 12 && figures.lastYearProgress.count == 12)
        // 2020 by hand (Fixtures/README.md): existing 7 of 16, new 4 of 14, reoffended 8 of 31.
        let last2020 = try #require(figures.lastYearProgress.last)
        #expect(last2020.existing == Ratio(7, of: 16) && last2020.new == Ratio(4, of: 14))
        #expect(last2020.reoffending == Ratio(8, of: 31))
        #expect(figures.cohortByType.map(\.releaseType) == ReleaseType.allCases.map { $0 })
        #expect(figures.cohortByType.map(\.cohortSize).reduce(0, +) == figures.cohort.cohortSize)
        // As of a moment before anything was recorded, every figure is empty.
        let before = try t.registry.figures.dashboardFigures(
            scope: scope, period: period, asOf: Timestamp("2000-01-01T00:00:00Z"), observedOn: day("2000-01-01"))
        #expect(before.report.wanted.existing.count == 0 && before.progress.allSatisfy { $0.existing.whole == 0 })
    }
}
