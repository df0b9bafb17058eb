import Dispatch
import DragnetCore
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import ServiceLifecycle

/// Builds the central endpoint: the application `dragnet serve` runs and the tests run, identical.
/// `onRunning` is told the port the server listens on once it does (useful with port 0).
public func buildApplication(
    configuration: ServerConfiguration, registry: Registry, logger: Logger,
    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let api = APIRoutes(
        CentralAPI(
            registry: registry, pushLimits: configuration.push,
            pushOrder: PushOrder(patience: configuration.pushOrderPatience)))
    // HEAD is answered wherever GET is: the same status and header fields, no body.
    let router = Router(context: CentralContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ErrorShieldMiddleware(logger: logger))
    router.add(middleware: AllowedMethodsMiddleware(methods: api.allowedMethods))
    // The dashboard's sessions live in memory (a restart signs everyone out); the cookie is HttpOnly, SameSite=Strict,
    // and Secure unless the server is reached over plain HTTP on loopback (SPEC §9): Secure when the server listens
    // on another address, and, on loopback, when the TLS proxy in front says the browser came over HTTPS
    // (`X-Forwarded-Proto: https`, `SecureCookieMiddleware`).
    let sessionStore = MemoryPersistDriver()
    let sessions = SessionMiddleware<CentralContext>(
        storage: sessionStore,
        configuration: .init(
            sessionCookieParameters: .init(
                name: dashboardCookieName, path: "/", secure: !configuration.isLoopback, sameSite: .strict),
            keyPrefix: dashboardSessionKeyPrefix, defaultSessionExpiration: dashboardSessionLifetime))
    router.add(middleware: SecureCookieMiddleware())
    DashboardRoutes(registry: registry, sessionStore: sessionStore).add(to: router, sessions: sessions)
    api.register(on: router)
    // The facts of every case are read into memory while the server starts, so that the first request finds them
    // kept (a request that comes first waits for this read rather than making its own).
    DispatchQueue.global(qos: .userInitiated).async {
        do {
            try registry.figures.prepare()
        } catch {
            logger.error("could not read the figures' facts at start: \(error)")
        }
    }
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "dragnet"),
        services: [sessionStore, BackgroundCheckpointService(registry: registry, logger: logger)],
        onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

/// The WAL copied back into the file on a thread of its own while the server runs (`Registry.checkpointInBackground`),
/// not in the pushes' commits; stopped, and waited for, when the server shuts down. If it cannot start, the writer
/// checkpoints in its commits as before.
struct BackgroundCheckpointService: Service {
    let registry: Registry
    let logger: Logger

    func run() async throws {
        do {
            try registry.checkpointInBackground()
        } catch {
            logger.error("could not start the background checkpoints: \(error)")
        }
        // A service that returns ends the whole server: this one waits for the graceful shutdown (or throws when its
        // task is cancelled), then stops the thread.
        try? await gracefulShutdown()
        registry.stopBackgroundCheckpoints()
    }
}

/// Turns every error that is not already an `APIError` into one: a registry error into 400 with its sentence,
/// anything else into a plain 500 whose details go to the server's log only.
struct ErrorShieldMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as DashboardError {
            throw error
        } catch let error as DashboardSignIn {
            throw error
        } catch  where !request.uri.path.hasPrefix("/v1/") {
            // A page of the dashboard: the reader gets a page in their language, never JSON or details.
            let language = DashboardQuery.language(request)
            if let error = error as? HTTPResponseError, error.status == .notFound {
                logger.debug("no page at \(request.uri.path)")
                throw DashboardError(
                    status: .notFound, language: language, message: Phrase.notFoundTitle.text(language))
            }
            logger.error("dashboard request failed: \(error)")
            throw DashboardError(
                status: .internalServerError, language: language, message: Phrase.errorTitle.text(language))
        } catch let error as DragnetError {
            if error.code == .failure { logger.error("request failed: \(error.message)") }
            throw APIError.from(error)
        } catch let error as HTTPResponseError {
            throw APIError(error.status, "http_\(error.status.code)", error.status.reasonPhrase)
        } catch {
            logger.error("request failed: \(error)")
            throw APIError(.internalServerError, "internal", "the server could not do that")
        }
    }
}

/// Marks the dashboard's session cookie `Secure` when the browser reached a loopback server through a TLS proxy
/// (`X-Forwarded-Proto: https`), the deployment the README describes; plain HTTP on loopback keeps it without, or
/// the browser would never send it back.
struct SecureCookieMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response = try await next(request, context)
        guard request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https" else { return response }
        let cookies = response.headers[values: .setCookie]
        guard cookies.contains(where: { $0.hasPrefix(dashboardCookieName + "=") && !$0.contains("; Secure") }) else {
            return response
        }
        response.headers[values: .setCookie] = cookies.map {
            $0.hasPrefix(dashboardCookieName + "=") && !$0.contains("; Secure") ? $0 + "; Secure" : $0
        }
        return response
    }
}
