import DragnetCore
import Foundation

/// A synthetic data set for trials and load tests: `wanted.csv` and `releases.csv` in exactly the formats of SPEC §6,
/// every row of which imports with no problem into a registry whose unit covers the provinces asked for.
///
/// The data look like a real register: Vietnamese names with diacritics (NFC), birth dates of which about 30 % give
/// the year only, sex `M`/`F`/blank, 12-digit CCCD (starting with a province code and the century-and-sex digit),
/// 9-digit CMND or blank ids, 20 to 60 commune stations a province (`79.26734`), Criminal Code offences
/// ("Điều 173 BLHS 2015", the 1999 Code before 2018), decision numbers ("123/QĐ-CSHS"), danger classes, fugitives
/// abroad, closings of all four kinds, wanted cases of one to three decisions, the three release types, early releases
/// with their probation, and endings of all four kinds. Dates run from 2015 to `today`, never later, never before the
/// person turned 16.
///
/// The CSV formats cannot express transfers of release cases (nor withdrawn decisions, aliases or a reoffence's
/// details), so the files hold none.
///
/// Beside them, `supervision.csv` holds the supervision events of the release cases (SPEC §10, `SyntheticSupervision`
/// says how they are made), one a row, each naming its case by `case_ref` + `unit` (docs/formats.md): imported after
/// `releases.csv`, they give the worklist and the supervision figures something to show. They come from a random
/// stream of their own, so `wanted.csv` and `releases.csv` are the same with or without them.
///
/// Generation is deterministic: the same parameters give byte-identical files, on every platform (its own xoshiro256**
/// generator, never the system's). It streams: rows are written as they are made, whatever the size.
public struct SyntheticData: Sendable {
    /// The provinces used when none are named: Ho Chi Minh City, Hà Nội, Đà Nẵng, Cần Thơ, Hải Phòng.
    public static let defaultProvinces = ["79", "01", "48", "92", "31"].compactMap { UnitCode($0) }
    /// Decisions a wanted case has on average when only the number of cases is given.
    public static let decisionsPerCase = 1.3
    /// The share of `wanted.csv` in a data set sized by its total number of rows.
    public static let wantedShare = 0.4

    /// The seed: the same seed (and the same other parameters) gives the same files.
    public let seed: UInt64
    /// Wanted cases to make.
    public let wantedCases: Int
    /// Rows of `wanted.csv` (decisions), between `wantedCases` and three times as many.
    public let wantedRows: Int
    /// Release cases to make, one row each.
    public let releaseCases: Int
    /// The province units the cases are registered under (each gets communes below it).
    public let provinces: [UnitCode]
    /// The day the data set is made: no date is later.
    public let today: LocalDate
    /// How many rows pass between two calls of the progress function.
    public var progressInterval = 50_000

    /// A data set of `wantedCases` wanted cases in `wantedRows` rows (default: 1.3 rows a case) and `releaseCases`
    /// release cases. Throws a usage ``DragnetError`` for negative counts, rows out of reach of the cases, no province,
    /// or a `today` before 1900.
    public init(
        seed: UInt64, wantedCases: Int, wantedRows: Int? = nil, releaseCases: Int,
        provinces: [UnitCode] = SyntheticData.defaultProvinces, today: LocalDate
    ) throws {
        let rows = wantedRows ?? Int((Double(wantedCases) * Self.decisionsPerCase).rounded())
        guard wantedCases >= 0, releaseCases >= 0 else {
            throw DragnetError(.usage, "the numbers of cases must not be negative")
        }
        guard rows >= wantedCases, rows <= 3 * wantedCases else {
            throw DragnetError(
                .usage,
                "\(wantedCases) wanted cases of 1 to 3 decisions cannot make \(rows) rows")
        }
        var unique: [UnitCode] = []
        for province in provinces where !unique.contains(province) { unique.append(province) }
        guard !unique.isEmpty else { throw DragnetError(.usage, "name at least one province") }
        guard today.year >= 1900 else { throw DragnetError(.usage, "today (\(today)) must be 1900 or later") }
        self.seed = seed
        self.wantedCases = wantedCases
        self.wantedRows = rows
        self.releaseCases = releaseCases
        self.provinces = unique
        self.today = today
    }

    /// A data set of `rows` rows in all: 40 % in `wanted.csv` (at 1.3 rows a case), 60 % in `releases.csv`.
    public init(
        seed: UInt64, rows: Int, provinces: [UnitCode] = SyntheticData.defaultProvinces, today: LocalDate
    ) throws {
        guard rows >= 0 else { throw DragnetError(.usage, "the number of rows must not be negative") }
        let wanted = Int((Double(rows) * Self.wantedShare).rounded())
        let cases = wanted == 0 ? 0 : max(1, Int((Double(wanted) / Self.decisionsPerCase).rounded()))
        try self.init(
            seed: seed, wantedCases: cases, wantedRows: wanted, releaseCases: rows - wanted, provinces: provinces,
            today: today)
    }

