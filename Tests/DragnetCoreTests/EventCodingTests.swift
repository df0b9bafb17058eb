import Foundation
import Testing

@testable import DragnetCore

/// The hand-written payload JSON must decode to the same payload, for every kind of event, and awkward text.
@Suite struct EventCodingTests {
    static let awkward = "Nguyễn \"Út\" \\ Văn\nĐức\t\u{01}/end"

    static let payloads: [EventPayload] = [
        .personRegistered(
            PersonDetails(
                fullName: awkward, birthDate: .year(1985), sex: .male,
                nationalID: NationalID("079085004512"), aliases: ["Đức Còi", awkward])),
        .personAmended(PersonDetails(fullName: "Trần Thị B", birthDate: nil, sex: nil, nationalID: nil)),
        .wantedOpened(
            WantedOpening(
                personID: UUID(), caseRef: "TN-1/\"x\"", ownerUnit: UnitCode("79.26734")!,
                danger: .especiallyDangerous, abroad: true,
                decision: Decision(number: "1/QĐ", issuedBy: "", offense: awkward))),
        .decisionAdded(Decision(number: "2", issuedBy: "PC02", offense: "Điều 173")),
        .decisionWithdrawn(number: "2", reason: awkward),
        .wantedAmended(danger: .ordinary, abroad: false),
        .wantedClosed(kind: .struckOff, actingUnit: UnitCode("01.00004")!),
        .releaseRegistered(
            ReleaseRegistration(
                personID: UUID(), caseRef: "TD-1", unit: UnitCode("79")!,
                releaseType: .earlyRelease, facility: awkward, offense: "", probationUntil: LocalDate("2021-01-01"))),
        .releaseRegistered(
            ReleaseRegistration(
                personID: UUID(), caseRef: "DX-1", unit: UnitCode("79")!,
                releaseType: .amnesty, facility: "A", offense: "B", probationUntil: nil)),
        .transferred(toUnit: UnitCode("79.26737")!),
        .releaseEnded(kind: .reoffended, offense: "Điều 171", reference: awkward),
        .releaseEnded(kind: .died, offense: nil, reference: nil),
        .retracted(eventID: UUID(), reason: awkward),
    ]

    @Test(arguments: payloads)
    func handWrittenJSONDecodesToTheSamePayload(payload: EventPayload) throws {
        let json = try EventCoding.encode(payload)
        #expect(try EventCoding.decode(kind: payload.kind, data: json) == payload)
        #expect(json == (try EventCoding.encodeWithFoundation(payload)), "the same document JSONEncoder writes")
    }

    @Test func everyKindIsCovered() {
        #expect(Set(Self.payloads.map(\.kind)) == Set(EventKind.allCases))
    }
}
