import Foundation
import NIOCore
import Testing

@testable import DragnetServer

/// The figures route's kept bodies and tokens' hashes: the same bytes as made afresh, made once per kept value.
@Suite struct KeptBodiesTests {
    private static func address(_ buffer: ByteBuffer) -> UnsafeRawPointer? {
        buffer.withUnsafeReadableBytes { $0.baseAddress }
    }

    @Test func aKeptReportsBodyIsMadeOnceAndHoldsItsBytes() {
        let bodies = KeptBodies()
        let json = Data((0..<60_000).map { UInt8(truncatingIfNeeded: $0) })
        let copy = json  // another `Data` value sharing the kept report's bytes, as the cache hands them out
        let first = bodies.buffer(for: json)
        let again = bodies.buffer(for: copy)
        #expect(first == ByteBuffer(bytes: json))
        #expect(Self.address(first) == Self.address(again))
    }

    @Test func anotherBodyOfTheSameLengthIsNotMistakenForIt() {
        let bodies = KeptBodies()
        let one = Data(repeating: UInt8(ascii: "a"), count: 5_000)
        let other = Data(repeating: UInt8(ascii: "b"), count: 5_000)
        #expect(bodies.buffer(for: one) == ByteBuffer(bytes: one))
        #expect(bodies.buffer(for: other) == ByteBuffer(bytes: other))
        #expect(bodies.buffer(for: one) == ByteBuffer(bytes: one))
    }

    @Test func theOldestBodyMakesRoomAndSmallBodiesAreCopied() {
        let bodies = KeptBodies(capacity: 2)
        let values = (0..<3).map { Data(repeating: UInt8($0), count: 1_000) }
        let firstBuffer = bodies.buffer(for: values[0])
        _ = bodies.buffer(for: values[1])
        _ = bodies.buffer(for: values[2])  // values[0] leaves
        let again = bodies.buffer(for: values[0])
        #expect(again == ByteBuffer(bytes: values[0]))
        #expect(Self.address(again) != Self.address(firstBuffer))
        // Small values may be inline, shown at a temporary address: two of the same length are never confused.
        let small = Data("{\"a\":1}".utf8)
        let otherSmall = Data("{\"b\":2}".utf8)
        #expect(bodies.buffer(for: small) == ByteBuffer(bytes: small))
        #expect(bodies.buffer(for: otherSmall) == ByteBuffer(bytes: otherSmall))
        #expect(bodies.buffer(for: small) == ByteBuffer(bytes: small))
    }

    @Test func aTokenIsHashedOnceAndTheMapEmptiesWhenFull() {
        let hashes = TokenHashes(capacity: 2)
        var computed: [String] = []
        func hash(_ token: String) -> String {
            hashes.hash(token) { token in
                computed.append(token)
                return TokenIssuer.hash(token)
            }
        }
        #expect(hash("t1") == TokenIssuer.hash("t1"))
        #expect(hash("t1") == TokenIssuer.hash("t1"))
        #expect(computed == ["t1"])
        _ = hash("t2")
        _ = hash("t3")  // full: emptied, then t3 kept
        #expect(hash("t1") == TokenIssuer.hash("t1"))
        #expect(computed == ["t1", "t2", "t3", "t1"])
        // A real token (67 characters) is kept; one of exactly the longest length too.
        let real = TokenIssuer.newToken()
        _ = hash(real)
        _ = hash(real)
        #expect(computed.filter { $0 == real }.count == 1)
        let longest = String(repeating: "y", count: TokenHashes.longestKept)
        _ = hash(longest)
        _ = hash(longest)
        #expect(computed.filter { $0 == longest }.count == 1)
        // Canonically equivalent but different bytes (K and the Kelvin sign): each hashed from its own bytes.
        #expect(hash("dn_K") == TokenIssuer.hash("dn_K"))
        #expect(hash("dn_\u{212A}") == TokenIssuer.hash("dn_\u{212A}"))
        #expect(TokenIssuer.hash("dn_K") != TokenIssuer.hash("dn_\u{212A}"))
        // Longer than any token: hashed at every request, never kept.
        let long = String(repeating: "x", count: TokenHashes.longestKept + 1)
        #expect(hash(long) == TokenIssuer.hash(long))
        #expect(hash(long) == TokenIssuer.hash(long))
        #expect(computed.filter { $0 == long }.count == 2)
    }
}
