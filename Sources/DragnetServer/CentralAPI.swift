import DragnetCore
import DragnetGzip
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The routes of the central endpoint (docs/protocol.md).
struct CentralAPI: Sendable {
    let registry: Registry
    /// What one push may carry (announced by `health`).
    let pushLimits: SyncWire.PushLimits
    /// The order of numbered pushes (two in flight from one station).
    var pushOrder = PushOrder()

    @Sendable func health(_ request: Request, context: some RequestContext) async throws -> Response {
        let registry = self.registry
        let count = try await Offload.run { try registry.logLength() }
        return try json(
            SyncWire.Health(
                status: "ok", version: DragnetVersion.string, unit: registry.unit.rawValue, events: count,
                push: pushLimits))
    }

    /// `POST /v1/events`: each event stored once by id, judged by the same rules as a station's.
    @Sendable func push(_ request: Request, context: some RequestContext) async throws -> Response {
        let token = try await authenticate(request)
        guard token.role == .station else {
            throw APIError.forbidden("a headquarters token is read-only; pushing needs a station token")
        }
        let numbered = try Self.pushOrderParameters(request)
        do {
            return try await push(request, token: token, numbered: numbered)
        } catch {
            if let numbered { await pushOrder.failed(sync: numbered.sync, order: numbered.order) }
            throw error
        }
    }

    /// The push of `token`, judged after the push before it in the same sync when it is `numbered`.
    private func push(_ request: Request, token: AccessToken, numbered: (sync: UUID, order: Int)?) async throws
        -> Response
    {
        let body = try await self.body(of: request)
        let pushed: SyncWire.PushRequest
        do {
            // A station's body reads fast; anything else, and every error, is `JSONDecoder`'s (see `EventJSON`).
            pushed =
                try EventJSON.pushRequest(body).map(SyncWire.PushRequest.init)
                ?? JSONDecoder().decode(SyncWire.PushRequest.self, from: Data(body))
        } catch {
            throw APIError.badRequest("the body is not a push of events: \(Self.describe(error))")
        }
        guard pushed.events.count <= pushLimits.maxEvents else {
            throw APIError.tooLarge(.maxEvents, of: pushLimits, events: pushed.events.count)
        }
        let inScope = pushed.events.filter { token.unit.covers($0.unit) }
        let registry = self.registry
        // Read and checked while the push before it may still be stored; judged only after it (`PushOrder`).
        if let numbered, !(await pushOrder.turn(sync: numbered.sync, order: numbered.order)) {
            throw APIError.outOfOrder(order: numbered.order)
        }
        let received = Timestamp.now()
        let judged = try await Offload.run { try registry.receive(inScope, policy: .central(now: received)) }
        if let numbered { await pushOrder.stored(sync: numbered.sync, order: numbered.order) }
        var outcomes = judged.makeIterator()
        // One result per event, by position (a batch may repeat an id).
        let results = pushed.events.map { event -> SyncWire.PushResult in
            guard token.unit.covers(event.unit) else {
                return .init(
                    id: event.id, status: .rejected,
                    reason: Anomaly(
                        .invalid, event: event.id, record: "event \(event.id.uuidString.lowercased())", field: "unit",
                        value: event.unit.rawValue, message: "is outside this token's unit \(token.unit)"
                    ).sentence)
            }
            switch outcomes.next() {
            case .created(let sequence)?: return .init(id: event.id, status: .created, sequence: sequence)
            case .duplicate?: return .init(id: event.id, status: .duplicate)
            case .rejected(let reason)?: return .init(id: event.id, status: .rejected, reason: reason)
            case nil: return .init(id: event.id, status: .rejected, reason: "not processed")
            }
        }
        let asked = try Self.markParameter(request)
        let (head, mark) = try await Offload.run {
            (try LogMarks.head(of: registry), try asked.map { try LogMarks.mark(at: $0, in: registry) })
        }
        return Self.jsonResponse(Data(SyncWire.PushResponse(results: results, head: head, mark: mark).json()))
    }

