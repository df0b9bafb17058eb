import DragnetCore
import DragnetServer
import DragnetSync
import Foundation
import Testing

// The small language of RuleParityTests: a scene (the events a registry holds before the act), the act done three
// ways — the officer's command on a station, an import of a CSV file, a push to a real central server — and what
// each way must answer. Nothing here is shared between tests: every call makes its own databases and server.

// MARK: - What every path must say

/// A refusal as SPEC §4 words it: the record, the field and the value at fault, and a sentence for a person.
struct Refusal: CustomStringConvertible {
    /// How the record is named (`79.26734/TN-1`, a person's name, `event <id>`); nil for a new person whose id only
    /// the command knows (`person <id>` is then expected, any id).
    var record: String?
    var field: String
    var value: String
    var message: String

    init(_ record: String?, _ field: String, _ value: String, _ message: String) {
        self.record = record
        self.field = field
        self.value = value
        self.message = message
    }

    /// The line a refused command throws and a refused push gives as its reason, in the shape `DragnetError` documents
    /// for a violation: `79.26734/TN-1, closing_date "2020-02-29": is before …` (no value part when it is blank).
    func sentence(record: String) -> String {
        value.isEmpty ? "\(record), \(field): \(message)" : "\(record), \(field) \"\(value)\": \(message)"
    }

    /// Whether `text` is this refusal's sentence.
    func matches(_ text: String) -> Bool {
        if let record { return text == sentence(record: record) }
        let tail = sentence(record: "")
        guard text.hasPrefix("person "), text.hasSuffix(tail) else { return false }
        let id = text.dropFirst("person ".count).dropLast(tail.count)
        return UUID(uuidString: String(id)) != nil
    }

    var description: String { sentence(record: record ?? "person <new id>") }
}

/// What a command or an import must do.
enum Verdict {
    case accepted
    case refused(Refusal)
}

/// What the central server must answer for one pushed event.
enum Pushed {
    case created
    case duplicate
    case rejected(Refusal)
}

// MARK: - The scene: what the registry holds before the act

/// The events recorded before the act, made as the stations would make them (the station `79.26734` unless said),
/// recorded at `Scene.now`. Builders named by a noun (`closing`, `opening`, …) make an event without keeping it —
/// the event a test offers; builders named by a verb (`close`, `wanted`, …) keep it in the scene.
struct Scene {
    /// The recording time of every event: dates up to 2026-11-27 are allowed.
    static let now = Timestamp("2026-11-26T10:00:00Z")!
    static let station = "79.26734"
    static let neighbour = "79.26737"

    let unit: UnitCode
    let author: String
    private var factories: [UnitCode: EventFactory] = [:]
    private(set) var events: [Event] = []

    init(unit: String = Scene.station, author: String = "Cán bộ Trần Văn Bình") {
        self.unit = UnitCode(unit)!
        self.author = author
    }

    /// The factory of `unit` (this scene's station by default), as far as the scene has used it.
    func factory(_ unit: UnitCode? = nil) -> EventFactory {
        let unit = unit ?? self.unit
        return factories[unit]
            ?? EventFactory(unit: unit, author: unit == self.unit ? author : "officer of \(unit)", now: Scene.now)
    }

    /// A fresh record id.
    mutating func newID() -> UUID {
        var f = factory()
        defer { factories[unit] = f }
        return f.newRecordID()
    }

    /// An event recorded by `unit` (this scene's station by default) on `date` (the recording day by default).
    mutating func make(
        _ payload: EventPayload, record: UUID, kind: RecordKind, on date: String? = nil, by unit: String? = nil
    ) -> Event {
        let unit = unit.map { UnitCode($0)! } ?? self.unit
        var f = factory(unit)
        defer { factories[unit] = f }
        return f.make(payload, record: record, kind: kind, on: date.map { LocalDate($0)! } ?? Scene.now.date)
    }

    /// Keeps `event` in the scene.
    @discardableResult
    mutating func keep(_ event: Event) -> Event {
        events.append(event)
        return event
    }

    // Persons

