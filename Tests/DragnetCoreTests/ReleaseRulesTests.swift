import Foundation
import Testing

@testable import DragnetCore

/// The rules of SPEC §4 for release cases, each with a passing and a failing case.
@Suite struct ReleaseRulesTests {
    @Test(arguments: [EndingKind.reoffended, .died, .expunged])
    func anEndingIsOnOrAfterTheReleaseDate(kind: EndingKind) throws {
        var t = try TestRegistry()
        let a = try t.release("DX-1", on: "2020-03-01")
        let ended = try t.registry.endRelease(
            a.label, as: kind, on: day("2020-03-01"), offense: nil, reference: nil, factory: &t.factory)
        #expect(ended.ending?.kind == kind)
        let b = try t.release("DX-2", on: "2020-03-01")
        expectRefusal("79.26734/DX-2, ending_date \"2020-02-29\"", "before the release on 2020-03-01") {
            _ = try t.registry.endRelease(
                b.label, as: kind, on: day("2020-02-29"), offense: nil, reference: nil, factory: &t.factory)
        }
    }

    @Test func aReleaseCaseEndsOnce() throws {
        var t = try TestRegistry()
        let a = try t.release(on: "2020-03-01")
        _ = try t.registry.endRelease(
            a.label, as: .reoffended, on: day("2020-05-01"), offense: "Điều 173", reference: "BA-12",
            factory: &t.factory)
        expectRefusal("79.26734/DX-1 was already ended on 2020-05-01: reoffended") {
            _ = try t.registry.endRelease(
                a.label, as: .died, on: day("2020-06-01"), offense: nil, reference: nil, factory: &t.factory)
        }
    }

    @Test func revocationIsOnlyForEarlyReleaseWithinProbation() throws {
        var t = try TestRegistry()
        let early = try t.release("TD-1", type: .earlyRelease, on: "2020-01-01", probation: "2021-01-01")
        let revoked = try t.registry.endRelease(
            early.label, as: .revoked, on: day("2021-01-01"), offense: nil, reference: nil, factory: &t.factory)
        #expect(revoked.ending?.kind == .revoked)
        let late = try t.release("TD-2", type: .earlyRelease, on: "2020-01-01", probation: "2021-01-01")
        expectRefusal("ending_date \"2021-01-02\"", "after the probation ended on 2021-01-01") {
            _ = try t.registry.endRelease(
                late.label, as: .revoked, on: day("2021-01-02"), offense: nil, reference: nil, factory: &t.factory)
        }
        let amnesty = try t.release("DX-3", type: .amnesty, on: "2020-01-01")
        expectRefusal("ending \"revoked\"", "only an early release can be revoked") {
            _ = try t.registry.endRelease(
                amnesty.label, as: .revoked, on: day("2020-06-01"), offense: nil, reference: nil, factory: &t.factory)
        }
    }

    @Test func probationIsRequiredForEarlyReleaseAndAfterTheRelease() throws {
        var t = try TestRegistry()
        expectRefusal("probation_until", "needs the end of its probation period") {
            _ = try t.release("TD-1", type: .earlyRelease, on: "2020-01-01")
        }
        expectRefusal("probation_until \"2020-01-01\"", "must be after the release date 2020-01-01") {
            _ = try t.release("TD-2", type: .earlyRelease, on: "2020-01-01", probation: "2020-01-01")
        }
        expectRefusal("probation_until \"2021-01-01\"", "only an early release has a probation period") {
            _ = try t.release("DX-3", type: .amnesty, on: "2020-01-01", probation: "2021-01-01")
        }
        let ok = try t.release("TD-4", type: .earlyRelease, on: "2020-01-01", probation: "2020-01-02")
        #expect(ok.registration.probationUntil == day("2020-01-02"))
    }

    @Test func aTransferKeepsTheCaseOpenAndIsRefusedAfterTheEnding() throws {
        var t = try TestRegistry(unit: "79")
        let a = try t.release(on: "2020-01-01")
        let moved = try t.registry.transferRelease(
            a.label, to: UnitCode("79.26737")!, on: day("2020-06-01"), factory: &t.factory)
        #expect(moved.responsibleUnit == UnitCode("79.26737") && moved.ending == nil)
        expectRefusal("to_unit \"79.26737\"", "already the responsible unit") {
            _ = try t.registry.transferRelease(
                a.label, to: UnitCode("79.26737")!, on: day("2020-07-01"),
                factory: &t.factory)
        }
        _ = try t.registry.endRelease(
            a.label, as: .expunged, on: day("2021-01-01"), offense: nil, reference: nil,
            factory: &t.factory)
        expectRefusal("date \"2021-02-01\"", "after the case ended on 2021-01-01") {
            _ = try t.registry.transferRelease(
                a.label, to: UnitCode("79.1")!, on: day("2021-02-01"),
                factory: &t.factory)
        }
    }
}
