import DragnetCore
import Hummingbird
import HummingbirdAuth

/// What a dashboard session remembers: the hash of the token it was opened with (never the token), so that every
/// request checks the token is still live — a revoked token's sessions end with it.
struct DashboardSession: Codable, Sendable {
    var tokenHash: String
}

/// The request context of the central endpoint: Hummingbird's, with the dashboard's session.
typealias CentralContext = BasicSessionRequestContext<DashboardSession, AccessToken>

/// How long a dashboard session lasts without signing in again.
let dashboardSessionLifetime: Duration = .seconds(8 * 60 * 60)

/// The name of the session cookie.
let dashboardCookieName = "dragnet_session"

/// The prefix of the sessions' keys in the session store.
let dashboardSessionKeyPrefix = "dashboard."
