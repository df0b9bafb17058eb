import Foundation
import Testing

@testable import DragnetCore

/// The wanted figures' definitions, one case at a time, over the period 2020-01-01 … 2020-12-31, scope 79, owner 79.1.
/// Counts are [count captured arrested surrendered died struck_off open], worked out from SPEC §5 by hand.
struct WantedBoundaryCase: CustomTestStringConvertible, Sendable {
    let name: String
    let opened: String
    let kind: ClosingKind?
    let closed: String?
    let existing: CaptureCounts
    let new: CaptureCounts
    var testDescription: String { name }
}

private let wantedBoundaries: [WantedBoundaryCase] = [
    // Opened before `from`, closed the day before `from`: "not closed before from" fails → not in E; not opened in
    // the period → not in N. Nothing counted.
    .init(
        name: "existing closed the day before from", opened: "2019-06-01", kind: .arrested, closed: "2019-12-31",
        existing: .none, new: .none),
    // Closed on `from` (not before it) → in E; arrested with from ≤ date ≤ to → captured.
    .init(
        name: "existing arrested on from", opened: "2019-06-01", kind: .arrested, closed: "2020-01-01",
        existing: CaptureCounts(1, 1, 1, 0, 0, 0, 0), new: .none),
    // Surrendered on `to` → date ≤ to → captured.
    .init(
        name: "existing surrendered on to", opened: "2019-06-01", kind: .surrendered, closed: "2020-12-31",
        existing: CaptureCounts(1, 1, 0, 1, 0, 0, 0), new: .none),
    // Arrested the day after `to` → outside the window: not captured, and still open at the end of `to`.
    .init(
        name: "existing arrested the day after to", opened: "2019-06-01", kind: .arrested, closed: "2021-01-01",
        existing: CaptureCounts(1, 0, 0, 0, 0, 0, 1), new: .none),
    // Never closed → in E, open.
    .init(
        name: "existing never closed", opened: "2019-06-01", kind: nil, closed: nil,
        existing: CaptureCounts(1, 0, 0, 0, 0, 0, 1), new: .none),
    // Died in the period: stays in the denominator, not a capture.
    .init(
        name: "existing died in the period", opened: "2019-06-01", kind: .died, closed: "2020-06-01",
        existing: CaptureCounts(1, 0, 0, 0, 1, 0, 0), new: .none),
    // Struck off in the period: stays in the denominator, not a capture.
    .init(
        name: "existing struck off in the period", opened: "2019-06-01", kind: .struckOff, closed: "2020-06-01",
        existing: CaptureCounts(1, 0, 0, 0, 0, 1, 0), new: .none),
    // Opened the day before `from` → "opened before from" → existing, not new.
    .init(
        name: "opened the day before from", opened: "2019-12-31", kind: nil, closed: nil,
        existing: CaptureCounts(1, 0, 0, 0, 0, 0, 1), new: .none),
    // Opened and struck off the day before `from`: closed before `from` → nowhere.
    .init(
        name: "opened and struck off the day before from", opened: "2019-12-31", kind: .struckOff,
        closed: "2019-12-31", existing: .none, new: .none),
    // Opened on `from` → in [from, to] → new, not existing.
    .init(
        name: "opened on from", opened: "2020-01-01", kind: nil, closed: nil,
        existing: .none, new: CaptureCounts(1, 0, 0, 0, 0, 0, 1)),
    // Opened on `to` and arrested the same day → new, captured (on or before to).
    .init(
        name: "opened and arrested on to", opened: "2020-12-31", kind: .arrested, closed: "2020-12-31",
        existing: .none, new: CaptureCounts(1, 1, 1, 0, 0, 0, 0)),
    // Opened the day after `to` → neither existing nor new.
    .init(
        name: "opened the day after to", opened: "2021-01-01", kind: nil, closed: nil,
        existing: .none, new: .none),
    // New, surrendered the day after `to` → not captured, open at the end of `to`.
    .init(
        name: "new surrendered the day after to", opened: "2020-03-01", kind: .surrendered, closed: "2021-01-01",
        existing: .none, new: CaptureCounts(1, 0, 0, 0, 0, 0, 1)),
    // New, died on `to` → in the denominator, not captured.
    .init(
        name: "new died on to", opened: "2020-03-01", kind: .died, closed: "2020-12-31",
        existing: .none, new: CaptureCounts(1, 0, 0, 0, 1, 0, 0)),
    // New, struck off in the period.
    .init(
        name: "new struck off", opened: "2020-03-01", kind: .struckOff, closed: "2020-04-01",
        existing: .none, new: CaptureCounts(1, 0, 0, 0, 0, 1, 0)),
]