    static func details(_ name: String = "Nguyễn Văn A", birth: String? = "1980", nationalID: String? = nil)
        -> PersonDetails
    {
        PersonDetails(
            fullName: name, birthDate: birth.map { BirthDate($0)! }, sex: .male,
            nationalID: nationalID.map { NationalID($0)! })
    }

    mutating func registration(_ details: PersonDetails = Scene.details(), id: UUID? = nil, by unit: String? = nil)
        -> Event
    {
        let id = id ?? newID()
        return make(.personRegistered(details), record: id, kind: .person, by: unit)
    }

    /// Registers a person; returns their id.
    @discardableResult
    mutating func person(_ name: String = "Nguyễn Văn A", birth: String? = "1980", nationalID: String? = nil)
        -> UUID
    {
        keep(registration(Scene.details(name, birth: birth, nationalID: nationalID))).recordID
    }

    mutating func amendment(_ person: UUID, _ details: PersonDetails) -> Event {
        make(.personAmended(details), record: person, kind: .person)
    }

    // Wanted cases

    static func decision(_ number: String = "D-1") -> Decision {
        Decision(number: number, issuedBy: "", offense: "Điều 173")
    }

    mutating func opening(
        _ ref: String = "TN-1", person: UUID, on date: String, owner: String? = nil, decision: String = "D-1",
        id: UUID? = nil, by unit: String? = nil, releaseCase: UUID? = nil
    ) -> Event {
        let opening = WantedOpening(
            personID: person, caseRef: ref, ownerUnit: owner.map { UnitCode($0)! } ?? self.unit, danger: .ordinary,
            abroad: false, decision: Scene.decision(decision), releaseCase: releaseCase)
        return make(.wantedOpened(opening), record: id ?? newID(), kind: .wanted, on: date, by: unit)
    }

    /// Opens a wanted case with decision `D-1`; returns the case id.
    @discardableResult
    mutating func wanted(_ ref: String = "TN-1", person: UUID, on date: String) -> UUID {
        keep(opening(ref, person: person, on: date)).recordID
    }

    mutating func decision(_ number: String, on date: String, case id: UUID, by unit: String? = nil) -> Event {
        make(.decisionAdded(Scene.decision(number)), record: id, kind: .wanted, on: date, by: unit)
    }

    mutating func withdrawal(_ number: String, on date: String, case id: UUID, reason: String = "voided") -> Event {
        make(.decisionWithdrawn(number: number, reason: reason), record: id, kind: .wanted, on: date)
    }

    /// A closing recorded by `unit` (this station by default), the acting unit being the recording one.
    mutating func closing(_ id: UUID, _ kind: ClosingKind = .arrested, on date: String, by unit: String? = nil)
        -> Event
    {
        let acting = unit.map { UnitCode($0)! } ?? self.unit
        return make(.wantedClosed(kind: kind, actingUnit: acting), record: id, kind: .wanted, on: date, by: unit)
    }

    @discardableResult
    mutating func close(_ id: UUID, _ kind: ClosingKind = .arrested, on date: String, by unit: String? = nil)
        -> Event
    {
        keep(closing(id, kind, on: date, by: unit))
    }

    // Release cases

    mutating func releaseRegistration(
        _ ref: String = "DX-1", person: UUID, type: ReleaseType = .amnesty, on date: String, probation: String? = nil,
        unit responsible: String? = nil, id: UUID? = nil
    ) -> Event {
        let registration = ReleaseRegistration(
            personID: person, caseRef: ref, unit: responsible.map { UnitCode($0)! } ?? self.unit, releaseType: type,
            facility: "Trại giam Chí Hòa", offense: "Điều 168", probationUntil: probation.map { LocalDate($0)! })
        return make(.releaseRegistered(registration), record: id ?? newID(), kind: .release, on: date)
    }

    /// Registers a release case; returns its id.
    @discardableResult
    mutating func release(
        _ ref: String = "DX-1", person: UUID, type: ReleaseType = .amnesty, on date: String, probation: String? = nil
    ) -> UUID {
        keep(releaseRegistration(ref, person: person, type: type, on: date, probation: probation)).recordID
    }

