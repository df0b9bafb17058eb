import Foundation

@testable import DragnetCore

/// Small builders for the figures' tests: dates and codes from literals, cases from a few fields.
enum MetricsFixture {
    /// A date from `YYYY-MM-DD`; the tests only pass real dates.
    static func day(_ text: String) -> LocalDate {
        guard let date = LocalDate(text) else { preconditionFailure("test date \(text) is not a date") }
        return date
    }

    /// A unit code from its text; the tests only pass valid codes.
    static func unit(_ text: String) -> UnitCode {
        guard let code = UnitCode(text) else { preconditionFailure("test unit \(text) is not a unit code") }
        return code
    }

    /// The period most tests use: the year 2020.
    static let from = day("2020-01-01")
    /// The last day of the period most tests use.
    static let to = day("2020-12-31")

    /// A wanted case owned by `owner`, opened on `opened`, closed as `kind` on `closed` when both are given.
    static func wanted(
        _ owner: String = "79.1", opened: String, _ kind: ClosingKind? = nil, on closed: String? = nil
    ) -> WantedFacts {
        var closing: WantedFacts.Closing?
        if let kind, let closed { closing = .init(kind: kind, date: day(closed)) }
        return WantedFacts(caseID: UUID(), ownerUnit: unit(owner), openedOn: day(opened), closing: closing)
    }

    /// A release case of `type` released on `released`, first supervised by `unit`, with transfers and an ending.
    static func release(
        _ type: ReleaseType = .amnesty, _ unitCode: String = "79.1", released: String,
        transfers: [(String, String)] = [], _ kind: EndingKind? = nil, on ended: String? = nil
    ) -> ReleaseFacts {
        var ending: ReleaseFacts.Ending?
        if let kind, let ended { ending = .init(kind: kind, date: day(ended)) }
        return ReleaseFacts(
            caseID: UUID(), releaseType: type, releasedOn: day(released), responsibleUnit: unit(unitCode),
            transfers: transfers.map { .init(from: day($0.0), unit: unit($0.1)) }, ending: ending)
    }

    /// The plan report over 2020 (unless told otherwise) with the plan's targets (unless told otherwise).
    static func report(
        wanted: [WantedFacts] = [], releases: [ReleaseFacts] = [], scope: String = "79", from: LocalDate = from,
        to: LocalDate = to, asOf: Timestamp? = nil, targets: TargetBook = TargetBook()
    ) -> PlanReport {
        PlanMetrics.compute(
            wanted: wanted, releases: releases, scope: unit(scope), from: from, to: to, asOf: asOf, targets: targets)
    }
}

/// The seven counts of a capture figure, in the JSON's order, for compact expectations.
struct CaptureCounts: Equatable, CustomStringConvertible {
    var count, captured, arrested, surrendered, died, struckOff, open: Int

    init(_ count: Int, _ captured: Int, _ arrested: Int, _ surrendered: Int, _ died: Int, _ struckOff: Int, _ open: Int)
    {
        (self.count, self.captured, self.arrested, self.surrendered) = (count, captured, arrested, surrendered)
        (self.died, self.struckOff, self.open) = (died, struckOff, open)
    }

    init(_ f: PlanReport.CaptureFigures) {
        self.init(f.count, f.captured, f.arrested, f.surrendered, f.died, f.struckOff, f.open)
    }

    static let none = CaptureCounts(0, 0, 0, 0, 0, 0, 0)

    var description: String { "[\(count) \(captured) \(arrested) \(surrendered) \(died) \(struckOff) \(open)]" }
}