    /// `GET /v1/events?after=N&limit=M`: what the token may see, in server sequence order.
    @Sendable func pull(_ request: Request, context: some RequestContext) async throws -> Response {
        let token = try await authenticate(request)
        let query = request.uri.queryParameters
        let after =
            try query["after"].map { text -> Int64 in
                guard let value = Int64(String(text)), value >= 0 else {
                    throw APIError.badRequest("after \"\(text)\" is not a cursor (a whole number, 0 or more)")
                }
                return value
            } ?? 0
        let limit =
            try query["limit"].map { text -> Int in
                guard let value = Int(String(text)), (1...SyncWire.maxPullPage).contains(value) else {
                    throw APIError.badRequest("limit \"\(text)\" is not a number from 1 to \(SyncWire.maxPullPage)")
                }
                return value
            } ?? SyncWire.maxPullPage
        // `first=1`: the station has never stored a pulled event (a new station): its unit's first pull then also
        // withholds the other units' cases that reached the central closed (`PullHorizon.arrivals`).
        let first =
            try query["first"].map { text -> Bool in
                guard text == "1" || text == "0" else {
                    throw APIError.badRequest("first \"\(text)\" is not 1 (a new station's first pull) or 0")
                }
                return text == "1"
            } ?? false
        // `held=a-b,c-d`: where this station's own events are stored (its push answers said so): not sent back.
        let held =
            try query["held"].map { text -> HeldRuns in
                guard let runs = HeldRuns(query: text) else {
                    throw APIError.badRequest(
                        "held \"\(text)\" is not runs of sequence numbers (a-b or a, of at most 18 digits, separated by "
                            + "commas, at most \(HeldRuns.maxRuns))")
                }
                return runs
            } ?? .none
        let asked = try Self.markParameter(request)
        let registry = self.registry
        // The page's JSON is written from the stored columns (`PulledPageJSON`): the bytes `json(_:)` would write.
        let body = try await Offload.run {
            let horizon =
                token.role == .station
                ? try registry.central.pullHorizon(for: token.unit, after: after, first: first, now: Timestamp.now())
                : nil
            let page = try registry.central.pullJSON(
                after: after, scope: token.unit, horizon: horizon, limit: limit, held: held)
            return page.body(
                head: try LogMarks.head(of: registry), mark: try asked.map { try LogMarks.mark(at: $0, in: registry) })
        }
        return Self.jsonResponse(Data(body))
    }

    /// The optional `sync` and `order` query parameters of a push (both or neither): the sync's id and the push's
    /// number in it, from 1.
    private static func pushOrderParameters(_ request: Request) throws -> (sync: UUID, order: Int)? {
        let query = request.uri.queryParameters
        switch (query["sync"], query["order"]) {
        case (nil, nil): return nil
        case (let sync?, let order?):
            guard let id = UUID(uuidString: String(sync)) else {
                throw APIError.badRequest("sync \"\(sync)\" is not a sync id (a UUID)")
            }
            guard let number = Int(String(order)), number >= 1 else {
                throw APIError.badRequest("order \"\(order)\" is not a push's number (a whole number, 1 or more)")
            }
            return (id, number)
        case (nil, _): throw APIError.badRequest("order is given without sync: give both, or neither")
        case (_, nil): throw APIError.badRequest("sync is given without order: give both, or neither")
        }
    }

    /// The optional `mark` query parameter of a push or a pull: the sequence number of the mark the station kept.
    private static func markParameter(_ request: Request) throws -> Int64? {
        try request.uri.queryParameters["mark"].map { text -> Int64 in
            guard let value = Int64(String(text)), value > 0 else {
                throw APIError.badRequest("mark \"\(text)\" is not a sequence number (a whole number, 1 or more)")
            }
            return value
        }
    }

    /// `GET /v1/log/mark?sequence=N`: the fingerprint of the event at `N` now (none when there is no event there),
    /// for a station to compare with the mark it kept from its last sync.
    @Sendable func mark(_ request: Request, context: some RequestContext) async throws -> Response {
        _ = try await authenticate(request)
        guard let text = request.uri.queryParameters["sequence"] else {
            throw APIError.badRequest("sequence is missing: ask for the mark of a sequence number, e.g. ?sequence=42")
        }
        guard let sequence = Int64(String(text)), sequence > 0 else {
            throw APIError.badRequest("sequence \"\(text)\" is not a sequence number (a whole number, 1 or more)")
        }
        let registry = self.registry
        return try json(try await Offload.run { try LogMarks.mark(at: sequence, in: registry) })
    }

    /// `GET /v1/metrics?from=&to=&unit=&as_of=` (or `year=`, `quarter=`, `month=`): the JSON of `dragnet metrics`.
    /// The supervision figures are of the period's last day, or of the day observed (`as_of`'s date, else today in
    /// Vietnam, as on the dashboard) while the period runs.
    @Sendable func metrics(_ request: Request, context: some RequestContext) async throws -> Response {
        let hash = try Self.tokenHash(request)
        let registry = self.registry
        @Sendable func resolve(_ token: AccessToken?) throws -> Figures.FiguresQuery {
            guard let token else { throw APIError.unauthorized }
            let (scope, period, asOf) = try Self.figuresQuery(request, token: token)
            return .init(scope: scope, period: period, asOf: asOf, observedOn: asOf?.date ?? DashboardClock.today())
        }
        // The route is asked by every dashboard all day. While the file has not changed and the report is kept, it
        // is answered here, from memory, without a hop to the database's threads; otherwise the token, the settings
        // and the state of the log are read in one read on one database thread. The report's JSON is encoded once
        // per state of the log and kept with it.
        let body: Data
        if let kept = try registry.figures.keptPlanReportJSON(tokenHash: hash, resolve: resolve) {
            body = kept
        } else {
            body = try await Offload.run { try registry.figures.planReportJSON(tokenHash: hash, resolve: resolve) }
        }
        return Self.jsonResponse(Self.keptBodies.buffer(for: body))
    }