    mutating func ending(_ id: UUID, _ kind: EndingKind, on date: String, by unit: String? = nil) -> Event {
        make(.releaseEnded(kind: kind, offense: nil, reference: nil), record: id, kind: .release, on: date, by: unit)
    }

    @discardableResult
    mutating func end(_ id: UUID, _ kind: EndingKind, on date: String, by unit: String? = nil) -> Event {
        keep(ending(id, kind, on: date, by: unit))
    }

    mutating func transfer(_ id: UUID, to unit: String, on date: String) -> Event {
        make(.transferred(toUnit: UnitCode(unit)!), record: id, kind: .release, on: date)
    }

    /// A supervision event (SPEC §10) on release case `id`.
    mutating func supervision(_ payload: EventPayload, _ id: UUID, on date: String, by unit: String? = nil) -> Event {
        make(payload, record: id, kind: .release, on: date, by: unit)
    }

    @discardableResult
    mutating func supervise(_ payload: EventPayload, _ id: UUID, on date: String, by unit: String? = nil) -> Event {
        keep(supervision(payload, id, on: date, by: unit))
    }

    // Retractions

    mutating func retraction(of event: Event, reason: String = "entered by mistake", by unit: String? = nil) -> Event {
        make(.retracted(eventID: event.id, reason: reason), record: event.recordID, kind: event.recordKind, by: unit)
    }

    @discardableResult
    mutating func retract(_ event: Event, reason: String = "entered by mistake") -> Event {
        keep(retraction(of: event, reason: reason))
    }
}

// MARK: - Path 1: the officer's command on a station

/// An officer at a station: the `Registry` functions the `dragnet` commands call, with the command's arguments.
struct Officer {
    let registry: Registry
    var factory: EventFactory

    /// `dragnet person add`.
    mutating func personAdd(_ details: PersonDetails) throws {
        _ = try registry.registerPerson(details, factory: &factory)
    }

    /// `dragnet person amend ID --birth B`.
    mutating func personAmend(_ id: UUID, birth: String) throws {
        var details = try registry.records.person(id).details
        details.birthDate = BirthDate(birth)!
        try registry.amendPerson(id, details: details, factory: &factory)
    }

    /// `dragnet wanted add --ref R (--person ID | --name …) --decision N --decision-date D [--unit U]
    /// [--release CASE]`.
    mutating func wantedAdd(
        _ ref: String = "TN-1", person: PersonChoice, on date: String, owner: String? = nil, decision: String = "D-1",
        release: String? = nil
    ) throws {
        _ = try registry.openWanted(
            person: person, caseRef: ref, ownerUnit: owner.map { UnitCode($0)! } ?? registry.unit,
            danger: .ordinary, abroad: false, decision: Scene.decision(decision), decisionDate: LocalDate(date)!,
            releaseCase: release, factory: &factory)
    }

    /// `dragnet wanted decide CASE --decision N --on D`.
    mutating func wantedDecide(_ ref: String, decision: String, on date: String) throws {
        _ = try registry.attachDecision(
            ref, decision: Scene.decision(decision), date: LocalDate(date)!, factory: &factory)
    }

    /// `dragnet wanted withdraw CASE --decision N --on D --reason R`.
    mutating func wantedWithdraw(_ ref: String, decision: String, on date: String, reason: String) throws {
        _ = try registry.withdrawDecision(
            ref, number: decision, date: LocalDate(date)!, reason: reason, factory: &factory)
    }

    /// `dragnet wanted close CASE --as K --on D`.
    mutating func wantedClose(_ ref: String, as kind: ClosingKind, on date: String) throws {
        _ = try registry.closeWanted(ref, as: kind, on: LocalDate(date)!, actingUnit: nil, factory: &factory)
    }

    /// `dragnet release add --ref R (--person ID | --name …) --type T --released-on D [--probation-until P]`.
    mutating func releaseAdd(
        _ ref: String = "DX-1", person: PersonChoice, type: ReleaseType = .amnesty, on date: String,
        probation: String? = nil, unit: String? = nil
    ) throws {
        _ = try registry.registerRelease(
            person: person, caseRef: ref, unit: unit.map { UnitCode($0)! } ?? registry.unit, type: type,
            releasedOn: LocalDate(date)!, facility: "Trại giam Chí Hòa", offense: "Điều 168",
            probationUntil: probation.map { LocalDate($0)! }, factory: &factory)
    }