@Suite("Plan figures: wanted persons")
struct WantedFigureTests {
    @Test("each boundary of the existing and new definitions", arguments: wantedBoundaries)
    func boundary(_ example: WantedBoundaryCase) {
        let facts = MetricsFixture.wanted(opened: example.opened, example.kind, on: example.closed)
        let report = MetricsFixture.report(wanted: [facts])
        #expect(CaptureCounts(report.wanted.existing) == example.existing)
        #expect(CaptureCounts(report.wanted.new) == example.new)
    }

    @Test("all boundary cases together add up, with rates and results")
    func together() throws {
        let report = MetricsFixture.report(
            wanted: wantedBoundaries.map { MetricsFixture.wanted(opened: $0.opened, $0.kind, on: $0.closed) })
        // E: arrested on from, surrendered on to, arrested after to, never closed, died, struck off, opened the day
        // before from = 7 cases; captured 2 (1 arrested, 1 surrendered); died 1, struck off 1; open 3 (arrested after
        // to, never closed, opened the day before from). 2/7 ≈ 0.2857 < 0.30 → not met.
        #expect(CaptureCounts(report.wanted.existing) == CaptureCounts(7, 2, 1, 1, 1, 1, 3))
        #expect(report.wanted.existing.rate == 2.0 / 7.0)
        #expect(report.wanted.existing.target == 0.30)
        #expect(report.wanted.existing.met == false)
        // N: opened on from (open), opened and arrested on to, surrendered after to (open), died on to, struck off
        // = 5 cases; captured 1; 1/5 = 0.2 < 0.50 → not met.
        #expect(CaptureCounts(report.wanted.new) == CaptureCounts(5, 1, 1, 0, 1, 1, 2))
        #expect(report.wanted.new.rate == 0.2)
        #expect(report.wanted.new.met == false)
    }

    @Test("a capture rate exactly at its target meets it")
    func atTarget() {
        // 10 existing cases, 3 arrested in the period: 3/10 = 0.30 ≥ 0.30 → met.
        // 10 new cases, 5 surrendered: 5/10 = 0.50 ≥ 0.50 → met.
        let existing = (0..<10).map { i in
            MetricsFixture.wanted(opened: "2019-05-01", i < 3 ? .arrested : nil, on: i < 3 ? "2020-05-01" : nil)
        }
        let new = (0..<10).map { i in
            MetricsFixture.wanted(opened: "2020-02-01", i < 5 ? .surrendered : nil, on: i < 5 ? "2020-05-01" : nil)
        }
        let report = MetricsFixture.report(wanted: existing + new)
        #expect(report.wanted.existing.rate == 0.3)
        #expect(report.wanted.existing.met == true)
        #expect(report.wanted.new.rate == 0.5)
        #expect(report.wanted.new.met == true)
    }

    @Test("a case captured by another unit counts for its owner")
    func capturedElsewhere() {
        // The closing's acting unit (here: a station of province 48) is not in the facts at all: a case counts for
        // its owner unit, whoever arrests the person. Owner 79.1 → counted in scope 79 and in row 79.1; scope 48 sees
        // nothing.
        let facts = MetricsFixture.wanted("79.1", opened: "2019-05-01", .arrested, on: "2020-03-03")
        let own = MetricsFixture.report(wanted: [facts], scope: "79")
        #expect(CaptureCounts(own.wanted.existing) == CaptureCounts(1, 1, 1, 0, 0, 0, 0))
        #expect(own.units.map(\.unit.rawValue) == ["79.1"])
        let other = MetricsFixture.report(wanted: [facts], scope: "48")
        #expect(CaptureCounts(other.wanted.existing) == .none)
    }
}

