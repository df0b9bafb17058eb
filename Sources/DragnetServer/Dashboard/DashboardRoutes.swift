import DragnetCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import NIOCore
import Synchronization

/// The headquarters dashboard (SPEC §9): sign-in with a token through a form and a session cookie, then pages of
/// figures, charts, units and the cases behind each number, with CSV downloads. Server-rendered HTML that needs no
/// script and loads nothing from elsewhere.
struct DashboardRoutes: Sendable {
    let registry: Registry
    /// Where the sessions are kept (to forget a browser's old session when it signs in again).
    let sessionStore: MemoryPersistDriver<ContinuousClock>
    /// Pages rendered from figures "as known now", kept for the state of the log they show (a new event or a rebuild
    /// makes new figures, so a kept page is never older than the figures the route would serve).
    let pages = PageCache()
    /// How many cases a list page shows.
    static let pageSize = 100

    func add(to router: Router<CentralContext>, sessions: SessionMiddleware<CentralContext>) {
        let group = router.group().add(middleware: sessions)
        group.get("/", use: signInPage)
        group.post("/session", use: signIn)
        group.post("/session/end", use: signOut)
        group.get("/dashboard", use: dashboard)
        group.get("/dashboard/cases", use: cases)
        group.get("/dashboard/cases.csv", use: casesCSV)
        group.get("/dashboard/due", use: due)
        group.get("/dashboard/due.csv", use: dueCSV)
        group.get("/dashboard/units.csv", use: unitsCSV)
        group.get("/dashboard/progress.csv", use: progressCSV)
        group.get("/dashboard/cohort.csv", use: cohortCSV)
        group.get("/dashboard/cohort-shares.csv", use: cohortSharesCSV)
    }

    static func signInResponse(_ language: Language, message: String?, status: HTTPResponse.Status) -> Response {
        var context: [String: Any] = ["title": Phrase.signIn.text(language)]
        if let message { context["message"] = message }
        return DashboardResponse.html(
            DashboardTemplates.render("signin", context, language: language, signedIn: false), status: status)
    }

    // MARK: - Sign-in

    @Sendable func signInPage(_ request: Request, context: CentralContext) async throws -> Response {
        let language = DashboardQuery.language(request)
        if try await sessionToken(context) != nil {
            return DashboardResponse.redirect(language == .vi ? "/dashboard" : "/dashboard?lang=en")
        }
        return Self.signInResponse(language, message: nil, status: .ok)
    }