    /// The figures route's bodies and the tokens' hashes, kept across requests (`KeptBodies`, `TokenHashes`).
    static let keptBodies = KeptBodies()
    static let tokenHashes = TokenHashes()

    /// `GET /v1/metrics/cohort?…&horizon=1&horizon=3`: the analysts' cohort view.
    @Sendable func cohort(_ request: Request, context: some RequestContext) async throws -> Response {
        let (scope, period, asOf) = try await figuresQuery(request)
        let horizons = try request.uri.queryParameters[values: "horizon"].map { text -> Int in
            guard let value = Int(String(text)), (1...50).contains(value) else {
                throw APIError.badRequest("horizon \"\(text)\" is not a number of years from 1 to 50")
            }
            return value
        }
        let type = try request.uri.queryParameters["type"].map { text -> ReleaseType in
            guard let type = ReleaseType(rawValue: String(text)) else {
                throw APIError.badRequest("type \"\(text)\" is not one of: \(ReleaseType.spellings)")
            }
            return type
        }
        let registry = self.registry
        let observed = asOf?.date ?? Timestamp.now().date
        let report = try await Offload.run {
            try registry.figures.cohortReport(
                scope: scope, period: period, asOf: asOf, observedOn: observed,
                horizonsInYears: horizons.isEmpty ? [1, 3, 5] : horizons, releaseType: type)
        }
        return Self.jsonResponse(try report.jsonData())
    }

    private func figuresQuery(_ request: Request) async throws -> (UnitCode, Period, Timestamp?) {
        try Self.figuresQuery(request, token: try await authenticate(request))
    }

    /// The scope, period and moment a figures request asks for, checked against the token's scope.
    private static func figuresQuery(_ request: Request, token: AccessToken) throws -> (UnitCode, Period, Timestamp?) {
        let query = request.uri.queryParameters
        func text(_ name: String) -> String? { query[Substring(name)].map(String.init) }
        let scope =
            try text("unit").map { value -> UnitCode in
                guard let unit = UnitCode(scope: value) else {
                    throw APIError.badRequest("unit \"\(value)\" is not a scope: * (the whole country) or a unit code")
                }
                return unit
            } ?? token.unit
        guard token.unit.covers(scope) else {
            throw APIError.forbidden("unit \(scope) is outside this token's scope \(token.unit)")
        }
        let period = try Period.resolve(
            from: text("from"), to: text("to"), year: text("year"), quarter: text("quarter"), month: text("month"))
        let asOf = try text("as_of").map { value -> Timestamp in
            guard let moment = Timestamp(value) else {
                throw APIError.badRequest("as_of \"\(value)\" is not a UTC time like 2021-01-15T08:00:00Z")
            }
            return moment
        }
        return (scope, period, asOf)
    }

    /// The token the request carries, or 401.
    private func authenticate(_ request: Request) async throws -> AccessToken {
        let hash = try Self.tokenHash(request)
        let registry = self.registry
        guard let token = try await Offload.run({ try registry.central.token(hash: hash) }) else {
            throw APIError.unauthorized
        }
        return token
    }

    /// The hash of the bearer token the request carries (what the tokens table keeps), or 401.
    private static func tokenHash(_ request: Request) throws -> String {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError.unauthorized
        }
        return tokenHashes.hash(String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)) {
            TokenIssuer.hash($0)
        }
    }

    /// The request body, inflated when sent with `Content-Encoding: gzip`, within the size limits.
    private func body(of request: Request) async throws -> [UInt8] {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: pushLimits.maxSentBytes)
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge(.maxSentBytes, of: pushLimits)
        }
        let bytes = Array(buffer.readableBytesView)
        switch request.headers[.contentEncoding]?.lowercased() {
        case nil, "identity":
            return bytes
        case "gzip":
            do {
                return try Gzip.decompress(bytes, limit: pushLimits.maxInflatedBytes)
            } catch let error as GzipError where error.code == .tooLarge {
                throw APIError.tooLarge(.maxInflatedBytes, of: pushLimits)
            } catch {
                throw APIError.badRequest("the body is not valid gzip")
            }
        case let other?:
            throw APIError(.unsupportedMediaType, "unsupported_encoding", "Content-Encoding \(other) is not supported")
        }
    }

    private func json(_ value: some Encodable) throws -> Response {
        Self.jsonResponse(try SyncWire.encoder().encode(value))
    }

    static func jsonResponse(_ data: Data) -> Response {
        jsonResponse(ByteBuffer(bytes: data))
    }

    static func jsonResponse(_ buffer: ByteBuffer) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: buffer))
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context),
            DecodingError.valueNotFound(_, let context):
            return path(context) + context.debugDescription
        case DecodingError.keyNotFound(let key, let context):
            return path(context) + "missing \(key.stringValue)"
        default:
            return "not JSON"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "" : "at \(path): "
    }
}
