import DragnetCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error answered as JSON `{"error": CODE, "message": SENTENCE}` with a fitting status. Never a stack trace,
/// never SQL: database failures are logged on the server and answered with a plain sentence.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// Header fields the answer carries besides `Content-Type` (`Allow` for a 405).
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "bad_request", message) }
    static let unauthorized = APIError(
        .unauthorized, "unauthorized", "send a valid token as `Authorization: Bearer TOKEN` (dragnet token add)")
    static func forbidden(_ message: String) -> APIError { APIError(.forbidden, "forbidden", message) }
    /// A push over one of `limits`, named by its field in the health answer; `events` is the push's count.
    static func tooLarge(
        _ field: SyncWire.PushLimits.CodingKeys, of limits: SyncWire.PushLimits, events: Int = 0
    ) -> APIError {
        let over =
            switch field {
            case .maxEvents: "the push holds \(events) events; this server takes at most \(limits.maxEvents)"
            case .maxSentBytes: "the request body is over \(limits.maxSentBytes) bytes as sent"
            case .maxInflatedBytes: "the request body is over \(limits.maxInflatedBytes) bytes once gzip is undone"
            case .maxInFlight: "more than \(limits.maxInFlight) pushes of one sync are in flight"
            }
        return APIError(
            .contentTooLarge, "too_large", "\(over) (push.\(field.rawValue) in GET /v1/health); send smaller batches")
    }
    /// A numbered push (`sync`, `order`) that cannot be judged in its order (`PushOrder`).
    static func outOfOrder(order: Int) -> APIError {
        APIError(
            .conflict, "out_of_order",
            "push \(order) of this sync cannot be judged after the one before it (not stored here, or not in time); "
                + "send the rest of this sync one push at a time, without sync and order")
    }
    static func methodNotAllowed(_ method: HTTPRequest.Method, path: String, allow: String) -> APIError {
        var headers = HTTPFields()
        headers[.allow] = allow
        return APIError(
            .methodNotAllowed, "method_not_allowed", "\(path) does not answer \(method.rawValue); it answers \(allow)",
            headers: headers)
    }

    /// The answer for an error thrown by the registry or the figures.
    static func from(_ error: DragnetError) -> APIError {
        switch error.code {
        case .usage, .badInput, .notFound: return badRequest(error.message)
        case .unreachable, .failure: return APIError(.internalServerError, "internal", "the server could not do that")
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try SyncWire.encoder().encode(SyncWire.ErrorBody(error: code, message: message))
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
