import Foundation
import GRDB

/// One line of an officer's worklist: what is due on a case, named as officers name it.
public struct DueEntry: Sendable, Equatable {
    public var item: DueItem
    /// `UNIT/CASE_REF`.
    public var caseLabel: String
    public var person: String
    /// The unit responsible for the person on the day.
    public var responsibleUnit: UnitCode
}

/// An officer's worklist for a unit on a day (SPEC §10), with the intervals in force for the unit.
public struct Worklist: Sendable, Equatable {
    public var unit: UnitCode
    public var on: LocalDate
    public var intervals: ContactIntervals
    /// Oldest first (`since`), then by case and kind (the first `limit` when one was asked).
    public var entries: [DueEntry]
    /// How many items are due in all (more than `entries` holds when a limit cut the list).
    public var total: Int
    /// How many items of each kind are due in all.
    public var counts: [DueItem.Kind: Int]
}

extension Figures {
    /// The contact intervals set per scope in this database, over the standard ones.
    public func intervalBook() throws -> IntervalBook {
        try registry.read { db in try Figures.intervalBook(db) }
    }

    /// The contact intervals set per scope, read in `db`.
    static func intervalBook(_ db: Database) throws -> IntervalBook {
        do {
            var book = IntervalBook()
            for row in try Row.fetchAll(
                db,
                cached: """
                    SELECT \(ContactIntervalTable.list(.scope, .probationDays, .otherDays))
                    FROM \(ContactIntervalTable.tableName)
                    """)
            {
                guard let scope = UnitCode(scope: row[0] as String) else { continue }
                book.set(try ContactIntervals(probationDays: row[1], otherDays: row[2]), for: scope)
            }
            return book
        }
    }

    /// Sets the contact intervals for a scope (replacing what was set for it), or removes them when nil.
    public func setIntervals(_ intervals: ContactIntervals?, for scope: UnitCode) throws {
        try registry.write { db in
            if let intervals {
                try db.execute(
                    sql: """
                        INSERT INTO \(ContactIntervalTable.tableName)
                            (\(ContactIntervalTable.list(.scope, .probationDays, .otherDays)))
                        VALUES (?, ?, ?)
                        ON CONFLICT (\(ContactIntervalTable.scope)) DO UPDATE SET
                            \(ContactIntervalTable.updatedFromExcluded(.probationDays, .otherDays))
                        """,
                    arguments: [scope.rawValue, intervals.probationDays, intervals.otherDays])
            } else {
                try db.execute(
                    sql: "DELETE FROM \(ContactIntervalTable.tableName) WHERE \(ContactIntervalTable.scope) = ?",
                    arguments: [scope.rawValue])
            }
        }
    }

    /// What is due on `day` on the open release cases that `unit` or a unit below it is responsible for that day,
    /// oldest first; only the first `limit` items named when a limit is given (a province's or the country's list).
    public func worklist(unit: UnitCode, on day: LocalDate, limit: Int? = nil) throws -> Worklist {
        let book = try intervalBook()
        let facts = try currentFacts().facts.releases
        var items: [(DueItem, UnitCode)] = []
        for f in facts where f.isOpen(on: day) {
            let responsible = f.responsibleUnit(on: day)
            guard unit.covers(responsible) else { continue }
            for item in Supervision.due(f, on: day, intervals: book.intervals(for: responsible)) {
                items.append((item, responsible))
            }
        }
        var counts: [DueItem.Kind: Int] = [:]
        for (item, _) in items { counts[item.kind, default: 0] += 1 }
        // Oldest first; cases due since the same day by case id here, by their name once named below.
        items.sort { ($0.0.since, $0.0.caseID.uuidString) < ($1.0.since, $1.0.caseID.uuidString) }
        var kept = items
        if let limit, kept.count > limit {
            // Keep every item due since the last kept day, so that naming the cases cannot change which are shown.
            let lastDay = kept[limit - 1].0.since
            kept = Array(kept.prefix { $0.0.since <= lastDay })
        }
        let names = try registry.read { db in try Self.caseNames(Set(kept.map(\.0.caseID)), in: db) }
        var entries = kept.map { item, responsible in
            DueEntry(
                item: item, caseLabel: names[item.caseID]?.label ?? item.caseID.lowercased,
                person: names[item.caseID]?.person ?? "", responsibleUnit: responsible)
        }
        entries.sort {
            ($0.item.since, $0.caseLabel, $0.item.kind) < ($1.item.since, $1.caseLabel, $1.item.kind)
        }
        if let limit, entries.count > limit { entries.removeLast(entries.count - limit) }
        return Worklist(
            unit: unit, on: day, intervals: book.intervals(for: unit), entries: entries, total: items.count,
            counts: counts)
    }

    /// `UNIT/CASE_REF` and the person's name of each release case in `ids`.
    private static func caseNames(_ ids: Set<UUID>, in db: Database) throws -> [UUID: (label: String, person: String)] {
        var names: [UUID: (label: String, person: String)] = [:]
        for id in ids {
            guard
                let row = try Row.fetchOne(
                    db,
                    cached: """
                        SELECT r.\(ReleaseCaseTable.unit), r.\(ReleaseCaseTable.caseRef), p.\(PersonTable.fullName)
                        FROM \(ReleaseCaseTable.tableName) r
                        LEFT JOIN \(PersonTable.tableName) p ON p.\(PersonTable.id) = r.\(ReleaseCaseTable.personID)
                        WHERE r.\(ReleaseCaseTable.id) = ?
                        """,
                    arguments: [id.lowercased])
            else { continue }
            names[id] = ("\(row[0] as String)/\(row[1] as String)", row[2] ?? "")
        }
        return names
    }
}
