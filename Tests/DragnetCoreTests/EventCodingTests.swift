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
        .wantedOpened(
            WantedOpening(
                personID: UUID(), caseRef: "TN-2", ownerUnit: UnitCode("79.26734")!, danger: .ordinary, abroad: false,
                decision: Decision(number: "2/QĐ", issuedBy: "PC02", offense: "Điều 173"), releaseCase: UUID())),
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
        .reportedIn,
        .officerAssigned(officer: awkward),
        .contact(kind: .homeVisit, note: awkward),
        .contact(kind: .phone, note: nil),
        .whereaboutsUnknown(note: "Gia đình không biết đi đâu"),
        .whereaboutsUnknown(note: nil),
        .located,
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

/// UUIDs are written in lower case everywhere (docs/protocol.md), and read in either case: older stations and older
/// central servers wrote them in upper case, and older databases hold payloads with upper-case ids.
@Suite struct UUIDSpellingTests {
    static let eventID = UUID(uuidString: "019A2C1E-7C3B-7D10-8000-0A1B2C3D4E5F")!
    static let caseID = UUID(uuidString: "019A2C1E-7C3B-7D10-8000-0A1B2C3D4E50")!
    static let personID = UUID(uuidString: "019A2C1E-7C3B-7D10-8000-0A1B2C3D4EAB")!

    static func opening() -> Event {
        Event(
            id: eventID, recordID: caseID, recordKind: .wanted, effectiveDate: LocalDate("2020-05-10")!,
            recordedAt: Timestamp("2026-11-26T10:00:00Z")!, unit: UnitCode("79.26734")!, author: "Lê Văn A",
            payload: .wantedOpened(
                WantedOpening(
                    personID: personID, caseRef: "TN-1", ownerUnit: UnitCode("79.26734")!, danger: .ordinary,
                    abroad: false, decision: Decision(number: "1/QĐ", issuedBy: "", offense: "Điều 173"))))
    }

    /// The wire form of `opening()`, written out by hand, with its ids in `spell`'s case.
    static func wire(_ spell: (String) -> String) -> String {
        """
        {"author":"Lê Văn A","data":{"abroad":false,"case_ref":"TN-1","danger":"ordinary",\
        "decision":{"issued_by":"","number":"1/QĐ","offense":"Điều 173"},"owner_unit":"79.26734",\
        "person_id":"\(spell("019a2c1e-7c3b-7d10-8000-0a1b2c3d4eab"))"},"effective_date":"2020-05-10",\
        "id":"\(spell("019a2c1e-7c3b-7d10-8000-0a1b2c3d4e5f"))","kind":"wanted_opened",\
        "record_id":"\(spell("019a2c1e-7c3b-7d10-8000-0a1b2c3d4e50"))","record_kind":"wanted",\
        "recorded_at":"2026-11-26T10:00:00.000Z","unit":"79.26734"}
        """
    }

    @Test func anEventGoesOverTheWireInLowerCase() throws {
        let json = String(decoding: try SyncWire.encoder().encode(Self.opening()), as: UTF8.self)
        #expect(json == Self.wire { $0 })
    }

    @Test func anEventInUpperCaseFromAnOlderStationReadsTheSame() throws {
        let upper = Self.wire { $0.uppercased() }
        #expect(upper.contains("019A2C1E-7C3B-7D10-8000-0A1B2C3D4EAB"))
        #expect(try JSONDecoder().decode(Event.self, from: Data(upper.utf8)) == Self.opening())
    }

    @Test func pushResultsAndRetractionsNameIdsInLowerCase() throws {
        let result = SyncWire.PushResult(id: Self.eventID, status: .rejected, reason: "x")
        #expect(
            String(decoding: try SyncWire.encoder().encode(result), as: UTF8.self)
                == #"{"id":"019a2c1e-7c3b-7d10-8000-0a1b2c3d4e5f","reason":"x","status":"rejected"}"#)
        let old = #"{"id":"019A2C1E-7C3B-7D10-8000-0A1B2C3D4E5F","status":"created"}"#
        #expect(
            try JSONDecoder().decode(SyncWire.PushResult.self, from: Data(old.utf8))
                == SyncWire.PushResult(id: Self.eventID, status: .created))
        let retraction = EventPayload.retracted(eventID: Self.eventID, reason: "wrong")
        #expect(
            try EventCoding.encode(retraction)
                == #"{"event_id":"019a2c1e-7c3b-7d10-8000-0a1b2c3d4e5f","reason":"wrong"}"#)
    }

    @Test func payloadsStoredInUpperCaseByAnOlderVersionReadTheSame() throws {
        let stored = try EventCoding.encode(Self.opening().payload)
        #expect(stored.contains(#""person_id":"019a2c1e-7c3b-7d10-8000-0a1b2c3d4eab""#))
        let older = stored.replacingOccurrences(
            of: "019a2c1e-7c3b-7d10-8000-0a1b2c3d4eab", with: "019A2C1E-7C3B-7D10-8000-0A1B2C3D4EAB")
        #expect(older != stored)
        #expect(try EventCoding.decode(kind: .wantedOpened, data: older) == Self.opening().payload)
        let retraction = #"{"event_id":"019A2C1E-7C3B-7D10-8000-0A1B2C3D4E5F","reason":"wrong"}"#
        #expect(
            try EventCoding.decode(kind: .retracted, data: retraction)
                == .retracted(eventID: Self.eventID, reason: "wrong"))
    }
}

/// A push sends each event's JSON written from its stored columns (`OutgoingEvent`), not through `JSONEncoder`: for
/// every kind, with awkward text, the bytes must decode to the event that was stored, and the body to the batch.
@Suite struct OutgoingEventTests {
    @Test func theOutboxWritesWhatJSONDecoderReadsBackAsTheStoredEvent() throws {
        let t = try TestRegistry()
        var factory = EventFactory(unit: t.registry.unit, author: EventCodingTests.awkward, now: TestRegistry.now)
        let events = EventCodingTests.payloads.map { payload in
            factory.make(
                payload, record: UUID(), kind: payload.kind.recordKind ?? .wanted, on: LocalDate("2020-05-10")!)
        }
        try t.registry.database.write { db in _ = try t.registry.insert(events, origin: "local", in: db) }
        let outgoing = try t.registry.station.outgoing(after: 0, limit: 100)
        #expect(outgoing.map(\.id) == events.map(\.id))
        #expect(try outgoing.map { try $0.event() } == events)
        #expect(outgoing.map(\.sequence) == Array(1...Int64(events.count)))
        let body = try JSONDecoder().decode(SyncWire.PushRequest.self, from: Data(SyncWire.pushBody(outgoing)))
        #expect(body.events == events)
        // After the third event, the rest.
        #expect(try t.registry.station.outgoing(after: 3, limit: 100).map(\.id) == events.dropFirst(3).map(\.id))
    }
}
