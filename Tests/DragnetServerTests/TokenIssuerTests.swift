import DragnetCore
import Foundation
import Testing

@testable import DragnetServer

@Suite struct TokenIssuerTests {
    @Test func hashesAreSHA256InLowerCaseHex() {
        // FIPS 180-2 test vector: SHA-256("abc").
        #expect(TokenIssuer.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func tokensAreLongRandomAndDistinct() {
        let tokens = (0..<100).map { _ in TokenIssuer.newToken() }
        #expect(Set(tokens).count == 100)
        for token in tokens {
            #expect(token.hasPrefix("dn_") && token.count == 3 + 64)
            #expect(token.dropFirst(3).allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
    }

    @Test func theDatabaseKeepsOnlyTheHash() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dragnet-token-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let registry = try Registry.create(
            at: directory.appendingPathComponent("central.sqlite").path, unit: UnitCode("central")!, role: .central,
            now: Timestamp("2026-11-26T10:00:00Z")!)
        let issued = try TokenIssuer.issue(
            in: registry, unit: UnitCode("79.26734")!, role: .station, label: "ward", now: Timestamp.now())
        #expect(try registry.central.token(hash: TokenIssuer.hash(issued.token))?.unit == UnitCode("79.26734"))
        #expect(try registry.central.token(hash: TokenIssuer.hash(issued.token + "x")) == nil)
        for file in [registry.path, registry.path + "-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data()
            #expect(bytes.range(of: Data(issued.token.utf8)) == nil, "the token itself is never written to \(file)")
        }
        let hash = TokenIssuer.hash(issued.token)
        let written = [registry.path, registry.path + "-wal"].compactMap {
            try? Data(contentsOf: URL(fileURLWithPath: $0))
        }
        #expect(written.contains { $0.range(of: Data(hash.utf8)) != nil }, "the hash is (so the search above can fail)")
        #expect(try registry.central.revokeToken(id: issued.record.id, now: Timestamp.now()))
        #expect(try registry.central.token(hash: TokenIssuer.hash(issued.token)) == nil, "a revoked token is refused")
    }
}

@Suite struct APIErrorTests {
    @Test func registryFailuresNeverShowTheirDetails() {
        let failure = APIError.from(DragnetError(.failure, "could not write to /srv/central.sqlite: SQL logic error"))
        #expect(failure.status == .internalServerError && failure.message == "the server could not do that")
        let bad = APIError.from(DragnetError(.badInput, "79/TN-1, closing_date \"2019-01-01\": is before the opening"))
        #expect(bad.status == .badRequest && bad.message.contains("closing_date"))
    }
}
