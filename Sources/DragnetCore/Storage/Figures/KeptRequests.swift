import Synchronization

/// What the figures route reads from the database at every request besides the facts — the live token with the hash
/// it was given, the figures' settings and the derived tables' state (`Figures.Settings`) — kept for one version of
/// the file (`DataVersion`). A request that finds them here for the version the file is at now reads nothing from
/// the database: a token revoked, a target set or an event stored by any connection, in this process or another,
/// changes the version, and the next request reads them again. Only live tokens are kept: a wrong or revoked one is
/// looked up at every request (as before), so a stream of wrong tokens cannot push the right ones out.
final class KeptRequests: Sendable {
    /// The most tokens kept for one version; past it they are all forgotten (a central has a few hundred).
    static let tokenLimit = 1024

    private struct Kept {
        var version: Int64
        var settings: Figures.Settings
        var tokens: [String: AccessToken] = [:]
    }

    private let kept = Mutex<Kept?>(nil)

    /// The live token with `hash` and the settings, when both are kept for `version`.
    func lookup(_ hash: String, at version: Int64) -> (token: AccessToken, settings: Figures.Settings)? {
        kept.withLock { kept in
            guard let kept, kept.version == version, let token = kept.tokens[hash] else { return nil }
            return (token, kept.settings)
        }
    }

    /// Keeps what was read at `version` or later: the caller asked the version before it read, so what it keeps is
    /// never older than the version it is kept for (a commit in between changes the version the next request sees).
    /// What is kept for a later version stays (a slow request must not put it back to an earlier one).
    func keep(_ token: AccessToken, for hash: String, settings: Figures.Settings, at version: Int64) {
        kept.withLock { kept in
            if let current = kept?.version, current > version { return }
            var now =
                kept.take().flatMap { $0.version == version ? $0 : nil } ?? Kept(version: version, settings: settings)
            if now.tokens.count >= Self.tokenLimit { now.tokens = [:] }
            now.tokens[hash] = token
            kept = now
        }
    }
}
