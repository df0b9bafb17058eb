/// The HTTP methods the sync client sends.
public enum HTTPMethod: String, Sendable, Equatable, CaseIterable {
    /// `GET`: read a resource; never carries a body.
    case get = "GET"
    /// `HEAD`: like `GET` without a response body.
    case head = "HEAD"
    /// `POST`: send a body (the push of a batch of events).
    case post = "POST"
    /// `PUT`: replace a resource with the body.
    case put = "PUT"
    /// `PATCH`: change part of a resource.
    case patch = "PATCH"
    /// `DELETE`: remove a resource.
    case delete = "DELETE"
}