    /// `dragnet release transfer CASE --to U --on D`.
    mutating func releaseTransfer(_ ref: String, to unit: String, on date: String) throws {
        _ = try registry.transferRelease(ref, to: UnitCode(unit)!, on: LocalDate(date)!, factory: &factory)
    }

    /// `dragnet release end CASE --as K --on D`.
    mutating func releaseEnd(_ ref: String, as kind: EndingKind, on date: String) throws {
        _ = try registry.endRelease(
            ref, as: kind, on: LocalDate(date)!, offense: nil, reference: nil, factory: &factory)
    }

    /// `dragnet release report-in CASE --on D`.
    mutating func releaseReportIn(_ ref: String, on date: String) throws {
        _ = try registry.reportIn(ref, on: LocalDate(date)!, factory: &factory)
    }

    /// `dragnet release assign CASE --officer NAME --on D`.
    mutating func releaseAssign(_ ref: String, officer: String, on date: String) throws {
        _ = try registry.assignOfficer(ref, officer: officer, on: LocalDate(date)!, factory: &factory)
    }

    /// `dragnet release contact CASE --on D --kind K [--note TEXT]`.
    mutating func releaseContact(_ ref: String, kind: ContactKind = .inPerson, note: String? = nil, on date: String)
        throws
    {
        _ = try registry.recordContact(ref, kind: kind, note: note, on: LocalDate(date)!, factory: &factory)
    }

    /// `dragnet release missing CASE --on D [--note TEXT]`.
    mutating func releaseMissing(_ ref: String, note: String? = nil, on date: String) throws {
        _ = try registry.recordMissing(ref, note: note, on: LocalDate(date)!, factory: &factory)
    }

    /// `dragnet release located CASE --on D`.
    mutating func releaseLocated(_ ref: String, on date: String) throws {
        _ = try registry.recordLocated(ref, on: LocalDate(date)!, factory: &factory)
    }

    /// `dragnet retract EVENT --reason R`.
    mutating func retract(_ event: Event, reason: String = "entered by mistake") throws {
        _ = try registry.retract(event.id, reason: reason, factory: &factory)
    }

    /// The station's own write path for events no command makes (a reused record id, a record of another kind…):
    /// `Registry.record`, which every command ends in.
    func record(_ events: Event...) throws {
        try registry.record(events)
    }
}

/// A temporary folder of its own.
func parityDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "dragnet-parity-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

/// A new station database of `unit` holding the scene's events: its own recorded by the officer (`record`), the other
/// units' as a pull stores them (`merge`).
func station(_ scene: Scene, unit: String? = nil) throws -> Registry {
    let unit = unit.map { UnitCode($0)! } ?? scene.unit
    let registry = try Registry.create(
        at: try parityDirectory().appendingPathComponent("station-\(unit).sqlite").path, unit: unit, now: Scene.now)
    for event in scene.events {
        if event.unit == unit {
            try registry.record([event])
        } else {
            _ = try registry.receive([event], policy: .merge)
        }
    }
    return registry
}

/// Runs the officer's command `act` at a station (`unit`, the scene's by default) holding the scene, and checks its
/// verdict: a refusal is a `DragnetError` of bad input whose message is the refusal's sentence, and writes nothing.
@discardableResult
func expectCommand(
    _ scene: Scene, at unit: String? = nil, _ verdict: Verdict, sourceLocation: SourceLocation = #_sourceLocation,
    _ act: (inout Officer) throws -> Void
) throws -> Registry {
    let registry = try station(scene, unit: unit)
    var officer = Officer(registry: registry, factory: scene.factory(registry.unit))
    let before = try registry.eventCount()
    do {
        try act(&officer)
        if case .refused(let refusal) = verdict {
            Issue.record("command: accepted; expected the refusal: \(refusal)", sourceLocation: sourceLocation)
        }
    } catch let error as DragnetError {
        switch verdict {
        case .accepted:
            Issue.record("command: refused \"\(error.message)\"; expected it accepted", sourceLocation: sourceLocation)
        case .refused(let refusal):
            #expect(error.code == .badInput, "command: exit status \(error.exitStatus)", sourceLocation: sourceLocation)
            #expect(
                refusal.matches(error.message),
                "command said:\n  \(error.message)\nexpected:\n  \(refusal)", sourceLocation: sourceLocation)
            #expect(
                try registry.eventCount() == before, "command: a refusal writes nothing",
                sourceLocation: sourceLocation)
        }
    }
    return registry
}

