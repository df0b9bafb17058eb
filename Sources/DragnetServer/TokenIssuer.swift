import Crypto
import DragnetCore
import Foundation

/// Makes access tokens and recognises them. A token is 32 random bytes from the system's secure generator, written
/// as `dn_` and 64 hex digits; the server keeps only its SHA-256 hash, so a copy of the database gives no token away.
public enum TokenIssuer {
    /// A new token: shown once to the person who asked for it, then only its hash is kept.
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "dn_" + hex(bytes)
    }

    /// The SHA-256 hash of a token, as 64 lower-case hex digits.
    public static func hash(_ token: String) -> String {
        hex(Array(SHA256.hash(data: Data(token.utf8))))
    }

    /// Creates a token for `unit` with `role` in the central database and returns the token itself.
    public static func issue(
        in registry: Registry, unit: UnitCode, role: AccessToken.Role, label: String, now: Timestamp
    ) throws -> (token: String, record: AccessToken) {
        let token = newToken()
        let record = try registry.central.addToken(hash: hash(token), unit: unit, role: role, label: label, now: now)
        return (token, record)
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
