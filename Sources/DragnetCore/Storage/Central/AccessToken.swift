/// A central server's access token, as stored: never the token itself, only its SHA-256 hash.
public struct AccessToken: Sendable, Equatable {
    /// What a token may do.
    public enum Role: String, Sendable, CaseIterable {
        /// Push events recorded by its unit or the units below; pull what its unit may see; read figures.
        case station
        /// Read only: pull and figures, over its scope.
        case hq
    }

    public var id: Int64
    /// The unit a station token acts for, or the scope a headquarters token reads (`*`: the whole country).
    public var unit: UnitCode
    public var role: Role
    public var label: String
    public var createdAt: Timestamp
    public var revokedAt: Timestamp?
}

extension AccessToken {
    /// Refuses a token that cannot be: a station token for the national scope `*`, which is a scope for
    /// headquarters to read, never a unit that records events (a `DragnetError` with the usage code).
    public static func check(unit: UnitCode, role: Role) throws {
        if role == .station && unit.isNational {
            throw DragnetError(
                .usage,
                "a station token needs a unit code (like 79.26734): * is the whole country's scope, "
                    + "for headquarters tokens only (--role hq)")
        }
    }
}