    /// Writes `wanted.csv`, `releases.csv` and `supervision.csv` into `directory` (created when missing), calling
    /// `progress` with the rows of the first two written so far. Throws a ``DragnetError`` when a file can't be
    /// written.
    public func write(toDirectory directory: String, progress: ((Int) -> Void)? = nil) throws -> SyntheticSummary {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw DragnetError(.failure, "cannot create the directory \(directory): \(error.localizedDescription)")
        }
        let wantedPath = (directory as NSString).appendingPathComponent("wanted.csv")
        let releasesPath = (directory as NSString).appendingPathComponent("releases.csv")
        let supervisionPath = (directory as NSString).appendingPathComponent("supervision.csv")
        do {
            var wanted = try CSVWriter(path: wantedPath)
            var summary = try writeWanted(to: &wanted, progress: progress)
            try wanted.finish()
            var releases = try CSVWriter(path: releasesPath)
            var supervision: CSVWriter? = try CSVWriter(path: supervisionPath)
            let done = summary.wantedRows
            let releaseSummary = try writeReleases(to: &releases, supervision: &supervision) { progress?(done + $0) }
            try releases.finish()
            try supervision?.finish()
            summary.releaseRows = releaseSummary.releaseRows
            summary.releaseTypes = releaseSummary.releaseTypes
            summary.endings = releaseSummary.endings
            summary.supervisionRows = releaseSummary.supervisionRows
            summary.supervisionEvents = releaseSummary.supervisionEvents
            summary.wantedFile = wantedPath
            summary.releasesFile = releasesPath
            summary.supervisionFile = supervisionPath
            return summary
        } catch let error as CSVWriteError {
            throw DragnetError(.failure, error.description, underlying: error)
        }
    }

    /// Writes `wanted.csv` (header and rows) to `writer`, calling `progress` with the rows written so far.
    public func writeWanted(to writer: inout CSVWriter, progress: ((Int) -> Void)? = nil) throws -> SyntheticSummary {
        try writer.write(ImportColumns.wanted)
        var list = SyntheticWantedList(
            seed: seed, cases: wantedCases, rows: wantedRows, geography: geography, calendar: calendar)
        var summary = SyntheticSummary()
        let interval = max(1, progressInterval)
        var nextReport = interval
        while let rows = list.nextCase() {
            for row in rows { try writer.write(row) }
            summary.wantedRows += rows.count
            summary.wantedCases += 1
            if summary.wantedRows >= nextReport {
                progress?(summary.wantedRows)
                nextReport += interval
            }
        }
        progress?(summary.wantedRows)
        summary.openWanted = list.open
        summary.closings = list.closings
        return summary
    }

    /// Writes `releases.csv` (header and rows) to `writer`, calling `progress` with the rows written so far.
    public func writeReleases(to writer: inout CSVWriter, progress: ((Int) -> Void)? = nil) throws -> SyntheticSummary {
        var none: CSVWriter?
        return try writeReleases(to: &writer, supervision: &none, progress: progress)
    }

    /// Writes `releases.csv` to `writer` and, when given, the supervision events of its cases (`supervision.csv`,
    /// header and rows) to `supervision`, calling `progress` with the release rows written so far.
    public func writeReleases(
        to writer: inout CSVWriter, supervision: inout CSVWriter?, progress: ((Int) -> Void)? = nil
    ) throws -> SyntheticSummary {
        try writer.write(ImportColumns.releases)
        try supervision?.write(ImportColumns.supervision)
        var list = SyntheticReleaseList(seed: seed, geography: geography, calendar: calendar)
        var events = SyntheticSupervision(seed: seed, calendar: calendar)
        var summary = SyntheticSummary()
        for done in 0..<releaseCases {
            try writer.write(list.nextRow())
            if supervision != nil, let made = list.last {
                for row in events.rows(for: made) { try supervision?.write(row) }
            }
            if (done + 1) % max(1, progressInterval) == 0 { progress?(done + 1) }
        }
        progress?(releaseCases)
        summary.releaseRows = releaseCases
        summary.releaseTypes = list.types
        summary.endings = list.endings
        summary.supervisionEvents = events.events
        summary.supervisionRows = events.events.values.reduce(0, +)
        return summary
    }

    private var geography: SyntheticGeography { SyntheticGeography(seed: seed, provinces: provinces) }
    private var calendar: SyntheticCalendar { SyntheticCalendar(today: today) }
}
