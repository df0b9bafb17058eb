// The tables of the schema, in the order the migrations create them (see `SchemaTable`).

// MARK: The station and the event log

/// Table `station`: the one row saying whose database this is.
enum StationTable: String, SchemaTable {
    static let tableName = "station"
    case id, unit, role
    case createdAt = "created_at"
}

/// Table `event`: the event log, append-only.
enum EventTable: String, SchemaTable {
    static let tableName = "event"
    case seq, id
    case recordID = "record_id"
    case recordKind = "record_kind"
    case kind
    case effectiveDate = "effective_date"
    case recordedAt = "recorded_at"
    case unit, author, data, origin
}

// MARK: Projections

/// Table `person`: each person's current details.
enum PersonTable: String, SchemaTable {
    static let tableName = "person"
    case id
    case fullName = "full_name"
    case searchKey = "search_key"
    case aliasKeys = "alias_keys"
    case birthDate = "birth_date"
    case sex
    case nationalID = "national_id"
    case aliases
}

/// Table `wanted_case`: each wanted case as its events leave it.
enum WantedCaseTable: String, SchemaTable {
    static let tableName = "wanted_case"
    case id
    case personID = "person_id"
    case caseRef = "case_ref"
    case ownerUnit = "owner_unit"
    case openedOn = "opened_on"
    case danger, abroad
    case closingKind = "closing_kind"
    case closingDate = "closing_date"
    case closedBy = "closed_by"
    case releaseCase = "release_case"
    case closingEvent = "closing_event"
}

/// Table `wanted_decision`: the decisions of each wanted case.
enum WantedDecisionTable: String, SchemaTable {
    static let tableName = "wanted_decision"
    case caseID = "case_id"
    case number, date
    case issuedBy = "issued_by"
    case offense
    case withdrawnOn = "withdrawn_on"
}

/// Table `release_case`: each release case as its events leave it.
enum ReleaseCaseTable: String, SchemaTable {
    static let tableName = "release_case"
    case id
    case personID = "person_id"
    case caseRef = "case_ref"
    case unit
    case responsibleUnit = "responsible_unit"
    case releaseType = "release_type"
    case releasedOn = "released_on"
    case facility, offense
    case probationUntil = "probation_until"
    case endingKind = "ending_kind"
    case endingDate = "ending_date"
    case endingOffense = "ending_offense"
    case endingReference = "ending_reference"
    case supervision
}

/// Table `pull_horizon` (central server): the head of the log when a station unit first pulled.
enum PullHorizonTable: String, SchemaTable {
    static let tableName = "pull_horizon"
    case unit, sequence
    case setAt = "set_at"
    case arrivals
}

/// Table `contact_interval`: the contact intervals set per scope (SPEC §10).
enum ContactIntervalTable: String, SchemaTable {
    static let tableName = "contact_interval"
    case scope
    case probationDays = "probation_days"
    case otherDays = "other_days"
}

/// Table `release_transfer`: the transfers of each release case, in order.
enum ReleaseTransferTable: String, SchemaTable {
    static let tableName = "release_transfer"
    case caseID = "case_id"
    case position, date
    case toUnit = "to_unit"
}

/// Table `anomaly`: what folding each record found wrong in the log as it stands.
enum AnomalyTable: String, SchemaTable {
    static let tableName = "anomaly"
    case recordID = "record_id"
    case eventID = "event_id"
    case otherEventID = "other_event_id"
    case severity, record, field, value, message
}

// MARK: Targets

/// Table `target`: the plan targets set for a scope.
enum TargetTable: String, SchemaTable {
    static let tableName = "target"
    case scope
    case existingCapture = "existing_capture"
    case newCapture = "new_capture"
    case reoffending
}

// MARK: Sync

/// Table `token` (central server): access tokens, as SHA-256 hashes.
enum TokenTable: String, SchemaTable {
    static let tableName = "token"
    case id, hash, unit, role, label
    case createdAt = "created_at"
    case revokedAt = "revoked_at"
}

/// Table `release_visibility`: which units a release case is or was the responsibility of.
enum ReleaseVisibilityTable: String, SchemaTable {
    static let tableName = "release_visibility"
    case caseID = "case_id"
    case unit
}

/// Table `person_link`: which cases name which person.
enum PersonLinkTable: String, SchemaTable {
    static let tableName = "person_link"
    case personID = "person_id"
    case caseID = "case_id"
    case kind
}

/// Table `sync_cursor` (station): the pull cursor per server.
enum SyncCursorTable: String, SchemaTable {
    static let tableName = "sync_cursor"
    case server, cursor
    case pulledAt = "pulled_at"
}

/// Table `push_receipt` (station): what the server said of each pushed event.
enum PushReceiptTable: String, SchemaTable {
    static let tableName = "push_receipt"
    case eventID = "event_id"
    case status, reason, server
    case answeredAt = "answered_at"
    case sequence
}

// MARK: Later migrations

/// Table `derived_generation`: how many times the derived tables were rebuilt.
enum DerivedGenerationTable: String, SchemaTable {
    static let tableName = "derived_generation"
    case id, generation
}

/// Table `central_mark` (station): the newest position of the central log seen.
enum CentralMarkTable: String, SchemaTable {
    static let tableName = "central_mark"
    case id, sequence, fingerprint, server
    case seenAt = "seen_at"
}

/// Table `log_nonce` (central server): the random number drawn when events were stored. One row for each run of events
/// stored together, at the run's first sequence number (one row per event in files written before session 14); an
/// event's number is that of the row at or before its sequence number, and events stored before the table existed
/// have none.
enum LogNonceTable: String, SchemaTable {
    static let tableName = "log_nonce"
    case seq, nonce
}
