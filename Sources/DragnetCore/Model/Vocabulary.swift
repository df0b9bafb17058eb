import Foundation

/// A person's sex as recorded. `Nam`/`Nữ` are accepted on input and stored as `M`/`F`.
public enum Sex: String, Sendable, Codable, CaseIterable {
    case male = "M"
    case female = "F"

    /// Parses `M`, `F`, `Nam`, `Nữ` (any case); `nil` for anything else. A blank field means unknown and is handled
    /// by the caller.
    public init?(input: some StringProtocol) {
        switch input {
        case "M": self = .male
        case "F": self = .female
        default: self.init(spelled: input)
        }
    }

    private init?(spelled input: some StringProtocol) {
        switch String(input).precomposedStringWithCanonicalMapping.lowercased() {
        case "m", "nam": self = .male
        case "f", "nữ": self = .female
        default: return nil
        }
    }
}

/// How dangerous a wanted person is held to be (*truy nã đặc biệt nguy hiểm / nguy hiểm / thường*).
public enum DangerClass: String, Sendable, Codable, CaseIterable {
    case especiallyDangerous = "especially_dangerous"
    case dangerous
    case ordinary
}

/// How a wanted case closed. Only `arrested` and `surrendered` are captures.
public enum ClosingKind: String, Sendable, Codable, CaseIterable {
    case arrested
    case surrendered
    case died
    case struckOff = "struck_off"

    /// Whether the plan counts this closing as a capture.
    public var isCapture: Bool { self == .arrested || self == .surrendered }
}

/// Why a person left prison.
public enum ReleaseType: String, Sendable, Codable, CaseIterable {
    case amnesty
    case earlyRelease = "early_release"
    case sentenceCompleted = "sentence_completed"
}

/// How a release case ended.
public enum EndingKind: String, Sendable, Codable, CaseIterable {
    case reoffended
    case revoked
    case died
    case expunged
}

/// How an officer checked on a released person under supervision (SPEC §10).
public enum ContactKind: String, Sendable, Codable, CaseIterable {
    case inPerson = "in_person"
    case homeVisit = "home_visit"
    case phone
    case other
}

extension CaseIterable where Self: RawRepresentable, RawValue == String {
    /// The accepted spellings, for error messages: `arrested, surrendered, died, struck_off`.
    public static var spellings: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
