import GRDB

/// The database schema, as named, append-only migrations. A released migration is never edited: a change is a new
/// migration registered after the others.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-event-log") { db in
            try db.execute(sql: eventLog)
        }
        migrator.registerMigration("v1-projections") { db in
            try db.execute(sql: projections)
        }
        migrator.registerMigration("v1-targets") { db in
            try db.execute(sql: targets)
        }
        migrator.registerMigration("v2-sync") { db in
            try db.execute(sql: sync)
        }
        migrator.registerMigration("v3-checks-without-in-lists") { db in
            try rebuildWithoutInLists(db)
        }
        migrator.registerMigration("v4-derived-generation") { db in
            // Counts rebuilds of the derived tables: with the log's last sequence number it names their state (the
            // key of the figures' cache), since a rebuild can change them without a new event (after a fix to a fold).
            try db.execute(
                sql: """
                    CREATE TABLE derived_generation (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL);
                    INSERT INTO derived_generation (id, generation) VALUES (1, 0);
                    """)
        }
        migrator.registerMigration("v5-central-mark") { db in
            // Station: the newest position of the central log this station has seen (`SyncWire.LogMark`). At the
            // next sync the server is asked for the fingerprint at that position; a different one means the central
            // log is not the one the receipts and the cursor were written against.
            try db.execute(
                sql: """
                    CREATE TABLE central_mark (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        sequence INTEGER NOT NULL CHECK (sequence > 0),
                        fingerprint TEXT NOT NULL CHECK (fingerprint <> ''),
                        server TEXT NOT NULL,
                        seen_at TEXT NOT NULL
                    );
                    -- Central server: a random number drawn when each event is stored, part of its position's
                    -- fingerprint, so that an event pushed again after a restore, landing at the same sequence number
                    -- as before, still gives another fingerprint (what was after it may be lost).
                    CREATE TABLE log_nonce (seq INTEGER PRIMARY KEY, nonce INTEGER NOT NULL);
                    """)
        }
        migrator.registerMigration("v6-supervision") { db in
            try supervision(db)
        }
        migrator.registerMigration("v7-pull-horizon") { db in
            // Central server (SPEC §7, issue 14): a station sees other units' wanted cases while open, not those
            // already closed when it first pulled. `closing_event` is the event that closed a case (for the
            // sequence number it was stored at); `pull_horizon` the head of the log at each station unit's first
            // pull. Rows of cases closed before this migration get the last live closing or withdrawal of their
            // record (what the fold takes, but for two units' conflicting closings, where the later stored one is
            // taken: the case then counts as closed later, so it is sent rather than withheld).
            try db.execute(
                sql: """
                    ALTER TABLE wanted_case ADD COLUMN closing_event TEXT
                        CHECK (closing_event IS NULL OR length(closing_event) = 36);
                    UPDATE wanted_case SET closing_event = (
                        SELECT e.id FROM event e
                        WHERE e.record_id = wanted_case.id AND (e.kind = 'wanted_closed' OR e.kind = 'decision_withdrawn')
                        AND NOT EXISTS (
                            SELECT 1 FROM event r WHERE r.record_id = e.record_id AND r.kind = 'retracted'
                            AND json_extract(r.data, '$.event_id') = e.id)
                        ORDER BY e.seq DESC LIMIT 1)
                    WHERE closing_kind IS NOT NULL;
                    CREATE TABLE pull_horizon (
                        unit TEXT PRIMARY KEY,
                        sequence INTEGER NOT NULL CHECK (sequence >= 0),
                        set_at TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v8-retraction-target") { db in
            // The retractions by the event they retract: a station's outbox asks, for each rejected event, whether
            // it was retracted here (`StationState.settledLocally`), which without this index read every event of
            // the log for each of them, at every sync (2,003 rejected events in a ward of 30,000 events: seconds of
            // CPU each time). Partial: only retractions are in it.
            try db.execute(
                sql: """
                    CREATE INDEX \(EventTable.tableName)_by_retraction_target
                        ON \(EventTable.tableName)(\(Self.retractionTarget()))
                        WHERE \(EventTable.kind) = 'retracted'
                    """)
        }
        // Immediate foreign-key checks: nothing changes, so the whole-file `foreign_key_check` GRDB runs after a
        // migration with deferred checks (14 s on a 2.4 GB registry) would find nothing new.
        migrator.registerMigration("v9-nonce-per-write", foreignKeyChecks: .immediate) { _ in
            // Nothing to change: from this version on the central server writes one `log_nonce` row per write, at its
            // first sequence number (`Registry.store`), and reads an event's number as the row at or before it. An
            // older dragnet reads only a row at the event's own number, so it would give every event after the first
            // of a write another fingerprint and every station would offer everything again: this migration's name
            // makes it refuse the file (`hasBeenSuperseded`) instead.
        }
        migrator.registerMigration("v10-pull-horizon-arrivals") { db in
            // 1: the unit's horizon was set by the first pull of a new station (`first=1`), which is also not sent
            // other units' cases that reached the central already closed (`Visibility`, docs/protocol.md). 0 for the
            // horizons set before, which keep the rule they were set under.
            try db.execute(
                sql: """
                    ALTER TABLE \(PullHorizonTable.tableName)
                        ADD COLUMN \(PullHorizonTable.arrivals) INTEGER NOT NULL DEFAULT 0 CHECK (arrivals IN (0, 1))
                    """)
        }
        migrator.registerMigration("v11-receipt-sequence") { db in
            // Station: the server sequence number a `created` answer gave the event (NULL before this version and
            // from an older server). A pull names the runs of them after its cursor (`held`), and the server does not
            // send those events back (`StationState.heldRuns`, docs/protocol.md).
            try db.execute(
                sql: """
                    ALTER TABLE \(PushReceiptTable.tableName) ADD COLUMN \(PushReceiptTable.sequence) INTEGER
                        CHECK (sequence IS NULL OR sequence >= 1);
                    CREATE INDEX push_receipt_by_sequence
                        ON \(PushReceiptTable.tableName)(\(PushReceiptTable.server), \(PushReceiptTable.sequence))
                        WHERE \(PushReceiptTable.sequence) IS NOT NULL;
                    """)
        }
        return migrator
    }

    /// SPEC §10: the supervision events (new kinds in the log's CHECK), the release case a wanted case arose from, the
    /// supervision events of each release case as the figures read them (`release_case.supervision`), and the contact
    /// intervals per scope.
    private static func supervision(_ db: Database) throws {
        // The log's CHECK on `kind` lists the kinds known when the table was made: a database made before this
        // version lists none of the supervision kinds, one made from scratch by this version lists them all already
        // (the earlier migrations spell the list from `EventKind`), and only the first is rebuilt.
        let eventSQL = try String.fetchOne(
            db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'event'")
        if let eventSQL, !EventKind.allCases.allSatisfy({ eventSQL.contains("'\($0.rawValue)'") }) {
            let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'event'")
            try rebuild(eventTable, in: db)
            if let sequence {
                try db.execute(
                    sql: "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'event'", arguments: [sequence])
            }
        }
        try db.execute(
            sql: """
                ALTER TABLE wanted_case ADD COLUMN release_case TEXT CHECK (release_case IS NULL OR length(release_case) = 36);
                CREATE INDEX wanted_by_release ON wanted_case(release_case) WHERE release_case IS NOT NULL;
                -- Derived: the supervision events of each release case that decide what is due, in fold order, packed in
                -- one column (`SupervisionMark.packed`: `YYYY-MM-DD` and a letter each, r reported in, c contact,
                -- u whereabouts unknown, l located): the figures read it with the case, without a row per event.
                ALTER TABLE release_case ADD COLUMN supervision TEXT NOT NULL DEFAULT ''
                    CHECK (length(supervision) % 11 = 0);
                -- How often a released person must be checked on, set for a scope like the targets (SPEC §10): the
                -- most specific scope covering the responsible unit wins, else 31 days on probation and 92 otherwise.
                CREATE TABLE contact_interval (
                    scope TEXT PRIMARY KEY,
                    probation_days INTEGER NOT NULL CHECK (probation_days BETWEEN 1 AND 366),
                    other_days INTEGER NOT NULL CHECK (other_days BETWEEN 1 AND 366)
                );
                """)
    }

    private static func list<T: CaseIterable & RawRepresentable>(_ type: T.Type) -> String where T.RawValue == String {
        type.allCases.map { "'\($0.rawValue)'" }.joined(separator: ",")
    }

    /// `column = 'a' OR column = 'b' OR …` over a closed set. SQLite checks `column IN ('a', 'b', 'c')` with three or
    /// more values by building a temporary index for every statement that runs the check: a single-row INSERT into
    /// the event table paid about a third of its time for it. The OR chain means the same (NULL passes both).
    private static func oneOf<T: CaseIterable & RawRepresentable>(_ column: String, _ type: T.Type) -> String
    where T.RawValue == String {
        "(" + type.allCases.map { "\(column) = '\($0.rawValue)'" }.joined(separator: " OR ") + ")"
    }

    /// The id of the event a retraction retracts, as `event_by_retraction_target` indexes it; a query finds a
    /// retraction through the index with this very expression compared with an operand of no affinity (`+e.id`: a
    /// column's TEXT affinity on the other side keeps SQLite from using an index on an expression).
    static func retractionTarget(of alias: String? = nil) -> String {
        "lower(json_extract(\(alias.map { "\($0)." } ?? "")\(EventTable.data), '$.event_id'))"
    }

    static let dateCheck = "GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'"

    static var eventLog: String {
        """
        CREATE TABLE station (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            unit TEXT NOT NULL CHECK (unit <> '' AND unit NOT GLOB '*[^A-Za-z0-9_.-]*'),
            role TEXT NOT NULL CHECK (role IN ('station', 'central')),
            created_at TEXT NOT NULL
        );
        -- The source of truth. Rows are only ever inserted: the triggers below refuse UPDATE and DELETE.
        CREATE TABLE event (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
            record_id TEXT NOT NULL CHECK (length(record_id) = 36),
            record_kind TEXT NOT NULL CHECK (record_kind IN (\(list(RecordKind.self)))),
            kind TEXT NOT NULL CHECK (kind IN (\(list(EventKind.self)))),
            effective_date TEXT NOT NULL CHECK (effective_date \(dateCheck)),
            recorded_at TEXT NOT NULL CHECK (length(recorded_at) = 24),
            unit TEXT NOT NULL CHECK (unit <> ''),
            author TEXT NOT NULL CHECK (author <> ''),
            data TEXT NOT NULL CHECK (json_valid(data)),
            origin TEXT NOT NULL CHECK (origin IN ('local', 'remote'))
        );
        CREATE INDEX event_by_record ON event(record_id);
        CREATE INDEX event_by_recorded_at ON event(recorded_at);
        CREATE TRIGGER event_no_update BEFORE UPDATE ON event
            BEGIN SELECT RAISE(ABORT, 'events are append-only: record a retraction instead'); END;
        CREATE TRIGGER event_no_delete BEFORE DELETE ON event
            BEGIN SELECT RAISE(ABORT, 'events are append-only: record a retraction instead'); END;
        """
    }

    static var projections: String {
        """
        -- Everything below is derived from the event log and can be rebuilt from it (`dragnet rebuild`).
        CREATE TABLE person (
            id TEXT PRIMARY KEY,
            full_name TEXT NOT NULL CHECK (full_name <> ''),
            search_key TEXT NOT NULL,
            alias_keys TEXT NOT NULL,
            birth_date TEXT CHECK (birth_date IS NULL OR length(birth_date) IN (4, 10)),
            sex TEXT CHECK (sex IN ('M', 'F')),
            national_id TEXT CHECK (national_id IS NULL
                OR (length(national_id) IN (9, 12) AND national_id NOT GLOB '*[^0-9]*')),
            aliases TEXT NOT NULL CHECK (json_valid(aliases))
        );
        CREATE INDEX person_by_national_id ON person(national_id) WHERE national_id IS NOT NULL;
        CREATE TABLE wanted_case (
            id TEXT PRIMARY KEY,
            person_id TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
            case_ref TEXT NOT NULL CHECK (case_ref <> ''),
            owner_unit TEXT NOT NULL,
            opened_on TEXT NOT NULL CHECK (opened_on \(dateCheck)),
            danger TEXT NOT NULL CHECK (danger IN (\(list(DangerClass.self)))),
            abroad INTEGER NOT NULL CHECK (abroad IN (0, 1)),
            closing_kind TEXT CHECK (closing_kind IN (\(list(ClosingKind.self)))),
            closing_date TEXT CHECK (closing_date \(dateCheck)),
            closed_by TEXT,
            CHECK ((closing_kind IS NULL) = (closing_date IS NULL) AND (closing_kind IS NULL) = (closed_by IS NULL)),
            CHECK (closing_date IS NULL OR closing_date >= opened_on),
            UNIQUE (owner_unit, case_ref)
        );
        CREATE INDEX wanted_by_person ON wanted_case(person_id);
        CREATE TABLE wanted_decision (
            case_id TEXT NOT NULL REFERENCES wanted_case(id) ON DELETE CASCADE,
            number TEXT NOT NULL CHECK (number <> ''),
            date TEXT NOT NULL CHECK (date \(dateCheck)),
            issued_by TEXT NOT NULL,
            offense TEXT NOT NULL,
            withdrawn_on TEXT CHECK (withdrawn_on IS NULL OR withdrawn_on >= date),
            PRIMARY KEY (case_id, number)
        ) WITHOUT ROWID;
        CREATE TABLE release_case (
            id TEXT PRIMARY KEY,
            person_id TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
            case_ref TEXT NOT NULL CHECK (case_ref <> ''),
            unit TEXT NOT NULL,
            responsible_unit TEXT NOT NULL,
            release_type TEXT NOT NULL CHECK (release_type IN (\(list(ReleaseType.self)))),
            released_on TEXT NOT NULL CHECK (released_on \(dateCheck)),
            facility TEXT NOT NULL,
            offense TEXT NOT NULL,
            probation_until TEXT CHECK (probation_until IS NULL OR probation_until > released_on),
            ending_kind TEXT CHECK (ending_kind IN (\(list(EndingKind.self)))),
            ending_date TEXT,
            ending_offense TEXT,
            ending_reference TEXT,
            CHECK ((release_type = 'early_release') = (probation_until IS NOT NULL)),
            CHECK ((ending_kind IS NULL) = (ending_date IS NULL)),
            CHECK (ending_date IS NULL OR ending_date >= released_on),
            CHECK (ending_kind IS NOT 'revoked' OR (release_type = 'early_release' AND ending_date <= probation_until)),
            UNIQUE (unit, case_ref)
        );
        CREATE INDEX release_by_person ON release_case(person_id);
        CREATE TABLE release_transfer (
            case_id TEXT NOT NULL REFERENCES release_case(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            date TEXT NOT NULL CHECK (date \(dateCheck)),
            to_unit TEXT NOT NULL,
            PRIMARY KEY (case_id, position)
        ) WITHOUT ROWID;
        -- What folding each record found wrong in the log as it stands: conflicts between units, repeats, and events
        -- that became invalid once another unit's events arrived. Listed by `dragnet conflicts`.
        CREATE TABLE anomaly (
            record_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            other_event_id TEXT,
            severity TEXT NOT NULL CHECK (severity IN ('invalid', 'conflict', 'repeated')),
            record TEXT NOT NULL,
            field TEXT NOT NULL,
            value TEXT NOT NULL,
            message TEXT NOT NULL
        );
        CREATE INDEX anomaly_by_record ON anomaly(record_id);
        """
    }

    static var targets: String {
        """
        -- Plan targets set for a scope; a unit takes the targets of the most specific scope that covers it.
        CREATE TABLE target (
            scope TEXT PRIMARY KEY,
            existing_capture REAL NOT NULL CHECK (existing_capture BETWEEN 0 AND 1),
            new_capture REAL NOT NULL CHECK (new_capture BETWEEN 0 AND 1),
            reoffending REAL NOT NULL CHECK (reoffending BETWEEN 0 AND 1)
        );
        """
    }

    static var sync: String {
        """
        -- Central server: access tokens, stored only as SHA-256 hashes.
        CREATE TABLE token (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
            unit TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('station', 'hq')),
            label TEXT NOT NULL,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        );
        -- Central server: which units a release case is or was the responsibility of (only ever grows), and which
        -- cases refer to which person. Pull reads them to decide what a station may see.
        CREATE TABLE release_visibility (
            case_id TEXT NOT NULL,
            unit TEXT NOT NULL,
            PRIMARY KEY (case_id, unit)
        ) WITHOUT ROWID;
        CREATE TABLE person_link (
            person_id TEXT NOT NULL,
            case_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('wanted', 'release')),
            PRIMARY KEY (person_id, case_id)
        ) WITHOUT ROWID;
        CREATE INDEX person_link_by_case ON person_link(case_id);
        -- Station: the pull cursor per server, and what the server said of each pushed event.
        CREATE TABLE sync_cursor (
            server TEXT PRIMARY KEY,
            cursor INTEGER NOT NULL CHECK (cursor >= 0),
            pulled_at TEXT NOT NULL
        );
        CREATE TABLE push_receipt (
            event_id TEXT PRIMARY KEY,
            status TEXT NOT NULL CHECK (status IN ('created', 'duplicate', 'rejected')),
            reason TEXT,
            server TEXT NOT NULL,
            answered_at TEXT NOT NULL
        ) WITHOUT ROWID;
        """
    }

    /// The event log as a table to rebuild (`rebuild`): its CHECKs as of this version, its indexes and triggers.
    private static var eventTable: (name: String, create: String, after: String) {
        (
            "event",
            """
            CREATE TABLE new_event (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL UNIQUE CHECK (length(id) = 36),
                record_id TEXT NOT NULL CHECK (length(record_id) = 36),
                record_kind TEXT NOT NULL CHECK \(oneOf("record_kind", RecordKind.self)),
                kind TEXT NOT NULL CHECK \(oneOf("kind", EventKind.self)),
                effective_date TEXT NOT NULL CHECK (effective_date \(dateCheck)),
                recorded_at TEXT NOT NULL CHECK (length(recorded_at) = 24),
                unit TEXT NOT NULL CHECK (unit <> ''),
                author TEXT NOT NULL CHECK (author <> ''),
                data TEXT NOT NULL CHECK (json_valid(data)),
                origin TEXT NOT NULL CHECK (origin IN ('local', 'remote'))
            )
            """,
            """
            CREATE INDEX event_by_record ON event(record_id);
            CREATE TRIGGER event_no_update BEFORE UPDATE ON event
                BEGIN SELECT RAISE(ABORT, 'events are append-only: record a retraction instead'); END;
            CREATE TRIGGER event_no_delete BEFORE DELETE ON event
                BEGIN SELECT RAISE(ABORT, 'events are append-only: record a retraction instead'); END;
            """
        )
    }

    /// Changes a table's constraints the way SQLite allows: create the new table, copy the rows, drop the old one,
    /// rename, recreate its indexes and triggers (`after`). Foreign keys are off during migrations and checked at
    /// their end.
    private static func rebuild(_ table: (name: String, create: String, after: String), in db: Database) throws {
        try db.execute(sql: table.create)
        try db.execute(sql: "INSERT INTO new_\(table.name) SELECT * FROM \(table.name)")
        try db.execute(sql: "DROP TABLE \(table.name)")
        try db.execute(sql: "ALTER TABLE new_\(table.name) RENAME TO \(table.name)")
        try db.execute(sql: table.after)
    }

    /// The tables whose CHECKs used `IN` lists of three or more values, rebuilt with `oneOf` (SQLite's way to change
    /// a table's constraints: create the new table, copy the rows, drop the old one, rename, recreate indexes and
    /// triggers). Foreign keys are off during migrations and checked at their end. The event log's index on
    /// `recorded_at` is not made again: no query used it (an "as of" report reads the whole log in record order), and
    /// it cost a fifth of the time to store an event.
    private static func rebuildWithoutInLists(_ db: Database) throws {
        let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'event'")
        let tables: [(name: String, create: String, after: String)] = [
            eventTable,
            (
                "wanted_case",
                """
                CREATE TABLE new_wanted_case (
                    id TEXT PRIMARY KEY,
                    person_id TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
                    case_ref TEXT NOT NULL CHECK (case_ref <> ''),
                    owner_unit TEXT NOT NULL,
                    opened_on TEXT NOT NULL CHECK (opened_on \(dateCheck)),
                    danger TEXT NOT NULL CHECK \(oneOf("danger", DangerClass.self)),
                    abroad INTEGER NOT NULL CHECK (abroad IN (0, 1)),
                    closing_kind TEXT CHECK \(oneOf("closing_kind", ClosingKind.self)),
                    closing_date TEXT CHECK (closing_date \(dateCheck)),
                    closed_by TEXT,
                    CHECK ((closing_kind IS NULL) = (closing_date IS NULL)
                        AND (closing_kind IS NULL) = (closed_by IS NULL)),
                    CHECK (closing_date IS NULL OR closing_date >= opened_on),
                    UNIQUE (owner_unit, case_ref)
                )
                """,
                "CREATE INDEX wanted_by_person ON wanted_case(person_id);"
            ),
            (
                "release_case",
                """
                CREATE TABLE new_release_case (
                    id TEXT PRIMARY KEY,
                    person_id TEXT NOT NULL REFERENCES person(id) DEFERRABLE INITIALLY DEFERRED,
                    case_ref TEXT NOT NULL CHECK (case_ref <> ''),
                    unit TEXT NOT NULL,
                    responsible_unit TEXT NOT NULL,
                    release_type TEXT NOT NULL CHECK \(oneOf("release_type", ReleaseType.self)),
                    released_on TEXT NOT NULL CHECK (released_on \(dateCheck)),
                    facility TEXT NOT NULL,
                    offense TEXT NOT NULL,
                    probation_until TEXT CHECK (probation_until IS NULL OR probation_until > released_on),
                    ending_kind TEXT CHECK \(oneOf("ending_kind", EndingKind.self)),
                    ending_date TEXT,
                    ending_offense TEXT,
                    ending_reference TEXT,
                    CHECK ((release_type = 'early_release') = (probation_until IS NOT NULL)),
                    CHECK ((ending_kind IS NULL) = (ending_date IS NULL)),
                    CHECK (ending_date IS NULL OR ending_date >= released_on),
                    CHECK (ending_kind IS NOT 'revoked'
                        OR (release_type = 'early_release' AND ending_date <= probation_until)),
                    UNIQUE (unit, case_ref)
                )
                """,
                "CREATE INDEX release_by_person ON release_case(person_id);"
            ),
            (
                "anomaly",
                """
                CREATE TABLE new_anomaly (
                    record_id TEXT NOT NULL,
                    event_id TEXT NOT NULL,
                    other_event_id TEXT,
                    severity TEXT NOT NULL CHECK (severity = 'invalid' OR severity = 'conflict'
                        OR severity = 'repeated'),
                    record TEXT NOT NULL,
                    field TEXT NOT NULL,
                    value TEXT NOT NULL,
                    message TEXT NOT NULL
                )
                """,
                "CREATE INDEX anomaly_by_record ON anomaly(record_id);"
            ),
            (
                "push_receipt",
                """
                CREATE TABLE new_push_receipt (
                    event_id TEXT PRIMARY KEY,
                    status TEXT NOT NULL CHECK (status = 'created' OR status = 'duplicate' OR status = 'rejected'),
                    reason TEXT,
                    server TEXT NOT NULL,
                    answered_at TEXT NOT NULL
                ) WITHOUT ROWID
                """,
                ""
            ),
        ]
        for table in tables {
            try rebuild(table, in: db)
        }
        // The log's sequence numbers go on from where they were: the central server's pull cursors count on them.
        if let sequence {
            try db.execute(
                sql: "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'event'", arguments: [sequence])
        }
    }
}