    @Sendable func signIn(_ request: Request, context: CentralContext) async throws -> Response {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: 16 * 1024)
        } catch is NIOTooManyBytesError {
            let language = DashboardQuery.language(request)
            throw DashboardError(status: .contentTooLarge, language: language, message: Phrase.tooLarge.text(language))
        }
        let form = Self.formFields(String(buffer: body))
        let language = form["lang"].flatMap { Language(code: $0) } ?? .vi
        try Self.refuseOtherSites(request, language)
        let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let hash = TokenIssuer.hash(token)
        let registry = self.registry
        guard !token.isEmpty, try await Offload.run({ try registry.central.token(hash: hash) }) != nil else {
            return Self.signInResponse(language, message: Phrase.badToken.text(language), status: .unauthorized)
        }
        // Always a new session id, never one the browser brought (no session fixation); the old one is forgotten, so
        // that signing in with another token leaves no session of the first behind.
        if let old = request.cookies[dashboardCookieName]?.value {
            try? await sessionStore.remove(key: dashboardSessionKeyPrefix + old)
        }
        context.sessions.createSession(DashboardSession(tokenHash: hash), expiresIn: dashboardSessionLifetime)
        return DashboardResponse.redirect(language == .vi ? "/dashboard" : "/dashboard?lang=en")
    }

    @Sendable func signOut(_ request: Request, context: CentralContext) async throws -> Response {
        try Self.refuseOtherSites(request, DashboardQuery.language(request))
        context.sessions.clearSession()
        return DashboardResponse.redirect("/")
    }

    /// Refuses a form posted from another site: SameSite=Strict already keeps the session cookie off such requests;
    /// this also stops another site from signing a browser in with a token of its choosing. A browser that sends
    /// `Sec-Fetch-Site` decides (`same-origin` or `none` pass; `same-site` and `cross-site` do not); an older one is
    /// judged by `Origin`, which must name this server as the browser reached it (`Host`, or `X-Forwarded-Host` from
    /// a proxy that rewrites `Host`); a form without either header passes.
    static func refuseOtherSites(_ request: Request, _ language: Language) throws {
        let foreign: Bool
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!] {
            foreign = site != "same-origin" && site != "none"
        } else if let origin = request.headers[HTTPField.Name("Origin")!] {
            let authority = origin.split(separator: "/", omittingEmptySubsequences: true).dropFirst().first
            let hosts = [request.head.authority, request.headers[HTTPField.Name("X-Forwarded-Host")!]].compactMap { $0 }
            foreign = !hosts.contains { $0 == authority.map(String.init) }
        } else {
            foreign = false
        }
        if foreign {
            throw DashboardError(status: .forbidden, language: language, message: Phrase.otherSite.text(language))
        }
    }

    /// `application/x-www-form-urlencoded` fields (`+` is a space, `%XX` a byte); the first of a repeated name.
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }

    /// The live token of the session, or nil (no session, expired, or its token revoked: then the session ends).
    func sessionToken(_ context: CentralContext) async throws -> AccessToken? {
        guard let session = context.sessions.session else { return nil }
        let registry = self.registry
        guard let token = try await Offload.run({ try registry.central.token(hash: session.tokenHash) }) else {
            context.sessions.clearSession()
            return nil
        }
        return token
    }

    /// The session's token and the query, checked: 401 (sign-in form) without a live session, 400 for a bad value,
    /// 403 for a scope outside the token's.
    func authorize(_ request: Request, _ context: CentralContext, extra: Set<String> = [])
        async throws -> (AccessToken, DashboardQuery, UnitCode)
    {
        let language = DashboardQuery.language(request)
        let hadSession = context.sessions.session != nil
        guard let token = try await sessionToken(context) else {
            throw DashboardSignIn(language: language, message: hadSession ? Phrase.sessionEnded.text(language) : nil)
        }
        let now = Timestamp.now()
        let query = try DashboardQuery.parse(request, today: DashboardClock.today(now), now: now, known: extra)
        let scope = query.unit ?? token.unit
        guard token.unit.covers(scope) else {
            throw DashboardError.forbidden(query.language, asked: scope, allowed: token.unit)
        }
        return (token, query, scope)
    }

    func figures(_ query: DashboardQuery, scope: UnitCode) async throws -> (DashboardFigures, LocalDate) {
        let registry = self.registry
        let observed = query.asOf?.date ?? DashboardClock.today()
        let figures = try await Offload.run {
            try registry.figures.dashboardFigures(
                scope: scope, period: query.period, asOf: query.asOf, observedOn: observed)
        }
        return (figures, observed)
    }

    // MARK: - Pages

    @Sendable func dashboard(_ request: Request, context: CentralContext) async throws -> Response {
        let (token, query, scope) = try await authorize(request, context)
        let (figures, observed) = try await self.figures(query, scope: scope)
        let key = figures.state.map {
            PageCache.Key(
                state: $0, targets: figures.targets, intervals: figures.intervals, tokenScope: token.unit,
                observedOn: observed, uri: request.uri.description)
        }
        if let key, let kept = pages.page(key) { return DashboardResponse.html(kept) }
        let view = DashboardView(figures: figures, query: query, tokenScope: token.unit, observedOn: observed)
        var page = view.context()
        page["formAction"] = "/dashboard"
        page["title"] =
            "\(Phrase.dashboardTitle.text(query.language)) — \(DashboardView.scopeName(scope, query.language))"
        page["otherLanguageHref"] = query.link("/dashboard", unit: scope, language: query.language == .vi ? .en : .vi)
        let html = DashboardTemplates.render("dashboard", page, language: query.language, signedIn: true)
        if let key { pages.keep(html, for: key) }
        return DashboardResponse.html(html)
    }

    @Sendable func cases(_ request: Request, context: CentralContext) async throws -> Response {
        let (_, query, scope) = try await authorize(request, context, extra: ["list", "outcome", "page"])
        let l = query.language
        let (list, filter) = try Self.listParameters(request, l)
        let asked = try Self.pageParameter(request, l)
        let selection = try await select(query, scope: scope, list: list, filter: filter)
        // A page past the end shows the last page (its links then lead back into the list).
        let page = min(asked, max(1, (selection.count + Self.pageSize - 1) / Self.pageSize))
        let start = (page - 1) * Self.pageSize
        let slice = selection.slice(start..<min(start + Self.pageSize, selection.count))
        let rows = try await selection.rows(slice, registry: registry, language: l)
        let listItems: [(String, String)] = [("list", list.rawValue), ("outcome", filter.rawValue)]
        var c: [String: Any] = [
            "scope": scope.rawValue, "scopeName": DashboardView.scopeName(scope, l),
            "scopeLabel": Phrase.scopeLabel.text(l),
            "periodText": Phrase.periodLabel.text(l) + ": "
                + Phrase.periodFromTo.text(l, ["from": l.date(query.period.from), "to": l.date(query.period.to)]),
            "knownText": query.asOf.map { Phrase.asKnownAt.text(l, ["moment": l.moment($0)]) }
                ?? Phrase.asKnownNow.text(l),
            "listTitle": "\(Self.listPhrase(list).text(l)) — \(Self.filterPhrase(filter).text(l))",
            "title": Self.listPhrase(list).text(l),
            "who": (list == .existing ? Phrase.whoExisting : list == .new ? .whoNew : .whoReoffending).text(l),
            "filters": CaseLists.Filter.allowed(for: list).map { f -> [String: Any] in
                [
                    "label": Self.filterPhrase(f).text(l), "current": f == filter,
                    "href": query.link(
                        "/dashboard/cases", unit: scope, [("list", list.rawValue), ("outcome", f.rawValue)]),
                ]
            },
            "rangeText": selection.count == 0
                ? Phrase.noCases.text(l)
                : Phrase.shownRange.text(
                    l,
                    [
                        "first": l.number(min(start + 1, selection.count)),
                        "last": l.number(min(start + Self.pageSize, selection.count)),
                        "total": l.number(selection.count),
                    ]),
            "csvHref": query.link("/dashboard/cases.csv", unit: scope, listItems),
            "backHref": query.link("/dashboard", unit: scope),
            "heads": selection.heads(l), "rows": rows.map { ["cells": $0] }, "hasRows": !rows.isEmpty,
            "total": selection.count,
            "otherLanguageHref": query.link(
                "/dashboard/cases", unit: scope, language: l == .vi ? .en : .vi, listItems + [("page", "\(page)")]),
        ]
        if page > 1 {
            c["previousHref"] = query.link("/dashboard/cases", unit: scope, listItems + [("page", "\(page - 1)")])
        }
        if start + Self.pageSize < selection.count {
            c["nextHref"] = query.link("/dashboard/cases", unit: scope, listItems + [("page", "\(page + 1)")])
        }
        return DashboardResponse.html(DashboardTemplates.render("cases", c, language: l, signedIn: true))
    }

    /// The most items the worklist page shows (the CSV has them all).
    static let dueRows = 500

    /// `/dashboard/due?unit=U&on=D`: what is due on released persons in the scope on day D (SPEC §10), case by case,
    /// oldest first — the same list `dragnet due` prints at a station. D defaults to the supervision panel's day (the
    /// period's last day, or the day observed while the period runs).
    @Sendable func due(_ request: Request, context: CentralContext) async throws -> Response {
        let (_, query, scope) = try await authorize(request, context, extra: ["on"])
        let l = query.language
        let day = try Self.dueDay(request, query)
        let registry = self.registry
        let list = try await Offload.run {
            try registry.figures.worklist(unit: scope, on: day, limit: Self.dueRows)
        }
        let dayItem = [("on", day.description)]
        let c: [String: Any] = [
            "scope": scope.rawValue, "on": day.description, "title": Phrase.dueTitle.text(l),
            "lead": Phrase.dueLead.text(l, ["unit": DashboardView.scopeName(scope, l), "day": l.date(day)]),
            "intervals": list.intervals.description,
            "counts": DueItem.Kind.allCases.map { kind -> [String: Any] in
                ["kind": kind.rawValue, "label": kind.title(l), "count": l.number(list.counts[kind] ?? 0)]
            },
            "shown": list.entries.count < list.total
                ? Phrase.dueShown.text(l, ["shown": l.number(list.entries.count), "total": l.number(list.total)])
                : "",
            "total": list.total, "hasRows": !list.entries.isEmpty,
            "rows": list.entries.map { e -> [String: Any] in
                [
                    "case": e.caseLabel, "person": e.person, "kind": e.item.kind.rawValue,
                    "kindText": e.item.kind.title(l), "since": l.date(e.item.since), "days": l.number(e.item.days),
                    "unit": e.responsibleUnit.rawValue,
                ]
            },
            "csvHref": query.link("/dashboard/due.csv", unit: scope, dayItem),
            "backHref": query.link("/dashboard", unit: scope),
            "otherLanguageHref": query.link(
                "/dashboard/due", unit: scope, language: l == .vi ? .en : .vi, dayItem),
        ]
        return DashboardResponse.html(DashboardTemplates.render("due", c, language: l, signedIn: true))
    }

    @Sendable func dueCSV(_ request: Request, context: CentralContext) async throws -> Response {
        let (_, query, scope) = try await authorize(request, context, extra: ["on"])
        let day = try Self.dueDay(request, query)
        let registry = self.registry
        let list = try await Offload.run { try registry.figures.worklist(unit: scope, on: day) }
        return DashboardResponse.csv(list.csv(), filename: "due-\(scope.rawValue)-\(day).csv")
    }

    /// The `on` parameter, else the day the supervision figures of the query are counted on.
    static func dueDay(_ request: Request, _ query: DashboardQuery) throws -> LocalDate {
        if let text = request.uri.queryParameters["on"] {
            guard let day = LocalDate(String(text)) else {
                throw DashboardQuery.bad(query.language, "on", text, .reasonDay)
            }
            return day
        }
        return min(query.period.to, query.asOf?.date ?? DashboardClock.today())
    }

    // MARK: - Downloads

    @Sendable func casesCSV(_ request: Request, context: CentralContext) async throws -> Response {
        let (_, query, scope) = try await authorize(request, context, extra: ["list", "outcome"])
        let (list, filter) = try Self.listParameters(request, query.language)
        let selection = try await select(query, scope: scope, list: list, filter: filter)
        let bytes = try await selection.csv(registry: registry)
        return DashboardResponse.csv(
            bytes, filename: Self.filename("cases-\(list.rawValue)-\(filter.rawValue)", scope, query))
    }

    @Sendable func unitsCSV(_ request: Request, context: CentralContext) async throws -> Response {
        let (_, query, scope) = try await authorize(request, context)
        let (figures, _) = try await self.figures(query, scope: scope)
        return DashboardResponse.csv(figures.report.csv(), filename: Self.filename("units", scope, query))
    }

    @Sendable func progressCSV(_ request: Request, context: CentralContext) async throws -> Response {
        let (_, query, scope) = try await authorize(request, context)
        let (figures, _) = try await self.figures(query, scope: scope)
        var writer = CSVWriter(byteOrderMark: true)
        try writer.write([
            "month_end", "existing_captured", "existing_count", "existing_rate", "new_captured", "new_count",
            "new_rate", "reoffending_reoffended", "reoffending_population", "reoffending_rate", "last_year_month_end",
            "last_year_existing_rate", "last_year_new_rate", "last_year_reoffending_rate",
        ])
        func rate(_ r: Ratio) -> String { r.rate.map { "\($0)" } ?? "" }
        for (i, p) in figures.progress.enumerated() {
            var row = [
                "\(p.to)", "\(p.existing.part)", "\(p.existing.whole)", rate(p.existing), "\(p.new.part)",
                "\(p.new.whole)", rate(p.new), "\(p.reoffending.part)", "\(p.reoffending.whole)", rate(p.reoffending),
            ]
            if i < figures.lastYearProgress.count {
                let q = figures.lastYearProgress[i]
                row += ["\(q.to)", rate(q.existing), rate(q.new), rate(q.reoffending)]
            } else {
                row += ["", "", "", ""]
            }
            try writer.write(row)
        }
        try writer.finish()
        let out = writer.bytes
        return DashboardResponse.csv(out, filename: Self.filename("progress", scope, query))
    }

    @Sendable func cohortCSV(_ request: Request, context: CentralContext) async throws -> Response {
        let (_, query, scope) = try await authorize(request, context)
        let (figures, _) = try await self.figures(query, scope: scope)
        return DashboardResponse.csv(figures.cohort.curveCSV(), filename: Self.filename("cohort", scope, query))
    }

    /// The cohort's 1, 3 and 5-year shares per release type (the table under the curve).
    @Sendable func cohortSharesCSV(_ request: Request, context: CentralContext) async throws -> Response {
        let (_, query, scope) = try await authorize(request, context)
        let (figures, _) = try await self.figures(query, scope: scope)
        var writer = CSVWriter(byteOrderMark: true)
        try writer.write(["release_type", "cohort_size", "horizon_years", "eligible", "reoffended", "rate"])
        for report in [figures.cohort] + figures.cohortByType {
            for h in report.horizons {
                try writer.write([
                    report.releaseType?.rawValue ?? "all", "\(report.cohortSize)", "\(h.years)", "\(h.eligible)",
                    "\(h.reoffended)", h.rate.map { "\($0)" } ?? "",
                ])
            }
        }
        try writer.finish()
        return DashboardResponse.csv(writer.bytes, filename: Self.filename("cohort-shares", scope, query))
    }

    static func filename(_ what: String, _ scope: UnitCode, _ query: DashboardQuery) -> String {
        let unit = scope.isNational ? "national" : scope.rawValue
        return "dragnet-\(what)-\(unit)-\(query.period.from)-\(query.period.to).csv"
    }

    // MARK: - Lists

    static func listParameters(_ request: Request, _ l: Language) throws -> (CaseLists.List, CaseLists.Filter) {
        let query = request.uri.queryParameters
        let listText = query["list"].map(String.init) ?? "existing"
        guard let list = CaseLists.List(rawValue: listText) else {
            throw DashboardQuery.bad(l, "list", listText, .reasonList)
        }
        let filterText = query["outcome"].map(String.init) ?? "all"
        let allowed = CaseLists.Filter.allowed(for: list)
        guard let filter = CaseLists.Filter(rawValue: filterText), allowed.contains(filter) else {
            let names = allowed.map(\.rawValue).joined(separator: ", ")
            throw DashboardQuery.bad(l, "outcome", filterText, .reasonOutcome, ["names": names])
        }
        return (list, filter)
    }

    static func pageParameter(_ request: Request, _ l: Language) throws -> Int {
        guard let text = request.uri.queryParameters["page"] else { return 1 }
        guard let page = Int(String(text)), page >= 1, page <= 1_000_000 else {
            throw DashboardQuery.bad(l, "page", text, .reasonPage)
        }
        return page
    }

    static func listPhrase(_ list: CaseLists.List) -> Phrase {
        switch list {
        case .existing: .listExisting
        case .new: .listNew
        case .released: .listReleased
        }
    }

    static func filterPhrase(_ filter: CaseLists.Filter) -> Phrase {
        switch filter {
        case .all: .outcomeAll
        case .captured: .outcomeCaptured
        case .arrested: .arrested
        case .surrendered: .surrendered
        case .died: .died
        case .struckOff: .struckOff
        case .open: .outcomeOpen
        case .reoffended: .outcomeReoffended
        case .notReoffended: .outcomeNotReoffended
        }
    }

    func select(_ query: DashboardQuery, scope: UnitCode, list: CaseLists.List, filter: CaseLists.Filter)
        async throws -> CaseSelection
    {
        let registry = self.registry
        return try await Offload.run {
            let facts = try registry.figures.facts(asOf: query.asOf)
            let (from, to) = (query.period.from, query.period.to)
            switch list {
            case .existing, .new:
                return .wanted(
                    CaseLists.wanted(
                        list == .existing ? .existing : .new, filter, facts: facts.wanted, scope: scope, from: from,
                        to: to), to: to)
            case .released:
                return .released(CaseLists.released(filter, facts: facts.releases, scope: scope, from: from, to: to))
            }
        }
    }
}

/// Rendered dashboard pages, by the state of the log, the token's scope, the day and the request's path and query.
/// At most 64 pages; the oldest goes first.
final class PageCache: Sendable {
    /// Everything a page depends on besides its figures' inputs in the URI: the state of the log, the targets, who
    /// asks (the "up one level" link depends on the token's scope) and the day (the default period ends today).
    struct Key: Hashable, Sendable {
        var state: String
        var targets: TargetBook
        /// The contact intervals the supervision figures were judged with (set without an event, like the targets).
        var intervals: IntervalBook
        var tokenScope: UnitCode
        var observedOn: LocalDate
        var uri: String
    }

    private let pages = Mutex(KeptValues<Key, String>(limit: 64))

    func page(_ key: Key) -> String? { pages.withLock { $0[key] } }

    func keep(_ html: String, for key: Key) { pages.withLock { $0.keep(html, for: key) } }
}

/// A request that needs a signed-in session and has none: the sign-in form, 401.
struct DashboardSignIn: Error, HTTPResponseError, Sendable {
    var language: Language
    var message: String?
    var status: HTTPResponse.Status { .unauthorized }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        DashboardRoutes.signInResponse(language, message: message, status: .unauthorized)
    }
}
