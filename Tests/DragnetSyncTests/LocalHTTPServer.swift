import Foundation

/// A tiny real HTTP server on 127.0.0.1 (Python's `http.server`), started per test and killed at its end.
///
/// Routes: `/headers` lists the request headers; `/echo` returns the body (inflated when sent gzip'd) and names
/// the method, `Content-Encoding`, `Expect` and `Content-Type` it received in `X-…` headers;
/// `/gzip` answers gzip-encoded; `/flaky?key=K&fail=N&status=S&retry_after=R` fails N times then answers 200;
/// `/status?code=C`; `/count?path=P&key=K` counts the requests a route received; `/hang` accepts and never answers.
/// It also plays a central server from before push limits were announced: `/v1/health` answers without `push`,
/// `POST /v1/events` answers `created` for every event of a push of at most 500 and 413 for more (as those servers
/// did), and `/v1/pushes` lists the number of events of each push received, one a line.
/// It also holds a port bound but not listening (`closedPort`), where a connection is refused at once.
final class LocalHTTPServer {
    let port: Int
    let closedPort: Int
    private let process: Process
    private let directory: URL

    let isTLS: Bool

    var baseURL: String { "\(isTLS ? "https" : "http")://127.0.0.1:\(port)" }
    /// The self-signed certificate of a TLS server (for `CurlOptions.caFile`).
    var certificatePath: String { directory.appendingPathComponent("cert.pem").path }

    /// Whether `openssl` is there to make a certificate for a TLS server.
    static let canServeTLS = FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")

    private init(port: Int, closedPort: Int, isTLS: Bool, process: Process, directory: URL) {
        self.port = port
        self.isTLS = isTLS
        self.closedPort = closedPort
        self.process = process
        self.directory = directory
    }

    /// Runs `body` with a fresh server and kills the server afterwards, whether `body` threw or not.
    static func with<T>(tls: Bool = false, _ body: (LocalHTTPServer) async throws -> T) async throws -> T {
        let server = try start(tls: tls)
        defer { server.stop() }
        return try await body(server)
    }

    /// Starts a server; with `tls`, it serves HTTPS with a fresh self-signed certificate for 127.0.0.1.
    static func start(tls: Bool = false) throws -> LocalHTTPServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("dragnet-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = directory.appendingPathComponent("server.py")
        try pythonScript.write(to: script, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + (tls ? ["tls"] : [])
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()

        // The script prints "PORT CLOSED_PORT" once it listens.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let more = output.fileHandleForReading.availableData
            if more.isEmpty { break }
            line.append(more)
        }
        let ports = String(decoding: line, as: UTF8.self).split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard ports.count == 2 else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw ServerError(message: "the test HTTP server did not start (python3 missing?)")
        }
        return LocalHTTPServer(
            port: ports[0], closedPort: ports[1], isTLS: tls, process: process, directory: directory)
    }

    /// Kills the server with SIGKILL: a child started from a test thread inherits that thread's blocked signals,
    /// SIGTERM among them, so `Process.terminate()` may go unheard.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    struct ServerError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    private static let pythonScript = #"""
        import gzip, json, os, socket, ssl, subprocess, sys, threading, time
        from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
        from urllib.parse import urlparse, parse_qs

        counts = {}
        pushes = []
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status, body=b"", headers=()):
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def route(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with lock:
                    key = url.path + "?" + query.get("key", "")
                    counts[key] = counts.get(key, 0) + 1
                    count = counts[key]
                if url.path == "/headers":
                    lines = "".join(f"{k.lower()}: {v}\n" for k, v in self.headers.items())
                    extra = [("X-Test", "one"), ("X-Test", "two"), ("Content-Type", "text/plain")]
                    self.reply(200, lines.encode(), extra)
                elif url.path == "/echo":
                    encoding = self.headers.get("Content-Encoding", "")
                    if encoding == "gzip":
                        body = gzip.decompress(body)
                    self.reply(200, body, [
                        ("X-Method", self.command), ("X-Received-Encoding", encoding or "identity"),
                        ("X-Received-Expect", self.headers.get("Expect", "none")),
                        ("X-Received-Content-Type", self.headers.get("Content-Type", "none"))])
                elif url.path == "/gzip":
                    text = ("dragnet " * 1000).encode()
                    if "gzip" in self.headers.get("Accept-Encoding", ""):
                        self.reply(200, gzip.compress(text), [("Content-Encoding", "gzip")])
                    else:
                        self.reply(406, b"gzip not accepted")
                elif url.path == "/flaky":
                    if count <= int(query.get("fail", "1")):
                        extra = [("Retry-After", query["retry_after"])] if "retry_after" in query else []
                        self.reply(int(query.get("status", "503")), b"try later", extra)
                    else:
                        self.reply(200, f"ok after {count}".encode())
                elif url.path == "/status":
                    self.reply(int(query.get("code", "404")), b"status")
                elif url.path == "/count":
                    with lock:
                        seen = counts.get(query.get("path", "") + "?" + query.get("key", ""), 0)
                    self.reply(200, str(seen).encode())
                elif url.path == "/hang":
                    time.sleep(120)
                elif url.path == "/v1/health":
                    self.reply(200, b'{"events":0,"status":"ok","unit":"central","version":"0.1.0"}',
                               [("Content-Type", "application/json")])
                elif url.path == "/v1/events" and self.command == "POST":
                    if self.headers.get("Content-Encoding", "") == "gzip":
                        body = gzip.decompress(body)
                    events = json.loads(body)["events"]
                    with lock:
                        pushes.append(len(events))
                    if len(events) > 500:
                        self.reply(413, json.dumps({"error": "too_large", "message":
                            "the request body is over 8388608 bytes or 500 events; send smaller batches"}).encode(),
                            [("Content-Type", "application/json")])
                    else:
                        results = [{"id": event["id"], "status": "created"} for event in events]
                        self.reply(200, json.dumps({"results": results}).encode(),
                                   [("Content-Type", "application/json")])
                elif url.path == "/v1/pushes":
                    with lock:
                        self.reply(200, "".join(f"{n}\n" for n in pushes).encode())
                else:
                    self.reply(404, b"no route")

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = route

        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        if sys.argv[1:] == ["tls"]:
            here = os.path.dirname(os.path.abspath(__file__))
            cert, key = os.path.join(here, "cert.pem"), os.path.join(here, "key.pem")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                            "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                           check=True, capture_output=True)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            server.socket = context.wrap_socket(server.socket, server_side=True)
        print(server.server_address[1], closed.getsockname()[1], flush=True)
        server.serve_forever()
        """#
}

/// Blocking work (a libcurl exchange) run on a thread of its own, off Swift's cooperative pool, and awaited.
enum Blocking {
    /// The result of `work`, run on a new thread.
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try work() })
            }
            thread.start()
        }
    }

    /// The result of `work` and the seconds it took, measured on its thread so that a busy cooperative pool (other
    /// tests run in parallel) does not count.
    static func timed<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> (T, TimeInterval) {
        try await run {
            let start = ProcessInfo.processInfo.systemUptime
            let result = try work()
            return (result, ProcessInfo.processInfo.systemUptime - start)
        }
    }
}
