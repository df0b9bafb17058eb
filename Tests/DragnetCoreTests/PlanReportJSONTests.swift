import Foundation
import Testing

@testable import DragnetCore

/// The plan report's compact JSON is written by hand (`PlanReport.compactJSON`); it must be the encoder's bytes.
@Suite("Plan report JSON: written by hand, the encoder's bytes")
struct PlanReportJSONTests {
    typealias F = MetricsFixture

    static func same(_ report: PlanReport, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let byHand = try #require(report.compactJSON(), sourceLocation: sourceLocation)
        let encoded = try OrderedJSONEncoder().encode(report)
        #expect(
            String(decoding: byHand, as: UTF8.self) == String(decoding: encoded, as: UTF8.self),
            sourceLocation: sourceLocation)
        #expect(try report.jsonData() == encoded, sourceLocation: sourceLocation)
    }

    @Test func anEmptyReportWithoutSupervision() throws {
        // No case: every rate null, no unit row, no supervision member.
        try Self.same(F.report())
    }

    @Test func rowsRatesAsOfAndTargetsOfEachUnit() throws {
        var targets = TargetBook()
        targets.set(try Targets(existingCapture: 0.25, newCapture: 0.6, reoffending: 0.1), for: F.unit("79.2"))
        let report = F.report(
            wanted: [
                F.wanted("79.1", opened: "2019-05-01", .arrested, on: "2020-03-01"),
                F.wanted("79.2", opened: "2020-02-01"), F.wanted("79.2", opened: "2020-04-01", .died, on: "2020-05-01"),
            ],
            releases: [
                F.release(.earlyRelease, "79.1", released: "2019-12-01", .reoffended, on: "2020-07-01"),
                F.release(.sentenceCompleted, "79.2", released: "2020-01-15"),
            ],
            asOf: Timestamp("2021-01-05T03:04:05.678Z"), targets: targets)
        #expect(report.units.count == 2)
        try Self.same(report)
    }

    @Test func supervisionInTheReportAndItsRowsAndTheNationalScope() throws {
        let releases = [
            F.release(.amnesty, "79.1", released: "2020-06-01"),
            F.release(.earlyRelease, "01.3", released: "2020-11-20", transfers: [("2020-12-01", "01.4")]),
        ]
        let report = PlanMetrics.compute(
            wanted: [F.wanted("01.3", opened: "2020-08-01")], releases: releases, scope: .national, from: F.from,
            to: F.to, asOf: nil, targets: TargetBook(), supervision: .init(on: F.day("2020-12-31")))
        #expect(report.supervision?.supervised == 2)
        try Self.same(report)
    }

    @Test func aNumberJSONCannotHoldLeavesItToTheEncoder() {
        var report = F.report(wanted: [F.wanted(opened: "2020-02-01")])
        report.wanted.new.rate = .nan
        #expect(report.compactJSON() == nil)
        #expect(throws: EncodingError.self) { try report.jsonData() }
    }
}