// MARK: - Path 2: the import of a CSV file (SPEC §6)

enum ImportList {
    case wanted, releases, supervision

    var columns: [String] {
        switch self {
        case .wanted: return ImportColumns.wanted
        case .releases: return ImportColumns.releases
        case .supervision: return ImportColumns.supervision
        }
    }

    var file: String { "\(self).csv" }
}

/// A row of `wanted.csv`; the defaults describe the scene's default person and case.
func wantedRow(
    ref: String = "TN-1", unit: String = Scene.station, name: String = "Nguyễn Văn A", birth: String = "1980",
    sex: String = "M", nationalID: String = "", decision: String = "D-1", decisionDate: String,
    offense: String = "Điều 173", closing: String = "", closingDate: String = "", closedBy: String = ""
) -> [String] {
    [
        ref, unit, name, birth, sex, nationalID, decision, decisionDate, offense, "", "", closing, closingDate,
        closedBy,
    ]
}

/// A row of `releases.csv`; the defaults describe the scene's default person and release case.
func releaseRow(
    ref: String = "DX-1", unit: String = Scene.station, name: String = "Nguyễn Văn A", birth: String = "1980",
    sex: String = "M", nationalID: String = "", type: String = "amnesty", releasedOn: String,
    probation: String = "", ending: String = "", endingDate: String = ""
) -> [String] {
    [
        ref, unit, name, birth, sex, nationalID, type, releasedOn, "Trại giam Chí Hòa", "Điều 168", probation, ending,
        endingDate,
    ]
}

/// A row of `supervision.csv` on the scene's default release case.
func supervisionRow(
    ref: String = "DX-1", unit: String = Scene.station, kind: String, date: String, officer: String = "",
    contactKind: String = "", note: String = ""
) -> [String] {
    [ref, unit, kind, date, officer, contactKind, note]
}

/// RFC 4180 text: every field quoted, CRLF line ends.
func csvText(_ rows: [[String]]) -> String {
    rows.map { row in
        row.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
    }.joined(separator: "\r\n") + "\r\n"
}

/// Imports `rows` (all or nothing) into a station holding the scene, as `dragnet import` does with the officer's
/// factory, and checks the verdict: a refusal is exactly one bad row, `row`, with the refusal's column, value and
/// message, and nothing imported.
@discardableResult
func expectImport(
    _ scene: Scene, _ list: ImportList, _ rows: [[String]], _ verdict: Verdict, row: Int = 2,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> Registry {
    let registry = try station(scene)
    let path = try parityDirectory().appendingPathComponent(list.file).path
    try csvText([list.columns] + rows).write(toFile: path, atomically: true, encoding: .utf8)
    let before = try registry.eventCount()
    let importer = Importer(registry: registry, factory: scene.factory(registry.unit))
    let summary: ImportSummary
    switch list {
    case .wanted: summary = try importer.importWanted(path: path)
    case .releases: summary = try importer.importReleases(path: path)
    case .supervision: summary = try importer.importSupervision(path: path)
    }
    switch verdict {
    case .accepted:
        #expect(
            summary.committed && summary.problems.isEmpty,
            "import: \(summary.problems.map(\.description)); expected it accepted", sourceLocation: sourceLocation)
    case .refused(let refusal):
        let expected = ImportProblem(row: row, column: refusal.field, value: refusal.value, message: refusal.message)
        #expect(!summary.committed, "import: committed; expected nothing imported", sourceLocation: sourceLocation)
        #expect(
            summary.problems == [expected],
            "import said:\n  \(summary.problems.map(\.description).joined(separator: "\n  "))\nexpected:\n  \(expected)",
            sourceLocation: sourceLocation)
        #expect(try registry.eventCount() == before, "import: all or nothing", sourceLocation: sourceLocation)
    }
    return registry
}

