import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A response read off the wire by `rawHTTP`.
struct RawResponse {
    var status: Int
    /// Header fields in the order received, names as sent.
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    /// The value of the first field named `name` (any case).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// Sends one HTTP/1.1 request with any method (the sync client's libcurl transport knows only the methods it uses)
/// to 127.0.0.1:`port` over a plain socket, with `Connection: close`, and reads the answer to the end: what the
/// server wrote, body included, byte for byte (a HEAD answer must have none).
func rawHTTP(
    port: Int, _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8] = []
) async throws -> RawResponse {
    var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    if !body.isEmpty { head += "Content-Length: \(body.count)\r\n" }
    let request = Array((head + "\r\n").utf8) + body
    let bytes = try await blocking { try exchange(port: port, request) }
    return try parse(bytes)
}

private struct RawHTTPError: Error, CustomStringConvertible {
    var description: String
}

private func exchange(port: Int, _ request: [UInt8]) throws -> [UInt8] {
    #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw RawHTTPError(description: "socket: errno \(errno)") }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else { throw RawHTTPError(description: "connect: errno \(errno)") }
    var sent = 0
    while sent < request.count {
        let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw RawHTTPError(description: "send: errno \(errno)") }
        sent += n
    }
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { break }
        guard n > 0 else { throw RawHTTPError(description: "recv: errno \(errno)") }
        answer += buffer[0..<n]
    }
    return answer
}

/// Splits status line, header fields and body; the body is what follows the blank line, undecoded (the server
/// answers these requests with `Content-Length`, never chunked).
private func parse(_ bytes: [UInt8]) throws -> RawResponse {
    let separator: [UInt8] = [13, 10, 13, 10]
    guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else {
        throw RawHTTPError(description: "no end of header in \(String(decoding: bytes, as: UTF8.self))")
    }
    let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
    let statusParts = lines[0].split(separator: " ")
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
        throw RawHTTPError(description: "bad status line \(lines[0])")
    }
    let headers = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
        guard let colon = line.firstIndex(of: ":") else { return nil }
        return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }
    return RawResponse(status: status, headers: headers, body: Array(bytes[(end + 4)...]))
}
