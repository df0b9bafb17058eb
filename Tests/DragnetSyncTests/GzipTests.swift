import DragnetGzip
import DragnetSync
import Foundation
import Testing

/// `Gzip` over zlib: round trips, real gzip from elsewhere, the bomb limit and damaged input.
@Suite("Gzip")
struct GzipTests {
    /// `printf 'hello, dragnet\n' | gzip -n`, made by the gzip command, not by this code.
    static let fromGzipCommand: [UInt8] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0xd7, 0x51, 0x48,
        0x29, 0x4a, 0x4c, 0xcf, 0x4b, 0x2d, 0xe1, 0x02, 0x00, 0x1e, 0xee, 0x38, 0x06, 0x0f, 0x00, 0x00, 0x00,
    ]

    /// 5 MB: random bytes (incompressible) followed by text (very compressible), from a fixed seed.
    static let large: [UInt8] = {
        var state: UInt64 = 2026
        var bytes: [UInt8] = []
        bytes.reserveCapacity(5_000_100)
        while bytes.count < 2_500_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407  // a 64-bit LCG
            withUnsafeBytes(of: state >> 16) { bytes.append(contentsOf: $0.prefix(6)) }
        }
        let line = Array("79.26734,TN-00012,Nguyễn Văn A,1980-04-02,wanted.opened\n".utf8)
        while bytes.count < 5_000_000 {
            bytes.append(contentsOf: line)
        }
        return bytes
    }()

    /// The inputs of the round trip, named (Swift Testing would describe a raw 5 MB array byte by byte).
    enum Sample: String, CaseIterable, Sendable {
        case empty, oneByte, small, fiveMegabytes

        var bytes: [UInt8] {
            switch self {
            case .empty: return []
            case .oneByte: return [0]
            case .small: return Array("hello, dragnet\n".utf8)
            case .fiveMegabytes: return GzipTests.large
            }
        }
    }

    @Test(arguments: Sample.allCases)
    func roundTrip(sample: Sample) throws {
        let bytes = sample.bytes
        let compressed = try Gzip.compress(bytes)
        #expect(Array(compressed.prefix(3)) == [0x1f, 0x8b, 0x08], "gzip magic and deflate method")
        #expect(try Gzip.decompress(compressed, limit: bytes.count) == bytes)
    }

    @Test func textCompressesWell() throws {
        let text = Array(String(repeating: "{\"unit\":\"79.26734\",\"kind\":\"wanted.opened\"}\n", count: 20_000).utf8)
        let compressed = try Gzip.compress(text)
        #expect(compressed.count * 50 < text.count)
    }

    @Test func readsGzipMadeByTheGzipCommand() throws {
        #expect(try Gzip.decompress(Self.fromGzipCommand, limit: 100) == Array("hello, dragnet\n".utf8))
    }

    @Test func readsSeveralMembersInARow() throws {
        let joined = try Gzip.compress(Array("first ".utf8)) + Gzip.compress(Array("second".utf8))
        #expect(try Gzip.decompress(joined, limit: 100) == Array("first second".utf8))
    }

    @Test func bombIsStoppedAtTheLimit() throws {
        let zeros = [UInt8](repeating: 0, count: 20_000_000)
        let bomb = try Gzip.compress(zeros)
        #expect(bomb.count < 40_000)
        let error = try #require(throws: GzipError.self) { try Gzip.decompress(bomb, limit: 1_000_000) }
        #expect(error.code == .tooLarge)
        #expect(error.description.contains("1000000 bytes"))
        #expect(throws: GzipError.self) { try Gzip.decompress(bomb, limit: zeros.count - 1) }
        #expect(try Gzip.decompress(bomb, limit: zeros.count).count == zeros.count)
    }

    @Test(arguments: ["not gzip", "empty", "truncated", "flipped byte", "bad checksum"])
    func damagedInputIsCorrupt(damage: String) throws {
        let good = try Gzip.compress(Array(String(repeating: "dragnet registry ", count: 500).utf8))
        var bytes = good
        switch damage {
        case "not gzip": bytes = Array("hello, this is plain text".utf8)
        case "empty": bytes = []
        case "truncated": bytes = Array(good.dropLast(12))
        case "flipped byte": bytes[good.count / 2] ^= 0xff
        default: bytes[good.count - 6] ^= 0x01  // inside the CRC-32 of the trailer
        }
        let error = try #require(throws: GzipError.self) { try Gzip.decompress(bytes, limit: 1_000_000) }
        #expect(error.code == .corrupt)
    }

    @Test func gzippingARequestBodySetsTheHeaderOnce() throws {
        let request = HTTPRequest(
            method: .post, url: "http://h/", headers: [("content-encoding", "identity")], body: Array("abc".utf8))
        let gzipped = try request.gzippingBody()
        #expect(gzipped.headers.filter { $0.0.lowercased() == "content-encoding" }.map(\.1) == ["gzip"])
        #expect(try Gzip.decompress(gzipped.body, limit: 3) == Array("abc".utf8))
    }
}
