/// An error for a person: what went wrong, how to fix it, and the exit status the command line gives it.
public struct DragnetError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is; it decides the exit status.
    public enum Code: Sendable, Equatable {
        /// The command was used wrongly (exit 64).
        case usage
        /// The input data breaks a rule or cannot be read (exit 65).
        case badInput
        /// A record, event or file that was named does not exist (exit 65: the input named it).
        case notFound
        /// The central server could not be reached after retries (exit 69).
        case unreachable
        /// The database is missing, damaged or of another version, or another failure (exit 1).
        case failure
    }

    public var code: Code
    public var message: String
    /// The lower-level error behind this one, for logs; never shown with SQL or secrets.
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }

    /// The exit status of SPEC §8.
    public var exitStatus: Int32 {
        switch code {
        case .usage: return 64
        case .badInput, .notFound: return 65
        case .unreachable: return 69
        case .failure: return 1
        }
    }

    /// A rule violation, worded as `79.26734/TN-00012, closing_date "2019-01-01": is before the case's opening…`.
    public static func violation(_ anomaly: Anomaly) -> DragnetError {
        DragnetError(.badInput, anomaly.sentence)
    }
}

extension Anomaly {
    /// The anomaly as one line for a person.
    public var sentence: String {
        value.isEmpty ? "\(record), \(field): \(message)" : "\(record), \(field) \"\(value)\": \(message)"
    }
}
