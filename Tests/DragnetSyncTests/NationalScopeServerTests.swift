import DragnetCore
import DragnetServer
import DragnetSync
import Foundation
import Testing

/// The national scope `*` at the central endpoint, over real HTTP: a headquarters token for `*` reads the figures of
/// any scope and pulls every release case; no narrower token may ask for `*`.
@Suite struct NationalScopeServerTests {
    /// A server holding, from two stations in two provinces (79.26734 and 01.00004), one wanted case opened on
    /// 2020-03-01 and one amnesty released on 2020-02-01 each.
    static func twoProvinces() async throws -> (server: LiveServer, releases: [String: UUID]) {
        let server = try await LiveServer.start()
        var releases: [String: UUID] = [:]
        for (unit, name) in [("79.26734", "Nguyễn Văn Đức"), ("01.00004", "Trần Văn Lợi")] {
            var station = try TestStation(unit, in: server.directory)
            _ = try SyncTests.openWanted(&station, ref: "TN-1", name: name, opened: "2020-03-01")
            releases[unit] = try SyncTests.registerRelease(&station, ref: "DX-1", name: name + " B").id
            let report = try await station.sync(server, token: try server.token(unit))
            #expect(report.rejected.isEmpty)
        }
        return (server, releases)
    }

    func json(_ response: DragnetSync.HTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func aNationalTokenReadsTheFiguresOfAnyScope() async throws {
        let (server, _) = try await Self.twoProvinces()
        defer { server.stop() }
        let national = try server.token("*", role: .hq)
        let metrics = "\(server.url)/v1/metrics?year=2020"

        let star = try await raw(.get, metrics + "&unit=*", token: national)
        #expect(star.status == 200)
        let report = try json(star)
        #expect(report["scope"] as? String == "*")
        // Rows: the provinces 01 and 79, one new case (opened 2020-03-01, open) and one released person each.
        let units = report["units"] as? [[String: Any]] ?? []
        #expect(units.map { $0["unit"] as? String } == ["01", "79"])
        let new = (report["wanted"] as? [String: Any])?["new"] as? [String: Any]
        #expect(new?["count"] as? Int == 2 && new?["open"] as? Int == 2)
        #expect((report["reoffending"] as? [String: Any])?["population"] as? Int == 2)
        #expect(
            star.body
                == Array(
                    try server.registry.figures.planReport(scope: .national, period: .year(2020), asOf: nil).jsonData())
        )

        // Percent-encoded (as `dragnet metrics --server` sends it) and by default (the token's scope): the same.
        #expect(try await raw(.get, metrics + "&unit=%2A", token: national).body == star.body)
        #expect(try await raw(.get, metrics, token: national).body == star.body)

        let province = try await raw(.get, metrics + "&unit=79", token: national)
        #expect(province.status == 200)
        #expect(try json(province)["scope"] as? String == "79")
        let ward = try await raw(.get, metrics + "&unit=01.00004", token: national)
        #expect(try json(ward)["scope"] as? String == "01.00004")

        let cohort = try await raw(.get, "\(server.url)/v1/metrics/cohort?year=2020&unit=*", token: national)
        #expect(cohort.status == 200)
        #expect(try json(cohort)["cohort_size"] as? Int == 2, "both released on 2020-02-01")

        let bad = try await raw(.get, metrics + "&unit=**", token: national)
        #expect(bad.status == 400)
    }

    @Test func onlyANationalTokenMayAskForTheWholeCountry() async throws {
        let server = try await LiveServer.start()
        defer { server.stop() }
        let metrics = "\(server.url)/v1/metrics?year=2020&unit=*"
        let province = try await raw(.get, metrics, token: try server.token("79", role: .hq))
        #expect(province.status == 403)
        let message = try JSONDecoder().decode(SyncWire.ErrorBody.self, from: Data(province.body)).message
        #expect(message == "unit * is outside this token's scope 79")
        let station = try await raw(.get, metrics, token: try server.token("79.26734"))
        #expect(station.status == 403)
        let cohort = try await raw(
            .get, "\(server.url)/v1/metrics/cohort?year=2020&unit=*", token: try server.token("79", role: .hq))
        #expect(cohort.status == 403)
    }

    @Test func aNationalTokenPullsEveryReleaseCaseAndCannotPush() async throws {
        let (server, releases) = try await Self.twoProvinces()
        defer { server.stop() }
        func pulled(_ token: String) async throws -> Set<UUID> {
            let response = try await raw(.get, "\(server.url)/v1/events", token: token)
            #expect(response.status == 200)
            let page = try JSONDecoder().decode(SyncWire.PullResponse.self, from: Data(response.body))
            return Set(page.events.map(\.event.recordID))
        }
        let national = try server.token("*", role: .hq)
        let hcmc = try #require(releases["79.26734"]), hanoi = try #require(releases["01.00004"])
        let everything = try await pulled(national)
        #expect(everything.contains(hcmc) && everything.contains(hanoi))
        let province = try await pulled(try server.token("79", role: .hq))
        #expect(province.contains(hcmc) && !province.contains(hanoi))

        let push = try await raw(.post, "\(server.url)/v1/events", token: national, body: Array(#"{"events":[]}"#.utf8))
        #expect(push.status == 403)
    }
}