// MARK: - Path 3: the push to a real central server

/// Posts `events` to `/v1/events` with a station token of `unit`; the HTTP status and the answer (nil unless 200).
func post(_ events: [Event], to server: LiveServer, unit: String) async throws -> (
    status: Int, answer: SyncWire.PushResponse?, body: String
) {
    try await post(Array(try SyncWire.encoder().encode(SyncWire.PushRequest(events: events))), to: server, unit: unit)
}

/// Posts a raw push body.
func post(_ body: [UInt8], to server: LiveServer, unit: String) async throws -> (
    status: Int, answer: SyncWire.PushResponse?, body: String
) {
    let response = try await raw(.post, "\(server.url)/v1/events", token: try server.token(unit), body: body)
    let text = String(decoding: response.body, as: UTF8.self)
    guard response.status == 200 else { return (response.status, nil, text) }
    return (200, try JSONDecoder().decode(SyncWire.PushResponse.self, from: Data(response.body)), text)
}

/// Starts a central server, pushes the scene's events to it as their stations would (each unit with its own token,
/// every one expected `created`), then pushes `offered` with a token of `token` (the scene's station by default) and
/// checks the answer for each event, in order; only `created` events are stored. `then` looks further at the server.
func expectPush(
    _ scene: Scene, _ offered: [Event], _ expected: [Pushed], token: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation, then: (LiveServer) throws -> Void = { _ in }
) async throws {
    let server = try await LiveServer.start()
    defer { server.stop() }
    var start = scene.events.startIndex
    while start < scene.events.endIndex {
        let unit = scene.events[start].unit
        let end = scene.events[start...].firstIndex { $0.unit != unit } ?? scene.events.endIndex
        let batch = Array(scene.events[start..<end])
        let (status, answer, body) = try await post(batch, to: server, unit: unit.rawValue)
        for (event, result) in zip(batch, answer?.results ?? []) where result.status != .created {
            Issue.record(
                "push: the scene's \(event.kind.rawValue) was \(result.status.rawValue): \(result.reason ?? "")",
                sourceLocation: sourceLocation)
        }
        if status != 200 { Issue.record("push: the scene got \(status) \(body)", sourceLocation: sourceLocation) }
        start = end
    }
    let before = try server.registry.eventCount()
    let (status, answer, body) = try await post(offered, to: server, unit: token ?? scene.unit.rawValue)
    guard let results = answer?.results else {
        Issue.record("push: HTTP \(status) \(body); expected one result per event", sourceLocation: sourceLocation)
        return
    }
    #expect(results.count == expected.count, "push: \(results.count) results", sourceLocation: sourceLocation)
    var created: Int64 = 0
    for (index, (result, want)) in zip(results, expected).enumerated() {
        #expect(
            result.id == offered[index].id, "push: result \(index) names another event", sourceLocation: sourceLocation)
        let got = "\(result.status.rawValue)" + (result.reason.map { ": \($0)" } ?? "")
        switch want {
        case .created:
            #expect(result.status == .created, "push: event \(index) was \(got)", sourceLocation: sourceLocation)
        case .duplicate:
            #expect(result.status == .duplicate, "push: event \(index) was \(got)", sourceLocation: sourceLocation)
        case .rejected(let refusal):
            #expect(
                result.status == .rejected && refusal.matches(result.reason ?? ""),
                "push: event \(index) was\n  \(got)\nexpected rejected:\n  \(refusal)", sourceLocation: sourceLocation)
        }
        if result.status == .created { created += 1 }
    }
    #expect(
        try server.registry.eventCount() == before + created, "push: only created events are stored",
        sourceLocation: sourceLocation)
    try then(server)
}

/// The anomalies the server lists (`dragnet conflicts` on the server), as `severity: sentence`.
func listed(_ server: LiveServer) throws -> [String] {
    try server.registry.records.anomalies().map { "\($0.severity.rawValue): \($0.sentence)" }
}
