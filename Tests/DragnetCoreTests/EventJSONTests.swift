import Foundation
import Testing

@testable import DragnetCore

/// `EventJSON` reads events without `JSONDecoder`; it must read exactly what `JSONDecoder` reads from the same text,
/// and give up (nil: the caller then uses `JSONDecoder`) on whatever it is not sure of.
@Suite struct EventJSONTests {
    static func events() -> [Event] {
        var factory = EventFactory(
            unit: UnitCode("79.26734")!, author: EventCodingTests.awkward, now: TestRegistry.now)
        return EventCodingTests.payloads.map { payload in
            factory.make(
                payload, record: UUID(), kind: payload.kind.recordKind ?? .wanted, on: LocalDate("2020-05-10")!)
        }
    }

    static func foundation(_ text: String) throws -> [Event] {
        try JSONDecoder().decode(SyncWire.PushRequest.self, from: Data(text.utf8)).events
    }

    @Test func aBodyWrittenByJSONEncoderReadsTheSameBothWays() throws {
        let events = Self.events()
        let body = try SyncWire.encoder().encode(SyncWire.PushRequest(events: events))
        #expect(EventJSON.pushRequest(Array(body)) == events)
        #expect(try Self.foundation(String(decoding: body, as: UTF8.self)) == events)
    }

    @Test func everyStoredPayloadReadsTheSameBothWays() throws {
        for payload in EventCodingTests.payloads {
            let data = try EventCoding.encode(payload)
            #expect(EventJSON.payload(kind: payload.kind, data: data) == payload, "\(payload.kind)")
        }
    }

