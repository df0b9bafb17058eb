import Foundation
import Testing

@testable import DragnetCore

@Suite("Ordered JSON encoder")
struct OrderedJSONEncoderTests {
    struct Sample: Encodable {
        enum CodingKeys: String, CodingKey { case zeta, alpha, text, list, nested, empty }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(1, forKey: .zeta)
            try c.encodeNil(forKey: .alpha)
            try c.encode("quote \" backslash \\ newline \n tab \t bell \u{7} Đức", forKey: .text)
            var list = c.nestedUnkeyedContainer(forKey: .list)
            try list.encode(true)
            try list.encode(0.1)
            try list.encodeNil()
            var nested = c.nestedContainer(keyedBy: CodingKeys.self, forKey: .nested)
            try nested.encode([Int](), forKey: .empty)
            try c.encode(2, forKey: .zeta)  // a second write replaces the value, keeping the key's place
        }
    }

    @Test("keys in writing order, strings escaped, nulls written, every run the same")
    func compact() throws {
        let expected =
            #"{"zeta":2,"alpha":null,"text":"quote \" backslash \\ newline \n tab \t bell \u0007 Đức","#
            + #""list":[true,0.1,null],"nested":{"empty":[]}}"#
        for _ in 0..<3 {
            #expect(String(decoding: try OrderedJSONEncoder().encode(Sample()), as: UTF8.self) == expected)
        }
    }

    @Test("pretty layout")
    func pretty() throws {
        let text = String(decoding: try OrderedJSONEncoder(layout: .pretty).encode(Sample()), as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"zeta\": 2,\n  \"alpha\": null,\n"))
        #expect(
            text.hasSuffix(
                "  \"list\": [\n    true,\n    0.1,\n    null\n  ],\n  \"nested\": {\n    \"empty\": []\n  }\n}"))
    }

    @Test("a number JSON cannot hold is an error", arguments: [Double.nan, .infinity, -.infinity])
    func nonFinite(value: Double) {
        #expect(throws: EncodingError.self) { try OrderedJSONEncoder().encode([value]) }
    }

    @Test("the error names where the number is: keys and indexes from the top")
    func nonFinitePath() {
        struct Inner: Encodable { var rate: Double }
        struct Outer: Encodable { var units: [Inner] }
        do {
            _ = try OrderedJSONEncoder().encode(Outer(units: [Inner(rate: 0.5), Inner(rate: .infinity)]))
            Issue.record("no error")
        } catch let EncodingError.invalidValue(_, context) {
            #expect(context.debugDescription == "inf at units.1.rate is not a JSON number")
        } catch {
            Issue.record("another error: \(error)")
        }
    }

    @Test("top-level scalars and dates")
    func scalars() throws {
        #expect(
            String(decoding: try OrderedJSONEncoder().encode(MetricsFixture.day("2020-02-29")), as: UTF8.self)
                == #""2020-02-29""#)
        #expect(String(decoding: try OrderedJSONEncoder().encode([Int64(-5), 7]), as: UTF8.self) == "[-5,7]")
    }
}
