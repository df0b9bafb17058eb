import DragnetCore
import HTTPTypes
import Hummingbird
import NIOCore

/// An error on a dashboard page, answered as a page in the reader's language (never JSON, never a stack trace):
/// 400 names the parameter and the value, 403 the scope that is not the token's, 401 shows the sign-in form.
struct DashboardError: Error, HTTPResponseError, Sendable {
    var status: HTTPResponse.Status
    var language: Language
    var message: String

    static func badRequest(_ language: Language, _ message: String) -> DashboardError {
        DashboardError(status: .badRequest, language: language, message: message)
    }

    static func forbidden(_ language: Language, asked: UnitCode, allowed: UnitCode) -> DashboardError {
        let name = { (unit: UnitCode) in
            unit.isNational ? Phrase.wholeCountryInSentence.text(language) : unit.rawValue
        }
        return DashboardError(
            status: .forbidden, language: language,
            message: Phrase.forbiddenMessage.text(language, ["asked": name(asked), "allowed": name(allowed)]))
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let title: Phrase =
            switch status {
            case .forbidden: .forbiddenTitle
            case .badRequest: .badRequestTitle
            case .notFound: .notFoundTitle
            default: .errorTitle
            }
        let html = DashboardTemplates.render(
            "error",
            [
                "title": title.text(language), "message": message, "back": Phrase.backToDashboard.text(language),
                "backHref": language == .vi ? "/dashboard" : "/dashboard?lang=en",
            ], language: language, signedIn: status != .unauthorized)
        return DashboardResponse.html(html, status: status)
    }
}

/// How dashboard answers are made.
enum DashboardResponse {
    static func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        // Same-origin only: no address of the dashboard leaves for another site, and the browser's own forms carry
        // a real `Origin` (with `no-referrer` it would send `Origin: null`).
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        // Nothing is loaded from elsewhere, and no script runs: the page needs none.
        headers[HTTPField.Name("Content-Security-Policy")!] =
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func redirect(_ location: String) -> Response {
        var headers = HTTPFields()
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }

    /// A CSV download of `bytes`, which start with a byte-order mark (`CSVWriter(byteOrderMark: true)`), so that
    /// spreadsheet programs read the Vietnamese names as UTF-8.
    static func csv(_ bytes: [UInt8], filename: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A CSV download of text made elsewhere (the command line's formats), with the byte-order mark put in front.
    static func csv(_ text: String, filename: String) -> Response {
        csv(Array("\u{FEFF}".utf8) + Array(text.utf8), filename: filename)
    }
}