    /// Members in another order, spaces and line breaks, unknown members (skipped, numbers and nested values too),
    /// upper-case ids, and every escape, against `JSONDecoder` on the same text.
    @Test func whatJSONAllowsReadsAsJSONDecoderReadsIt() throws {
        let text = #"""
             { "extra": [1, -2.5e+3, {"a": null}, true], "events" : [ {
              "data" : { "reason" : "s\u00e9 \ud83d\ude00 \/ \" \\ \n\t\b\f\r", "event_id": "019A2C1E-7C3B-7D10-8000-0A1B2C3D4E5F",
                         "note": 0 },
              "kind":"retracted", "author":"A\u0301", "unit":"79.26734", "recorded_at":"2026-11-26T10:00:00.000Z",
              "effective_date":"2026-11-26", "record_kind":"wanted", "record_id":"019a2c1e-7c3b-7d10-8000-0a1b2c3d4e50",
              "id":"019a2c1e-7c3b-7d10-8000-0a1b2c3d4e51" } ] }
            """#
        let fast = try #require(EventJSON.pushRequest(Array(text.utf8)))
        #expect(fast == (try Self.foundation(text)))
        guard case .retracted(let target, let reason)? = fast.first?.payload else {
            Issue.record("not a retraction: \(fast)")
            return
        }
        #expect(target == UUID(uuidString: "019a2c1e-7c3b-7d10-8000-0a1b2c3d4e5f"))
        #expect(reason == "sé 😀 / \" \\ \n\t\u{08}\u{0C}\r")
        #expect(fast.first?.author == "A\u{301}")
    }

    /// What is not strict JSON, or not a push, `EventJSON` gives up on: `JSONDecoder` then decides (it refuses most
    /// of these; it takes a trailing comma and a leading zero, and so the server does too).
    @Test(arguments: [
        #"{"events":[{"id":"x"}]}"#,  // members missing, a bad id
        #"{"events":[EVENT,]}"#,  // a trailing comma
        #"{"events":[EVENT]"#,  // cut short
        #"{"events":[EVENT]} x"#,  // text after the document
        #"{"events":[EVENT], "n": 01}"#,  // a number JSON does not allow
        #"{"events":"none"}"#,  // not an array
    ])
    func whatIsNotStrictJSONIsGivenUp(template: String) throws {
        let event = try #require(Self.events().first { $0.kind == .wantedClosed })
        let one = String(decoding: try SyncWire.encoder().encode(event), as: UTF8.self)
        let text = template.replacingOccurrences(of: "EVENT", with: one)
        #expect(EventJSON.pushRequest(Array(text.utf8)) == nil)
    }

    /// A value of the wrong type, a bad date, an unknown kind: `EventJSON` gives up on each.
    @Test(arguments: [
        (#""effective_date":"2020-05-10""#, #""effective_date":"2021-02-30""#),
        (#""acting_unit":"01.00004""#, #""acting_unit":7"#),
        (#""kind":"struck_off""#, #""kind":"escaped""#),
        (#""author":"#, #""author":null,"x":"#),
    ])
    func aWrongValueIsGivenUp(good: String, bad: String) throws {
        let event = try #require(Self.events().first { $0.kind == .wantedClosed })
        let one = String(decoding: try SyncWire.encoder().encode(SyncWire.PushRequest(events: [event])), as: UTF8.self)
        #expect(one.contains(good), "\(one)")
        let text = one.replacingOccurrences(of: good, with: bad)
        #expect(EventJSON.pushRequest(Array(text.utf8)) == nil)
        #expect(throws: (any Error).self) { try Self.foundation(text) }
    }

    /// A member given twice: `EventJSON` gives up rather than guess which one `JSONDecoder` would take.
    @Test func aMemberGivenTwiceIsGivenUp() throws {
        let event = try #require(Self.events().first)
        let one = String(decoding: try SyncWire.encoder().encode(SyncWire.PushRequest(events: [event])), as: UTF8.self)
        let text = one.replacingOccurrences(of: #""unit":"#, with: #""unit":"79","unit":"#)
        #expect(EventJSON.pushRequest(Array(text.utf8)) == nil)
    }
}

/// The server writes its push answer by hand (`PushResponse.json()`); it must read back as what `JSONEncoder` wrote.
@Suite struct PushResponseJSONTests {
    @Test(arguments: [
        SyncWire.PushResponse(results: []),
        SyncWire.PushResponse(
            results: [
                .init(id: UUID(), status: .created), .init(id: UUID(), status: .duplicate),
                .init(id: UUID(), status: .rejected, reason: EventCodingTests.awkward + " \u{08}\u{0C} / é"),
            ],
            head: .init(sequence: 42, fingerprint: "00ff"), mark: .init(sequence: 7, fingerprint: nil)),
        SyncWire.PushResponse(
            results: [.init(id: UUID(), status: .created)], head: nil, mark: .init(sequence: 0, fingerprint: "ab")),
    ])
    func readsBackAsJSONEncodersDoes(response: SyncWire.PushResponse) throws {
        let hand = try JSONDecoder().decode(SyncWire.PushResponse.self, from: Data(response.json()))
        #expect(hand == response)
        // And the station's reader reads both spellings back.
        #expect(SyncWire.PushResponse.read(response.json()) == response)
        #expect(SyncWire.PushResponse.read(Array(try SyncWire.encoder().encode(response))) == response)
        let foundation = try SyncWire.encoder().encode(response)
        #expect(hand == (try JSONDecoder().decode(SyncWire.PushResponse.self, from: foundation)))
        // Without control characters in it, the very same bytes.
        if !response.results.contains(where: { $0.reason != nil }) {
            #expect(response.json() == Array(foundation))
        }
    }
}

/// The station's reader of push answers gives up on what it is not sure of (then `JSONDecoder` reads it).
@Suite struct PushResponseReaderTests {
    @Test(arguments: [
        #"{"results":[{"id":"x","status":"created"}]}"#,  // not an id
        #"{"results":[{"id":"019a2c1e-7c3b-7d10-8000-0a1b2c3d4e50","status":"kept"}]}"#,  // not a status
        #"{"results":[],"head":{"sequence":1.5}}"#,  // not a whole number
        #"{"results":[],"head":{"sequence":"7"}}"#,  // a string
        #"{"result":[]}"#,  // no results
    ])
    func whatItIsNotSureOfIsGivenUp(text: String) {
        #expect(SyncWire.PushResponse.read(Array(text.utf8)) == nil)
    }

    @Test func spacesOrderAndUnknownMembersReadAsJSONDecoderReadsThem() throws {
        let text = #"""
             { "mark" : null, "extra": {"n": [1, 2]}, "results" : [ { "status":"rejected", "reason":"ré", "id":
              "019A2C1E-7C3B-7D10-8000-0A1B2C3D4E50" } ], "head": {"sequence": 9007199254740993, "fingerprint": "ab"} }
            """#
        let read = try #require(SyncWire.PushResponse.read(Array(text.utf8)))
        #expect(read == (try JSONDecoder().decode(SyncWire.PushResponse.self, from: Data(text.utf8))))
        #expect(read.head?.sequence == 9_007_199_254_740_993)
    }
}

/// The station reads each pull page with `PullResponse.read` (issue 14: the stations' CPU went mostly to
/// `JSONDecoder`); it must read what `JSONDecoder` reads, and give up on what it is not sure of.
@Suite struct PullResponseReaderTests {
    @Test func aPageAsTheServerWritesItReadsAsJSONDecoderReadsIt() throws {
        let events = EventJSONTests.events()
        let page = SyncWire.PullResponse(
            events: events.enumerated().map { .init(sequence: Int64(40 + $0.offset), event: $0.element) },
            next: 57, more: true, head: .init(sequence: 63, fingerprint: "9f2c"),
            mark: .init(sequence: 12, fingerprint: nil))
        let body = Array(try SyncWire.encoder().encode(page))
        let read = try #require(SyncWire.PullResponse.read(body))
        #expect(read == page)
        #expect(read == (try JSONDecoder().decode(SyncWire.PullResponse.self, from: Data(body))))
        #expect(read.events.map(\.sequence) == Array(40..<Int64(40 + events.count)))
        // An empty page of an empty log: no head, no mark.
        let empty = #"{"events":[],"more":false,"next":0}"#
        #expect(
            SyncWire.PullResponse.read(Array(empty.utf8)) == SyncWire.PullResponse(events: [], next: 0, more: false))
    }

    @Test func spacesOrderAndUnknownMembersReadAsJSONDecoderReadsThem() throws {
        let text = #"""
             { "next" : 9, "extra": [1, {"a": null}], "more": false, "head": null, "events" : [ { "sequence": 9, "event":
              { "data" : { "reason" : "sé", "event_id": "019A2C1E-7C3B-7D10-8000-0A1B2C3D4E5F" },
              "kind":"retracted", "author":"A", "unit":"79.26734", "recorded_at":"2026-11-26T10:00:00.000Z",
              "effective_date":"2026-11-26", "record_kind":"wanted", "record_id":"019a2c1e-7c3b-7d10-8000-0a1b2c3d4e50",
              "id":"019a2c1e-7c3b-7d10-8000-0a1b2c3d4e51" } } ] }
            """#
        let read = try #require(SyncWire.PullResponse.read(Array(text.utf8)))
        #expect(read == (try JSONDecoder().decode(SyncWire.PullResponse.self, from: Data(text.utf8))))
        #expect(read.next == 9 && read.more == false && read.events.count == 1 && read.head == nil)
    }

    @Test(arguments: [
        #"{"events":[],"more":false}"#,  // no next
        #"{"events":[],"next":1.5,"more":false}"#,  // not a whole number
        #"{"events":[],"next":"3","more":false}"#,  // a string
        #"{"events":[],"next":3,"more":"no"}"#,  // not a boolean
        #"{"events":[{"sequence":1}],"next":3,"more":false}"#,  // no event
        #"{"events":[{"sequence":1,"event":{"id":"x"}}],"next":3,"more":false}"#,  // not an event
        #"{"events":[],"next":3,"more":false,"head":{"sequence":"7"}}"#,  // a mark not read
        #"{"events":[],"next":3,"more":false,"next":4}"#,  // a member twice
    ])
    func whatItIsNotSureOfIsGivenUp(text: String) {
        #expect(SyncWire.PullResponse.read(Array(text.utf8)) == nil)
    }
}