/// One release case over the period 2020, scope 79, unit 79.1: expected population and reoffended, by hand.
struct ReleaseBoundaryCase: CustomTestStringConvertible, Sendable {
    let name: String
    let type: ReleaseType
    let released: String
    let kind: EndingKind?
    let ended: String?
    let population: Int
    let reoffended: Int
    var testDescription: String { name }
}

private let releaseBoundaries: [ReleaseBoundaryCase] = [
    // Released on `to` → released on or before to → in M.
    .init(
        name: "released on to", type: .amnesty, released: "2020-12-31", kind: nil, ended: nil,
        population: 1, reoffended: 0),
    // Released the day after `to` → not in M.
    .init(
        name: "released the day after to", type: .amnesty, released: "2021-01-01", kind: nil, ended: nil,
        population: 0, reoffended: 0),
    // Released years ago, never ended → still in M.
    .init(
        name: "released long ago, no ending", type: .sentenceCompleted, released: "2015-05-05", kind: nil,
        ended: nil, population: 1, reoffended: 0),
    // Reoffended the day before `from`: the ending is before from → not in M.
    .init(
        name: "reoffended the day before from", type: .sentenceCompleted, released: "2019-05-01",
        kind: .reoffended, ended: "2019-12-31", population: 0, reoffended: 0),
    // Expunged before `from` → not in M.
    .init(
        name: "expunged before from", type: .sentenceCompleted, released: "2018-05-01", kind: .expunged,
        ended: "2019-03-01", population: 0, reoffended: 0),
    // Reoffended on `from` → ending not before from → in M; from ≤ date ≤ to → reoffended.
    .init(
        name: "reoffended on from", type: .earlyRelease, released: "2019-05-01", kind: .reoffended,
        ended: "2020-01-01", population: 1, reoffended: 1),
    // Died on `from` → in M, not reoffended.
    .init(
        name: "died on from", type: .amnesty, released: "2019-05-01", kind: .died, ended: "2020-01-01",
        population: 1, reoffended: 0),
    // Reoffended on the release day → in M, reoffended.
    .init(
        name: "reoffended on the release day", type: .amnesty, released: "2020-06-01", kind: .reoffended,
        ended: "2020-06-01", population: 1, reoffended: 1),
    // Released and reoffended on `to` → in M, reoffended.
    .init(
        name: "released and reoffended on to", type: .sentenceCompleted, released: "2020-12-31",
        kind: .reoffended, ended: "2020-12-31", population: 1, reoffended: 1),
    // Reoffended the day after `to` → in M (ending not before from), not reoffended within the period.
    .init(
        name: "reoffended the day after to", type: .amnesty, released: "2020-06-01", kind: .reoffended,
        ended: "2021-01-01", population: 1, reoffended: 0),
    // Early release revoked in the period → in M, a revocation is not a reoffence.
    .init(
        name: "revoked in the period", type: .earlyRelease, released: "2020-02-01", kind: .revoked,
        ended: "2020-05-01", population: 1, reoffended: 0),
]

@Suite("Plan figures: reoffending")
struct ReoffendingFigureTests {
    @Test("each boundary of the reoffending definition", arguments: releaseBoundaries)
    func boundary(_ example: ReleaseBoundaryCase) {
        let facts = MetricsFixture.release(example.type, released: example.released, example.kind, on: example.ended)
        let report = MetricsFixture.report(releases: [facts])
        #expect(report.reoffending.population == example.population)
        #expect(report.reoffending.reoffended == example.reoffended)
        #expect(report.reoffending.byType[example.type].population == example.population)
        #expect(report.reoffending.byType[example.type].reoffended == example.reoffended)
    }

