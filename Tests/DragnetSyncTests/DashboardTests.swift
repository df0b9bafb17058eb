import DragnetCore
import DragnetServer
import DragnetSync
import Foundation
import Testing

/// The headquarters dashboard over real HTTP (libcurl against the real server on loopback), with the fixture's two
/// wards synced to it. The expected figures are the hand-worked ones of Fixtures/README.md: for 79 in 2020, existing
/// wanted captured 7 of 16, new 4 of 14, reoffended 8 of 31.
@Suite struct DashboardTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A server holding both fixture wards' lists, as they get there: each ward imports and syncs.
    static func server() async throws -> LiveServer {
        let server = try await LiveServer.start()
        for unit in ["79.26734", "79.26737"] {
            let station = try TestStation(unit, in: server.directory)
            let importer = Importer(registry: station.registry, factory: station.factory)
            _ = try importer.importWanted(path: fixtures.appendingPathComponent("station-\(unit)/wanted.csv").path)
            _ = try importer.importReleases(
                path: fixtures.appendingPathComponent("station-\(unit)/releases.csv").path)
            let report = try await station.sync(server, token: try server.token(unit))
            #expect(report.rejected.isEmpty)
        }
        return server
    }

    func text(_ response: DragnetSync.HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    /// Signs in through the form; returns the cookie to send back.
    func signIn(_ server: LiveServer, token: String) async throws -> String {
        let response = try await raw(
            .post, "\(server.url)/session", token: nil, body: Array("token=\(token)".utf8),
            headers: [("Content-Type", "application/x-www-form-urlencoded")])
        #expect(response.status == 303 && response.header("Location") == "/dashboard")
        let cookie = try #require(response.header("Set-Cookie"))
        return String(cookie.split(separator: ";")[0])
    }

    func page(_ server: LiveServer, _ path: String, cookie: String?) async throws -> DragnetSync.HTTPResponse {
        try await raw(.get, server.url + path, token: nil, headers: cookie.map { [("Cookie", $0)] } ?? [])
    }

    /// The `data-` attributes of a figure card.
    func card(_ html: String, _ key: String) -> (rate: String, numerator: Int, denominator: Int)? {
        guard let start = html.range(of: "data-figure=\"\(key)\"") else { return nil }
        let tail = html[start.upperBound...].prefix(200)
        func attribute(_ name: String) -> String? {
            guard let r = tail.range(of: "\(name)=\"") else { return nil }
            return String(tail[r.upperBound...].prefix { $0 != "\"" })
        }
        guard let rate = attribute("data-rate"), let n = attribute("data-numerator").flatMap({ Int($0) }),
            let d = attribute("data-denominator").flatMap({ Int($0) })
        else { return nil }
        return (rate, n, d)
    }

    @Test func signInShowsTheFiguresOfTheMetricsRoute() async throws {
        let server = try await Self.server()
        defer { server.stop() }
        let hq = try server.token("79", role: .hq)

        let form = try await page(server, "/", cookie: nil)
        #expect(form.status == 200 && text(form).contains("<form method=\"post\" action=\"/session\">"))
        #expect(text(form).contains("<html lang=\"vi\">") && text(form).contains("Mã truy cập"))

        let response = try await raw(
            .post, "\(server.url)/session", token: nil, body: Array("token=\(hq)&lang=vi".utf8),
            headers: [("Content-Type", "application/x-www-form-urlencoded")])
        #expect(response.status == 303)
        let setCookie = try #require(response.header("Set-Cookie"))
        #expect(setCookie.hasPrefix("dragnet_session="))
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
        #expect(!setCookie.contains("Secure"), "plain HTTP on loopback: a Secure cookie would never come back")
        #expect(!setCookie.contains(hq) && response.header("Location")?.contains(hq) == false)
        let cookie = String(setCookie.split(separator: ";")[0])

        let dashboard = try await page(server, "/dashboard?year=2020", cookie: cookie)
        #expect(dashboard.status == 200)
        let html = text(dashboard)
        let metrics = try await raw(.get, "\(server.url)/v1/metrics?unit=79&year=2020", token: hq)
        let report = try JSONDecoder().decode(PlanReport.self, from: Data(metrics.body))
        let existing = try #require(card(html, "existing"))
        #expect(existing.numerator == 7 && existing.denominator == 16)
        #expect(Double(existing.rate) == report.wanted.existing.rate)
        let new = try #require(card(html, "new"))
        #expect(new.numerator == 4 && new.denominator == 14 && Double(new.rate) == report.wanted.new.rate)
        let reoffending = try #require(card(html, "reoffending"))
        #expect(reoffending.numerator == 8 && reoffending.denominator == 31)
        #expect(Double(reoffending.rate) == report.reoffending.rate)
        // Vietnamese: 7/16 = 43.75 % → "43,8 %"; the plan's wording.
        #expect(html.contains("43,8 %") && html.contains("Tỷ lệ bắt, vận động đầu thú đối tượng truy nã cũ"))
        #expect(html.contains("Cùng kỳ năm trước") && html.contains("01/01/2020"))
        // Every chart has a title and a description, inside a figure with its table.
        let svgs = html.components(separatedBy: "<svg").count - 1
        #expect(svgs == 7, "3 progress charts, 3 unit charts, 1 cohort curve")
        #expect(html.components(separatedBy: "<title id=").count - 1 == svgs)
        #expect(html.components(separatedBy: "<desc id=").count - 1 == svgs)
        #expect(html.components(separatedBy: "<figure").count - 1 == svgs)
        #expect(!html.contains("<script"), "the page needs no script")
        // The units below 79 link to their own dashboards.
        #expect(html.contains("href=\"/dashboard?unit=79.26734&amp;year=2020\""))

        let english = try await page(server, "/dashboard?year=2020&lang=en", cookie: cookie)
        #expect(text(english).contains("<html lang=\"en\">") && text(english).contains("43.8 %"))
        #expect(text(english).contains("Capture rate of existing wanted persons"))
    }

    @Test func theListsAndDownloadsHoldWhatTheNumbersCount() async throws {
        let server = try await Self.server()
        defer { server.stop() }
        let cookie = try await signIn(server, token: try server.token("79", role: .hq))
        // 16 existing cases in 2020, 7 captured (Fixtures/README.md).
        let all = try await page(server, "/dashboard/cases?year=2020&list=existing&outcome=all", cookie: cookie)
        #expect(all.status == 200 && text(all).contains("data-count=\"16\""))
        let captured = try await page(
            server, "/dashboard/cases?year=2020&list=existing&outcome=captured", cookie: cookie)
        #expect(text(captured).contains("data-count=\"7\"") && text(captured).contains("79.26734/TN-00017"))
        let csv = try await page(server, "/dashboard/cases.csv?year=2020&list=existing&outcome=all", cookie: cookie)
        #expect(csv.status == 200 && csv.header("Content-Type")?.hasPrefix("text/csv") == true)
        #expect(csv.header("Content-Disposition")?.contains("attachment") == true)
        let lines = text(csv).split(whereSeparator: \.isNewline)
        #expect(lines.count == 17, "a header and 16 cases")
        #expect(lines.first?.contains("case_id,unit,case_ref,full_name") == true)
        // 31 released persons followed in 2020, 8 reoffended.
        let reoffended = try await page(
            server, "/dashboard/cases?year=2020&list=released&outcome=reoffended", cookie: cookie)
        #expect(text(reoffended).contains("data-count=\"8\""))
        let units = try await page(server, "/dashboard/units.csv?year=2020", cookie: cookie)
        #expect(text(units).contains(PlanReport.csvHeader.joined(separator: ",")))
        #expect(text(units).split(whereSeparator: \.isNewline).count == 4, "header, scope 79, two wards")
    }

    @Test func wrongTokensScopesAndValuesGetClearPages() async throws {
        let server = try await Self.server()
        defer { server.stop() }
        let bad = try await raw(
            .post, "\(server.url)/session", token: nil, body: Array("token=dn_wrong".utf8),
            headers: [("Content-Type", "application/x-www-form-urlencoded")])
        #expect(bad.status == 401 && text(bad).contains("role=\"alert\"") && bad.header("Set-Cookie") == nil)
        let noSession = try await page(server, "/dashboard", cookie: nil)
        #expect(noSession.status == 401 && text(noSession).contains("action=\"/session\""))
        #expect(try await page(server, "/dashboard/cases.csv?list=new", cookie: nil).status == 401)

        // A ward's token sees its own ward only.
        let ward = try await signIn(server, token: try server.token("79.26734"))
        #expect(try await page(server, "/dashboard?year=2020", cookie: ward).status == 200)
        for path in [
            "/dashboard?unit=79", "/dashboard?unit=79.26737&year=2020", "/dashboard/cases?unit=79&list=new",
            "/dashboard/cases.csv?unit=79&list=new", "/dashboard/units.csv?unit=79", "/dashboard/cohort.csv?unit=79",
            "/dashboard/progress.csv?unit=79",
        ] {
            let forbidden = try await page(server, path, cookie: ward)
            #expect(forbidden.status == 403, "\(path)")
            #expect(forbidden.header("Content-Type")?.hasPrefix("text/html") == true)
            #expect(text(forbidden).contains("79.26734"), "says which scope the token may see")
        }

        for (path, named) in [
            ("/dashboard?year=abc", "abc"), ("/dashboard?quarter=2020Q5", "2020Q5"), ("/dashboard?unit=7%209", "7 9"),
            ("/dashboard?year=2020&month=2020-01", "year"), ("/dashboard?color=red", "color"),
            ("/dashboard?as_of=yesterday&year=2020", "yesterday"), ("/dashboard?lang=fr", "fr"),
            ("/dashboard/cases?list=existing&outcome=reoffended", "reoffended"), ("/dashboard/cases?list=x", "x"),
            ("/dashboard/cases?list=new&page=0", "page"), ("/dashboard?from=2020-12-31&to=2020-01-01", "from"),
        ] {
            let response = try await page(server, path, cookie: ward)
            #expect(response.status == 400, "\(path)")
            #expect(text(response).contains(named), "\(path) names \(named)")
            #expect(response.header("Content-Type")?.hasPrefix("text/html") == true)
        }
        #expect(try await page(server, "/dashboard/nothing-here", cookie: ward).status == 404)
    }

    @Test func signingOutAndRevokingEndTheSession() async throws {
        let server = try await Self.server()
        defer { server.stop() }
        let cookie = try await signIn(server, token: try server.token("79", role: .hq))
        #expect(try await page(server, "/dashboard", cookie: cookie).status == 200)
        let out = try await raw(.post, "\(server.url)/session/end", token: nil, headers: [("Cookie", cookie)])
        #expect(out.status == 303 && out.header("Location") == "/")
        #expect(try await page(server, "/dashboard", cookie: cookie).status == 401)

        let again = try await signIn(server, token: try server.token("79", role: .hq))
        #expect(try await page(server, "/dashboard", cookie: again).status == 200)
        let id = try #require(try server.registry.central.tokens().last?.id)
        #expect(try server.registry.central.revokeToken(id: id, now: Timestamp.now()))
        let revoked = try await page(server, "/dashboard", cookie: again)
        #expect(revoked.status == 401 && text(revoked).contains("role=\"alert\""))
    }

    /// Found in review: a page past the end of a list, a target changed after a page was kept, periods too long or
    /// several at once, a moment in the future, a form from another site, a huge sign-in body, the proxy's HTTPS.
    @Test func theEdgesAReviewFound() async throws {
        let server = try await Self.server()
        defer { server.stop() }
        let ward = try await signIn(server, token: try server.token("79.26734"))
        // 8 existing cases of the ward in 2020: page 2 is past the end, an empty page (not a crash).
        let past = try await page(server, "/dashboard/cases?year=2020&list=existing&page=2", cookie: ward)
        #expect(past.status == 200 && text(past).contains("data-count=\"8\""))
        #expect(
            try await page(server, "/dashboard/cases?year=2020&list=existing&page=999999", cookie: ward).status == 200)
        #expect(try await page(server, "/dashboard?year=2020", cookie: ward).status == 200, "the server still runs")

        // A target set after the page was kept shows at once (the ward's 2020 existing rate is 3/8 = 37.5 %).
        let before = text(try await page(server, "/dashboard?year=2020", cookie: ward))
        #expect(before.contains("từ 30,0 % trở lên") && before.contains("Đạt chỉ tiêu"))
        try server.registry.figures.setTargets(
            try Targets(existingCapture: 0.5, newCapture: 0.5, reoffending: 0.15), for: UnitCode("79.26734")!)
        let after = text(try await page(server, "/dashboard?year=2020", cookie: ward))
        #expect(after.contains("từ 50,0 % trở lên"))
        #expect(!after.contains("class=\"card met\" data-figure=\"existing\""), "37.5 % no longer meets 50 %")

        for (path, named) in [
            ("/dashboard?from=0001-01-01&to=9999-12-31", "0001-01-01"),
            ("/dashboard?year=2020&quarter=2020Q3", "quarter"),
            ("/dashboard?year=2020&as_of=2999-01-01T00:00:00Z", "2999-01-01T00:00:00Z"),
        ] {
            let response = try await page(server, path, cookie: ward)
            #expect(response.status == 400, "\(path)")
            #expect(text(response).contains(named), "\(path) names \(named)")
        }
        let nul = try await page(server, "/dashboard?unit=79%00", cookie: ward)
        #expect(nul.status == 400 && !nul.body.contains(0), "no control byte echoed")

        let token = try server.token("79", role: .hq)
        let foreign = try await raw(
            .post, "\(server.url)/session", token: nil, body: Array("token=\(token)".utf8),
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Origin", "https://evil.example")])
        #expect(foreign.status == 403 && foreign.header("Set-Cookie") == nil)
        let huge = try await raw(
            .post, "\(server.url)/session", token: nil,
            body: Array(("token=" + String(repeating: "a", count: 20_000)).utf8),
            headers: [("Content-Type", "application/x-www-form-urlencoded")])
        #expect(huge.status == 413)
        let proxied = try await raw(
            .post, "\(server.url)/session", token: nil, body: Array("token=\(token)".utf8),
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("X-Forwarded-Proto", "https")])
        #expect(proxied.status == 303 && proxied.header("Set-Cookie")?.contains("; Secure") == true)

        // A browser that says the form is its own is believed over an Origin a proxy made look foreign; one that says
        // the form came from another site is refused.
        let sameOrigin = try await raw(
            .post, "\(server.url)/session", token: nil, body: Array("token=\(token)".utf8),
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded"), ("Origin", "https://dragnet.hq.example"),
                ("Sec-Fetch-Site", "same-origin"),
            ])
        #expect(sameOrigin.status == 303)
        let crossSite = try await raw(
            .post, "\(server.url)/session", token: nil, body: Array("token=\(token)".utf8),
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Sec-Fetch-Site", "cross-site")])
        #expect(crossSite.status == 403)

        // Signing in again forgets the browser's old session.
        let first = try await signIn(server, token: token)
        let second = try await raw(
            .post, "\(server.url)/session", token: nil, body: Array("token=\(token)".utf8),
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", first)])
        #expect(second.status == 303)
        #expect(try await page(server, "/dashboard", cookie: first).status == 401, "the old session is gone")
        let secondCookie = try #require(second.header("Set-Cookie")).split(separator: ";")[0]
        #expect(try await page(server, "/dashboard", cookie: String(secondCookie)).status == 200)

        // The last year the calendar holds is a period like any other.
        #expect(try await page(server, "/dashboard?year=9999", cookie: ward).status == 200)
        // A page past the end shows the last page: 8 cases, shown 1–8.
        #expect(text(past).contains("1–8"))
    }
}
