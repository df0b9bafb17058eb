import CDragnetCurl

/// One request/response exchange on its own libcurl easy handle; lives only inside `CurlTransport.send`.
///
/// A class so that libcurl's C callbacks can reach it through an unretained pointer. It is used by one thread from
/// creation to release and is never shared, so it needs no lock and is not `Sendable`.
final class CurlExchange {
    private let handle: UnsafeMutableRawPointer
    private let request: HTTPRequest
    private let options: CurlOptions
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var body: [UInt8] = []
    private var headers: [String: String] = [:]
    private var lastHeaderName: String?
    private var bodyTooLarge = false

    init(request: HTTPRequest, options: CurlOptions) throws {
        guard let handle = curl_easy_init() else {
            throw TransportError(kind: .other, url: request.url, message: "libcurl could not create a handle")
        }
        self.handle = handle
        self.request = request
        self.options = options
        let size = Int(CURL_ERROR_SIZE)
        errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// Sets every option, performs the exchange and returns the response.
    func perform() throws -> HTTPResponse {
        try configureConnection()
        try configureRequest()
        try configureCallbacks()
        let code = curl_easy_perform(handle)
        if bodyTooLarge {
            throw TransportError(
                kind: .other, url: request.url,
                message: "the response is larger than the limit of \(options.maxResponseBytes) bytes",
                isRetryable: false)
        }
        try check(code)
        var status = 0
        try check(dragnet_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status))
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    // MARK: - Options

    private func configureConnection() throws {
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_FOLLOWLOCATION, 0)
        try set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds(options.connectTimeout))
        try set(CURLOPT_LOW_SPEED_LIMIT, max(options.lowSpeedLimit, 1))
        try set(CURLOPT_LOW_SPEED_TIME, max(Int(options.lowSpeedTime.rounded(.up)), 1))
        if let total = options.totalTimeout {
            try set(CURLOPT_TIMEOUT_MS, milliseconds(total))
        }
        try set(CURLOPT_SSL_VERIFYPEER, options.verifyTLS ? 1 : 0)
        try set(CURLOPT_SSL_VERIFYHOST, options.verifyTLS ? 2 : 0)
        if let caFile = options.caFile {
            try set(CURLOPT_CAINFO, string: caFile)
        }
        try set(CURLOPT_USERAGENT, string: options.userAgent)
        // An empty string asks for every encoding this libcurl can decode, and decodes the body transparently.
        try set(CURLOPT_ACCEPT_ENCODING, string: "")
    }

    private func configureRequest() throws {
        try set(CURLOPT_URL, string: request.url)
        switch request.method {
        case .get, .head:
            guard request.body.isEmpty else {
                throw invalid("a \(request.method.rawValue) request cannot carry a body")
            }
            try set(request.method == .get ? CURLOPT_HTTPGET : CURLOPT_NOBODY, 1)
        case .post:
            try setBody()
        case .put, .patch, .delete:
            try set(CURLOPT_CUSTOMREQUEST, string: request.method.rawValue)
            if request.method != .delete || !request.body.isEmpty {
                try setBody()
            }
        }
        try setHeaders()
    }

    /// The body is copied into libcurl (`CURLOPT_COPYPOSTFIELDS`), after its size, so that binary data with zero
    /// bytes is sent whole and the Swift array need not outlive this call.
    private func setBody() throws {
        try check(dragnet_curl_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
        if request.body.isEmpty {
            try set(CURLOPT_COPYPOSTFIELDS, string: "")
            return
        }
        let code = request.body.withUnsafeBytes { bytes in
            dragnet_curl_setopt_pointer(
                handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
        }
        try check(code)
    }

    private func setHeaders() throws {
        var lines: [String] = []
        for (name, value) in request.headers {
            guard isToken(name) else { throw invalid("the header name \"\(name)\" is not valid") }
            guard !value.utf8.contains(where: { $0 == 10 || $0 == 13 || $0 == 0 }) else {
                // The value is not quoted: it may be a secret such as the Authorization token.
                throw invalid("the value of the header \(name) contains a line break")
            }
            // libcurl drops a header written `Name:` with nothing after it; `Name;` sends it empty.
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        // Remove the headers libcurl would add on its own: `Expect: 100-continue` costs a round trip (or a second's
        // wait on a server that ignores it), and a form-urlencoded content type would misdescribe the body.
        if request.header("Expect") == nil {
            lines.append("Expect:")
        }
        if request.header("Content-Type") == nil {
            lines.append("Content-Type:")
        }
        for line in lines {
            guard let appended = curl_slist_append(headerList, line) else {
                throw invalid("libcurl could not store the request headers")
            }
            headerList = appended
        }
        try check(dragnet_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))
    }

    private func configureCallbacks() throws {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(dragnet_curl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, curlWriteBody))
        try set(CURLOPT_WRITEDATA, pointer: context)
        try check(dragnet_curl_setopt_header_function(handle, curlWriteHeader))
        try set(CURLOPT_HEADERDATA, pointer: context)
    }

    // MARK: - Callbacks

    /// Appends received body bytes; returns fewer than offered (which makes libcurl stop) past the size limit.
    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard body.count + bytes.count <= options.maxResponseBytes else {
            bodyTooLarge = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    /// Records one header line. A status line starts a new response (after a `100 Continue`), so the fields
    /// collected so far are dropped; a line starting with white space continues the previous field.
    fileprivate func receiveHeader(_ bytes: UnsafeRawBufferPointer) -> Int {
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers = [:]
            lastHeaderName = nil
        } else if line.first == " " || line.first == "\t", let name = lastHeaderName, let previous = headers[name] {
            headers[name] = previous + " " + trimmed(Substring(line))
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].lowercased()
            let value = trimmed(line[line.index(after: colon)...])
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
            lastHeaderName = name
        }
        return bytes.count
    }

    // MARK: - Helpers

    private func set(_ option: CURLoption, _ value: Int) throws {
        try check(dragnet_curl_setopt_long(handle, option, value))
    }

    private func set(_ option: CURLoption, string: String) throws {
        try check(dragnet_curl_setopt_string(handle, option, string))
    }

    private func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer) throws {
        try check(dragnet_curl_setopt_pointer(handle, option, pointer))
    }

    private func check(_ code: CURLcode) throws {
        guard code != CURLE_OK else { return }
        throw TransportError(curlCode: code, url: request.url, errorBuffer: String(cString: errorBuffer))
    }

    private func invalid(_ message: String) -> TransportError {
        TransportError(kind: .other, url: request.url, message: message, isRetryable: false)
    }

    private func milliseconds(_ seconds: Double) -> Int {
        max(Int((seconds * 1000).rounded(.up)), 1)
    }

    private func isToken(_ name: String) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                byte > 32 && byte < 127 && !"()<>@,;:\\\"/[]?={}".utf8.contains(byte)
            }
    }

    private func trimmed(_ text: Substring) -> String {
        var slice = text
        while let first = slice.first, first == " " || first == "\t" {
            slice.removeFirst()
        }
        while let last = slice.last, last.isWhitespace || last.isNewline {
            slice.removeLast()
        }
        return String(slice)
    }
}

/// libcurl's body callback: forwards to the `CurlExchange` passed as `CURLOPT_WRITEDATA`.
private func curlWriteBody(data: UnsafeMutablePointer<CChar>?, size: Int, count: Int, context: UnsafeMutableRawPointer?)
    -> Int
{
    guard let context else { return 0 }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue()
    return exchange.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

/// libcurl's header callback: forwards each header line to the `CurlExchange` passed as `CURLOPT_HEADERDATA`.
private func curlWriteHeader(
    data: UnsafeMutablePointer<CChar>?, size: Int, count: Int, context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue()
    return exchange.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
}