    @Test("all boundary cases together, per release type")
    func together() {
        let report = MetricsFixture.report(
            releases: releaseBoundaries.map {
                MetricsFixture.release($0.type, released: $0.released, $0.kind, on: $0.ended)
            })
        // amnesty: released on to (0), died on from (0), reoffended on release day (1), reoffended after to (0)
        //   → 4 counted, 1 reoffended, 1/4 = 0.25.
        // early_release: reoffended on from (1), revoked (0) → 2 counted, 1 reoffended, 0.5.
        // sentence_completed: long ago (0), released and reoffended on to (1) → 2 counted, 1 reoffended, 0.5.
        // all: 8 counted, 3 reoffended, 3/8 = 0.375 ≥ 0.15 → not met.
        #expect(report.reoffending.byType.amnesty == .init(population: 4, reoffended: 1))
        #expect(report.reoffending.byType.amnesty.rate == 0.25)
        #expect(report.reoffending.byType.earlyRelease.rate == 0.5)
        #expect(report.reoffending.byType.sentenceCompleted.population == 2)
        #expect(report.reoffending.byType.sentenceCompleted.reoffended == 1)
        #expect(report.reoffending.population == 8)
        #expect(report.reoffending.reoffended == 3)
        #expect(report.reoffending.rate == 0.375)
        #expect(report.reoffending.met == false)
    }

    @Test("a reoffending rate exactly at its target does not meet it")
    func atTarget() {
        // 20 released, 3 reoffended in 2020: 3/20 = 0.15, not < 0.15 → not met. With 2: 0.10 < 0.15 → met.
        func releases(reoffending: Int) -> [ReleaseFacts] {
            (0..<20).map { i in
                MetricsFixture.release(released: "2019-01-01", i < reoffending ? .reoffended : nil, on: "2020-04-04")
            }
        }
        let three = MetricsFixture.report(releases: releases(reoffending: 3))
        #expect(three.reoffending.rate == 0.15)
        #expect(three.reoffending.met == false)
        let two = MetricsFixture.report(releases: releases(reoffending: 2))
        #expect(two.reoffending.rate == 0.1)
        #expect(two.reoffending.met == true)
    }

    /// A case first supervised by 79.2, moved to 79.1 on some date: it counts where it is on `to` (2020-12-31).
    @Test(
        "a transfer counts on to: before, on, after",
        arguments: [
            // Moved 2020-06-01 (before to) → responsible on to: 79.1.
            ("2020-06-01", "79.1"),
            // Moved on to → a transfer effective on or before to counts: 79.1.
            ("2020-12-31", "79.1"),
            // Moved 2021-01-01 (after to) → still 79.2 on to.
            ("2021-01-01", "79.2"),
        ])
    func transfer(on date: String, expected: String) {
        let facts = MetricsFixture.release(.amnesty, "79.2", released: "2019-01-01", transfers: [(date, "79.1")])
        for scope in ["79.1", "79.2"] {
            let report = MetricsFixture.report(releases: [facts], scope: scope)
            #expect(report.reoffending.population == (scope == expected ? 1 : 0), "scope \(scope)")
        }
        // Scope 79 covers both units: the case is counted once, in the row of the unit it is in on `to`.
        let both = MetricsFixture.report(releases: [facts], scope: "79")
        #expect(both.reoffending.population == 1)
        #expect(both.units.map(\.unit.rawValue) == [expected])
    }

    @Test("a case transferred out of the scope before to leaves it, with its reoffence")
    func transferOut() {
        // Supervised by 79.1, moved to 48.5 on 2020-06-01, reoffended 2020-09-09: on to it belongs to 48.5.
        // Scope 79: nothing. Scope 48: population 1, reoffended 1.
        let facts = MetricsFixture.release(
            .amnesty, "79.1", released: "2019-01-01", transfers: [("2020-06-01", "48.5")], .reoffended, on: "2020-09-09"
        )
        #expect(MetricsFixture.report(releases: [facts], scope: "79").reoffending.population == 0)
        let there = MetricsFixture.report(releases: [facts], scope: "48")
        #expect(there.reoffending.population == 1)
        #expect(there.reoffending.reoffended == 1)
    }
}
