import Foundation
import GRDB
import Testing

@testable import DragnetCore
@testable import DragnetSynthetic

@Suite struct GeneratorTests {
    /// The day the test data are made: the recording day of `TestRegistry`.
    static let today = TestRegistry.now.date

    /// A fresh temporary directory.
    func directory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dragnet-gen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// The records of a CSV file, header first.
    func records(_ path: String) throws -> [[String]] {
        let reader = try CSVReader(path: path)
        var records: [[String]] = []
        while let record = try reader.next() {
            #expect(record.problem == nil, "row \(record.row): \(record.problem ?? "")")
            records.append(record.fields)
        }
        return records
    }

    func bytes(_ directory: String, _ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name))
    }

    @Test func theGeneratorIsXoshiro256StarStarSeededBySplitMix64() {
        // Reference values computed with the published algorithms, so that a seed means the same on every platform.
        var zero = SyntheticRandom(seed: 0)
        #expect(
            [zero.next(), zero.next(), zero.next()]
                == [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0])
        var answer = SyntheticRandom(seed: 42)
        #expect(
            [answer.next(), answer.next(), answer.next()]
                == [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1])
        #expect(SyntheticVocabulary.codeOf2015InForce.description == "2018-01-01")
    }

    @Test func theSameSeedGivesByteIdenticalFilesAndAnotherSeedOthers() throws {
        let (first, second, other) = (try directory(), try directory(), try directory())
        _ = try SyntheticData(seed: 7, rows: 5_000, today: Self.today).write(toDirectory: first)
        _ = try SyntheticData(seed: 7, rows: 5_000, today: Self.today).write(toDirectory: second)
        _ = try SyntheticData(seed: 8, rows: 5_000, today: Self.today).write(toDirectory: other)
        for name in ["wanted.csv", "releases.csv", "supervision.csv"] {
            #expect(try bytes(first, name) == bytes(second, name), "\(name) differs for the same seed")
            #expect(try bytes(first, name) != bytes(other, name), "\(name) is the same for another seed")
        }
    }

    @Test func theHeadersAreExactlyTheSpecs() throws {
        let out = try directory()
        _ = try SyntheticData(seed: 1, rows: 10, today: Self.today).write(toDirectory: out)
        let wanted = try #require(String(data: try bytes(out, "wanted.csv"), encoding: .utf8))
        let releases = try #require(String(data: try bytes(out, "releases.csv"), encoding: .utf8))
        #expect(
            wanted.hasPrefix(
                "case_ref,unit,full_name,birth_date,sex,national_id,decision_no,decision_date,offense,"
                    + "danger,abroad,closing,closing_date,closed_by\r\n"))
        #expect(
            releases.hasPrefix(
                "case_ref,unit,full_name,birth_date,sex,national_id,release_type,released_on,"
                    + "facility,offense,probation_until,ending,ending_date\r\n"))
        let supervision = try #require(String(data: try bytes(out, "supervision.csv"), encoding: .utf8))
        #expect(supervision.hasPrefix("case_ref,unit,kind,date,officer,contact_kind,note\r\n"))
    }

    @Test func theRowCountsAreAsAsked() throws {
        let sized = try SyntheticData(seed: 1, rows: 1_000_000, today: Self.today)
        #expect(sized.wantedRows == 400_000 && sized.releaseCases == 600_000 && sized.wantedCases == 307_692)
        let out = try directory()
        let summary = try SyntheticData(
            seed: 3, wantedCases: 2_300, wantedRows: 3_000, releaseCases: 3_100, today: Self.today
        ).write(toDirectory: out)
        let wanted = try records(summary.wantedFile), releases = try records(summary.releasesFile)
        #expect(wanted.count == 3_001 && releases.count == 3_101)
        #expect(Set(wanted.dropFirst().map { $0[1] + "/" + $0[0] }).count == 2_300)
        #expect(Set(releases.dropFirst().map { $0[1] + "/" + $0[0] }).count == 3_100)
        #expect(summary.wantedRows == 3_000 && summary.wantedCases == 2_300 && summary.releaseRows == 3_100)
        #expect(summary.openWanted + summary.closings.values.reduce(0, +) == 2_300)
        let byCases = try SyntheticData(seed: 3, wantedCases: 100, releaseCases: 0, today: Self.today)
        #expect(byCases.wantedRows == 130)
    }

    @Test func badParametersAreUsageErrors() {
        expectRefusal("cannot make 400 rows") {
            _ = try SyntheticData(seed: 1, wantedCases: 100, wantedRows: 400, releaseCases: 0, today: Self.today)
        }
        expectRefusal("negative") { _ = try SyntheticData(seed: 1, rows: -1, today: Self.today) }
        expectRefusal("province") { _ = try SyntheticData(seed: 1, rows: 10, provinces: [], today: Self.today) }
    }

    @Test func aOneProvinceDataSetImportsWithNoProblem() throws {
        let out = try directory()
        // Small, as the import is the slow part (about 4 ms a row in a debug build).
        let data = try SyntheticData(
            seed: 2026, wantedCases: 1_000, wantedRows: 1_300, releaseCases: 1_300, provinces: [UnitCode("79")!],
            today: Self.today)
        let summary = try data.write(toDirectory: out)
        // Every kind of closing, release and ending is among the rows imported.
        #expect(ClosingKind.allCases.allSatisfy { summary.closings[$0] ?? 0 > 0 })
        #expect(ReleaseType.allCases.allSatisfy { summary.releaseTypes[$0] ?? 0 > 0 })
        #expect(EndingKind.allCases.allSatisfy { summary.endings[$0] ?? 0 > 0 })
        let t = try TestRegistry(unit: "79")
        let importer = Importer(registry: t.registry, factory: t.factory)
        let wanted = try importer.importWanted(path: summary.wantedFile)
        let releases = try importer.importReleases(path: summary.releasesFile)
        #expect(wanted.problems.isEmpty, "\(wanted.problems.prefix(5).map(\.description))")
        #expect(releases.problems.isEmpty, "\(releases.problems.prefix(5).map(\.description))")
        let supervision = try importer.importSupervision(path: summary.supervisionFile)
        #expect(supervision.problems.isEmpty, "\(supervision.problems.prefix(5).map(\.description))")
        #expect(wanted.committed && releases.committed && supervision.committed)
        #expect(wanted.casesCreated == 1_000 && releases.casesCreated == 1_300)
        #expect(supervision.events == summary.supervisionRows && supervision.unchangedRows == 0)
        // The generated supervision gives the worklist the items it makes on the day the data were made (a
        // probation ending depends on releases.csv alone, and 1,300 cases may hold none due that day).
        let worklist = try t.registry.figures.worklist(unit: UnitCode("79")!, on: Self.today)
        let kinds = Set(worklist.entries.map(\.item.kind))
        #expect(kinds.isSuperset(of: [.arrivalOverdue, .contactOverdue, .whereaboutsUnknown]), "\(kinds)")
        let counts = try t.registry.database.read { db in
            try [
                "SELECT count(*) FROM wanted_case", "SELECT count(*) FROM wanted_decision",
                "SELECT count(*) FROM wanted_case WHERE closing_kind IS NULL", "SELECT count(*) FROM release_case",
                "SELECT count(*) FROM anomaly",
            ].map { try Int.fetchOne(db, sql: $0) ?? -1 }
        }
        #expect(counts == [1_000, 1_300, summary.openWanted, 1_300, 0])
        // The rows are already in the canonical form export writes: export gives the same lines, in its own order.
        var exported = (wanted: CSVWriter(), releases: CSVWriter())
        try Exporter.exportWanted(t.registry, scope: nil, to: &exported.wanted)
        try Exporter.exportReleases(t.registry, scope: nil, to: &exported.releases)
        func lines(_ text: String) -> [Substring] { text.split(separator: "\r\n").sorted() }
        #expect(lines(exported.wanted.text) == lines(String(decoding: try bytes(out, "wanted.csv"), as: UTF8.self)))
        #expect(lines(exported.releases.text) == lines(String(decoding: try bytes(out, "releases.csv"), as: UTF8.self)))
    }

    @Test func theDataLookRealAndKeepTheRules() throws {
        let out = try directory()
        let today = Self.today
        let summary = try SyntheticData(seed: 11, rows: 20_000, today: today).write(toDirectory: out)
        let wanted = try records(summary.wantedFile).dropFirst()
        let releases = try records(summary.releasesFile).dropFirst()
        for kind in ClosingKind.allCases { #expect(summary.closings[kind] ?? 0 > 0, "no \(kind) closing") }
        for type in ReleaseType.allCases { #expect(summary.releaseTypes[type] ?? 0 > 0, "no \(type) release") }
        for kind in EndingKind.allCases { #expect(summary.endings[kind] ?? 0 > 0, "no \(kind) ending") }
        #expect(Set(wanted.map { $0[9] }) == Set(DangerClass.allCases.map(\.rawValue)))
        #expect(Set(wanted.map { $0[10] }) == ["true", "false"])
        let open = Double(summary.openWanted) / Double(summary.wantedCases)
        #expect(open > 0.05 && open < 0.4, "open share \(open)")

        let people = wanted.map { Array($0[2...5]) } + releases.map { Array($0[2...5]) }
        let yearOnly = Double(people.filter { $0[1].count == 4 }.count) / Double(people.count)
        #expect(yearOnly > 0.25 && yearOnly < 0.35, "year-only share \(yearOnly)")
        #expect(Set(people.map { $0[2] }) == ["M", "F", ""])
        #expect(Set(people.map { $0[3].count }) == [0, 9, 12])
        #expect(people.allSatisfy { $0[0] == $0[0].precomposedStringWithCanonicalMapping })
        #expect(people.contains { $0[0].hasPrefix("Nguyễn ") } && people.contains { $0[0].contains(", tức ") })
        #expect(wanted.allSatisfy { $0[6].contains("/QĐ-") } && wanted.contains { $0[8] == "Điều 173 BLHS 2015" })

        let provinces = Set(SyntheticData.defaultProvinces.map(\.rawValue))
        let units = Set(wanted.map { $0[1] } + releases.map { $0[1] })
        #expect(units.allSatisfy { provinces.contains(String($0.prefix(2))) && ($0.count == 2 || $0.count == 8) })
        for province in provinces {
            let communes = units.filter { $0.hasPrefix(province + ".") }.count
            #expect(communes >= 20 && communes <= 60, "\(province) has \(communes) communes")
        }

        let cases = Dictionary(grouping: wanted, by: { $0[1] + "/" + $0[0] })
        let sizes = Set(cases.values.map(\.count))
        #expect(sizes == [1, 2, 3])
        for rows in cases.values {
            let first = rows[0]
            // Person and closing columns repeat on every row of a case.
            #expect(rows.allSatisfy { $0[0...5] == first[0...5] && $0[9...13] == first[9...13] })
            #expect(Set(rows.map { $0[6] }).count == rows.count, "decision numbers repeat in \(first[0])")
            let dates = rows.compactMap { LocalDate($0[7]) }
            #expect(dates.count == rows.count && dates.allSatisfy { $0 <= today && bornBefore(first[3], $0) })
            if !first[11].isEmpty, let closed = LocalDate(first[12]) {
                #expect(dates.allSatisfy { $0 <= closed } && closed <= today && !first[13].isEmpty)
            } else {
                #expect(first[11...13].allSatisfy { $0.isEmpty })
            }
        }
        for row in releases {
            let released = try #require(LocalDate(row[7]))
            #expect(released <= today && bornBefore(row[3], released))
            let probation = LocalDate(row[10])
            #expect((row[6] == "early_release") == (probation != nil))
            if let probation { #expect(probation > released) }
            if let ended = LocalDate(row[12]) {
                #expect(ended >= released && ended <= today)
                if row[11] == "revoked" { #expect(probation.map { ended <= $0 } ?? false) }
            } else {
                #expect(row[11].isEmpty)
            }
        }
    }

    @Test func theSupervisionEventsKeepTheRulesAndLookReal() throws {
        let out = try directory()
        let today = Self.today
        let summary = try SyntheticData(seed: 11, rows: 20_000, today: today).write(toDirectory: out)
        let releases = try records(summary.releasesFile).dropFirst()
        let rows = try records(summary.supervisionFile).dropFirst()
        #expect(rows.count == summary.supervisionRows)
        #expect(SupervisionMark.Kind.allCases.allSatisfy { summary.supervisionEvents[$0] ?? 0 > 0 })
        let cases = Dictionary(uniqueKeysWithValues: releases.map { ($0[1] + "/" + $0[0], $0) })
        let byCase = Dictionary(grouping: rows, by: { $0[1] + "/" + $0[0] })
        // Contacts are kept for the last 365 days only.
        let contactsFrom = today.adding(days: -365)
        var (inTime, late, never) = (0, 0, 0)
        var (open, openReported, overdue) = (0, 0, 0)
        for (name, events) in byCase {
            let release = try #require(cases[name], "\(name) is not in releases.csv")
            let released = try #require(LocalDate(release[7]))
            let ending = LocalDate(release[12])
            #expect(ending.map { $0 > contactsFrom } ?? true, "\(name) ended before the records kept")
            let dates = events.compactMap { LocalDate($0[3]) }
            #expect(dates.count == events.count && dates == dates.sorted(), "\(name): dates in order")
            var missing = false
            for (event, date) in zip(events, dates) {
                #expect(date >= released && date <= today && ending.map { date < $0 } ?? true, "\(name) \(date)")
                let kind = try #require(SupervisionMark.Kind(rawValue: event[2]))
                #expect((kind == .officerAssigned) == !event[4].isEmpty, "\(name): officer of \(kind)")
                #expect((kind == .contact) == (ContactKind(rawValue: event[5]) != nil), "\(name): kind of \(kind)")
                #expect(kind == .contact || kind == .whereaboutsUnknown || event[6].isEmpty)
                #expect(event[6] == event[6].precomposedStringWithCanonicalMapping)
                switch kind {
                case .contact: #expect(date >= contactsFrom && !missing, "\(name): a contact on \(date)")
                case .whereaboutsUnknown: #expect(!missing, "\(name): missing twice")
                case .located: #expect(missing, "\(name): located while not missing")
                default: break
                }
                if kind == .whereaboutsUnknown { missing = true }
                if kind == .located { missing = false }
            }
            // Reporting in: the first one, counted from the release.
            if let first = zip(events, dates).first(where: { $0.0[2] == "reported_in" })?.1 {
                if first.dayNumber - released.dayNumber <= 5 { inTime += 1 } else { late += 1 }
            } else {
                never += 1
            }
            // Still open today and reported in: is the last contact (or reporting in) older than the interval?
            guard ending == nil else { continue }
            open += 1
            let checks = zip(events, dates).filter { ["reported_in", "contact"].contains($0.0[2]) }.map(\.1)
            guard let last = checks.max() else { continue }
            openReported += 1
            let onProbation = LocalDate(release[10]).map { today <= $0 } ?? false
            if today.dayNumber - last.dayNumber > (onProbation ? 31 : 92) { overdue += 1 }
        }
        // An open case without rows is one whose person never reported in (nor went on the missing list).
        let silent = releases.filter { $0[12].isEmpty && byCase[$0[1] + "/" + $0[0]] == nil }.count
        #expect(open + silent == releases.filter { $0[12].isEmpty }.count)
        never += silent
        let reported = Double(inTime + late + never)
        #expect(Double(inTime) / reported > 0.8 && Double(inTime) / reported < 0.95, "in time \(inTime)")
        #expect(Double(late) / reported > 0.03 && Double(late) / reported < 0.15, "late \(late)")
        #expect(Double(never) / reported > 0.005 && Double(never) / reported < 0.06, "never \(never)")
        let overdueShare = Double(overdue) / Double(openReported)
        #expect(overdueShare > 0.03 && overdueShare < 0.25, "contact overdue today \(overdueShare)")
        let unknown = summary.supervisionEvents[.whereaboutsUnknown] ?? 0
        let located = summary.supervisionEvents[.located] ?? 0
        #expect(Double(unknown) / Double(byCase.count) < 0.15 && located < unknown)
        // About one contact a quarter (a month on probation) over the year kept, for the cases open over it.
        let contacts = Double(summary.supervisionEvents[.contact] ?? 0) / Double(open)
        #expect(contacts > 3 && contacts < 10, "\(contacts) contacts a case")
    }

    /// Whether a birth date (`YYYY-MM-DD` or `YYYY`) is at least 16 years before `date`.
    func bornBefore(_ birth: String, _ date: LocalDate) -> Bool {
        guard let born = BirthDate(birth) else { return false }
        return born.earliestDay.adding(years: 16) <= date
    }
}
