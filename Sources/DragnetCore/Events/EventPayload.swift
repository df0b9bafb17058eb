import Foundation

/// The kind of an event, as stored and sent over the wire.
public enum EventKind: String, Sendable, Codable, CaseIterable {
    case personRegistered = "person_registered"
    case personAmended = "person_amended"
    case wantedOpened = "wanted_opened"
    case decisionAdded = "decision_added"
    case decisionWithdrawn = "decision_withdrawn"
    case wantedAmended = "wanted_amended"
    case wantedClosed = "wanted_closed"
    case releaseRegistered = "release_registered"
    case transferred
    case releaseEnded = "release_ended"
    case reportedIn = "reported_in"
    case officerAssigned = "officer_assigned"
    case contact
    case whereaboutsUnknown = "whereabouts_unknown"
    case located
    case retracted

    /// The record kind that events of this kind concern; `nil` for retractions, which concern any record.
    public var recordKind: RecordKind? {
        switch self {
        case .personRegistered, .personAmended: return .person
        case .wantedOpened, .decisionAdded, .decisionWithdrawn, .wantedAmended, .wantedClosed: return .wanted
        case .releaseRegistered, .transferred, .releaseEnded, .reportedIn, .officerAssigned, .contact,
            .whereaboutsUnknown, .located:
            return .release
        case .retracted: return nil
        }
    }
}

/// A person's identifying details.
public struct PersonDetails: Sendable, Equatable, Codable {
    /// The full name as written, NFC.
    public var fullName: String
    public var birthDate: BirthDate?
    public var sex: Sex?
    public var nationalID: NationalID?
    public var aliases: [String]

    public init(fullName: String, birthDate: BirthDate?, sex: Sex?, nationalID: NationalID?, aliases: [String] = []) {
        self.fullName = fullName
        self.birthDate = birthDate
        self.sex = sex
        self.nationalID = nationalID
        self.aliases = aliases
    }

    enum CodingKeys: String, CodingKey {
        case fullName = "full_name", birthDate = "birth_date", sex, nationalID = "national_id", aliases
    }
}

extension PersonDetails {
    /// How messages name the person `id` with these details: the full name, or `person ID` while the name is blank
    /// (the rule that refuses a blank name must still name the record it speaks of).
    func label(id: UUID) -> String {
        // Unicode's White_Space is the set `CharacterSet.whitespacesAndNewlines` trims, checked without Foundation
        // (every judged event names its record: this ran for each).
        fullName.unicodeScalars.allSatisfy(\.properties.isWhitespace) ? "person \(id.lowercased)" : fullName
    }
}

/// A wanted decision (*quyết định truy nã*). Its date is the effective date of the event that attaches it.
public struct Decision: Sendable, Equatable, Codable {
    /// The decision's number as written on it, unique within its case.
    public var number: String
    /// The body that issued it.
    public var issuedBy: String
    /// The offence, usually a Criminal Code article ("Điều 173").
    public var offense: String

    public init(number: String, issuedBy: String, offense: String) {
        self.number = number
        self.issuedBy = issuedBy
        self.offense = offense
    }

    enum CodingKeys: String, CodingKey {
        case number, issuedBy = "issued_by", offense
    }
}

/// What opens a wanted case: the person, the owner unit, and the first decision (dated by the event).
public struct WantedOpening: Sendable, Equatable, Codable {
    public var personID: UUID
    public var caseRef: String
    public var ownerUnit: UnitCode
    public var danger: DangerClass
    public var abroad: Bool
    public var decision: Decision
    /// The release case the person was under supervision in when they became wanted (an early-released person who
    /// absconded), when the officer named it: the id of a release case of the same person.
    public var releaseCase: UUID?

    public init(
        personID: UUID, caseRef: String, ownerUnit: UnitCode, danger: DangerClass, abroad: Bool, decision: Decision,
        releaseCase: UUID? = nil
    ) {
        self.personID = personID
        self.caseRef = caseRef
        self.ownerUnit = ownerUnit
        self.danger = danger
        self.abroad = abroad
        self.decision = decision
        self.releaseCase = releaseCase
    }

    enum CodingKeys: String, CodingKey {
        case personID = "person_id", caseRef = "case_ref", ownerUnit = "owner_unit", danger, abroad, decision
        case releaseCase = "release_case"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            personID: try c.decode(UUID.self, forKey: .personID), caseRef: try c.decode(String.self, forKey: .caseRef),
            ownerUnit: try c.decode(UnitCode.self, forKey: .ownerUnit),
            danger: try c.decode(DangerClass.self, forKey: .danger), abroad: try c.decode(Bool.self, forKey: .abroad),
            decision: try c.decode(Decision.self, forKey: .decision),
            releaseCase: try c.decodeIfPresent(UUID.self, forKey: .releaseCase))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lowercased: personID, forKey: .personID)
        try c.encode(caseRef, forKey: .caseRef)
        try c.encode(ownerUnit, forKey: .ownerUnit)
        try c.encode(danger, forKey: .danger)
        try c.encode(abroad, forKey: .abroad)
        try c.encode(decision, forKey: .decision)
        if let releaseCase { try c.encode(lowercased: releaseCase, forKey: .releaseCase) }
    }
}

/// What opens a release case. The release date is the effective date of the event.
public struct ReleaseRegistration: Sendable, Equatable, Codable {
    public var personID: UUID
    public var caseRef: String
    /// The unit that registered the case and first supervises the person; with `caseRef` it names the case.
    public var unit: UnitCode
    public var releaseType: ReleaseType
    public var facility: String
    public var offense: String
    /// The end of the probation period; required for `early_release`, absent otherwise.
    public var probationUntil: LocalDate?

    public init(
        personID: UUID, caseRef: String, unit: UnitCode, releaseType: ReleaseType, facility: String, offense: String,
        probationUntil: LocalDate?
    ) {
        self.personID = personID
        self.caseRef = caseRef
        self.unit = unit
        self.releaseType = releaseType
        self.facility = facility
        self.offense = offense
        self.probationUntil = probationUntil
    }

    enum CodingKeys: String, CodingKey {
        case personID = "person_id", caseRef = "case_ref", unit, releaseType = "release_type", facility, offense
        case probationUntil = "probation_until"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(lowercased: personID, forKey: .personID)
        try c.encode(caseRef, forKey: .caseRef)
        try c.encode(unit, forKey: .unit)
        try c.encode(releaseType, forKey: .releaseType)
        try c.encode(facility, forKey: .facility)
        try c.encode(offense, forKey: .offense)
        try c.encodeIfPresent(probationUntil, forKey: .probationUntil)
    }
}

/// The payload of an event: what changed, by kind.
public enum EventPayload: Sendable, Equatable {
    case personRegistered(PersonDetails)
    /// Replaces the person's details with these (a correction or an alias added).
    case personAmended(PersonDetails)
    case wantedOpened(WantedOpening)
    case decisionAdded(Decision)
    case decisionWithdrawn(number: String, reason: String)
    case wantedAmended(danger: DangerClass, abroad: Bool)
    /// `actingUnit` made the capture (or reported the death); it may be any unit.
    case wantedClosed(kind: ClosingKind, actingUnit: UnitCode)
    case releaseRegistered(ReleaseRegistration)
    case transferred(toUnit: UnitCode)
    /// `offense` and `reference` describe a reoffence (the new offence, a case or judgment reference).
    case releaseEnded(kind: EndingKind, offense: String?, reference: String?)
    /// The released person presented themselves to the responsible unit (SPEC §10).
    case reportedIn
    /// `officer` follows the person from the event's date.
    case officerAssigned(officer: String)
    /// A check on the person.
    case contact(kind: ContactKind, note: String?)
    /// The person cannot be found.
    case whereaboutsUnknown(note: String?)
    /// The person is found again after `whereaboutsUnknown`.
    case located
    case retracted(eventID: UUID, reason: String)

    /// The kind of event this payload makes.
    public var kind: EventKind {
        switch self {
        case .personRegistered: return .personRegistered
        case .personAmended: return .personAmended
        case .wantedOpened: return .wantedOpened
        case .decisionAdded: return .decisionAdded
        case .decisionWithdrawn: return .decisionWithdrawn
        case .wantedAmended: return .wantedAmended
        case .wantedClosed: return .wantedClosed
        case .releaseRegistered: return .releaseRegistered
        case .transferred: return .transferred
        case .releaseEnded: return .releaseEnded
        case .reportedIn: return .reportedIn
        case .officerAssigned: return .officerAssigned
        case .contact: return .contact
        case .whereaboutsUnknown: return .whereaboutsUnknown
        case .located: return .located
        case .retracted: return .retracted
        }
    }

    private enum Keys: String, CodingKey {
        case number, reason, danger, abroad, kind, actingUnit = "acting_unit", toUnit = "to_unit", offense, reference
        case eventID = "event_id", officer, note
    }

    init(kind: EventKind, container decoder: any Decoder) throws {
        switch kind {
        case .personRegistered: self = .personRegistered(try PersonDetails(from: decoder))
        case .personAmended: self = .personAmended(try PersonDetails(from: decoder))
        case .wantedOpened: self = .wantedOpened(try WantedOpening(from: decoder))
        case .decisionAdded: self = .decisionAdded(try Decision(from: decoder))
        case .releaseRegistered: self = .releaseRegistered(try ReleaseRegistration(from: decoder))
        case .decisionWithdrawn:
            let c = try decoder.container(keyedBy: Keys.self)
            self = .decisionWithdrawn(
                number: try c.decode(String.self, forKey: .number), reason: try c.decode(String.self, forKey: .reason))
        case .wantedAmended:
            let c = try decoder.container(keyedBy: Keys.self)
            self = .wantedAmended(
                danger: try c.decode(DangerClass.self, forKey: .danger),
                abroad: try c.decode(Bool.self, forKey: .abroad))
        case .wantedClosed:
            let c = try decoder.container(keyedBy: Keys.self)
            self = .wantedClosed(
                kind: try c.decode(ClosingKind.self, forKey: .kind),
                actingUnit: try c.decode(UnitCode.self, forKey: .actingUnit))
        case .transferred:
            let c = try decoder.container(keyedBy: Keys.self)
            self = .transferred(toUnit: try c.decode(UnitCode.self, forKey: .toUnit))
        case .releaseEnded:
            let c = try decoder.container(keyedBy: Keys.self)
            self = .releaseEnded(
                kind: try c.decode(EndingKind.self, forKey: .kind),
                offense: try c.decodeIfPresent(String.self, forKey: .offense),
                reference: try c.decodeIfPresent(String.self, forKey: .reference))
        case .reportedIn: self = .reportedIn
        case .located: self = .located
        case .officerAssigned:
            let c = try decoder.container(keyedBy: Keys.self)
            self = .officerAssigned(officer: try c.decode(String.self, forKey: .officer))
        case .contact:
            let c = try decoder.container(keyedBy: Keys.self)
            self = .contact(
                kind: try c.decode(ContactKind.self, forKey: .kind),
                note: try c.decodeIfPresent(String.self, forKey: .note))
        case .whereaboutsUnknown:
            let c = try decoder.container(keyedBy: Keys.self)
            self = .whereaboutsUnknown(note: try c.decodeIfPresent(String.self, forKey: .note))
        case .retracted:
            let c = try decoder.container(keyedBy: Keys.self)
            self = .retracted(
                eventID: try c.decode(UUID.self, forKey: .eventID), reason: try c.decode(String.self, forKey: .reason))
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .personRegistered(let details), .personAmended(let details): try details.encode(to: encoder)
        case .wantedOpened(let opening): try opening.encode(to: encoder)
        case .decisionAdded(let decision): try decision.encode(to: encoder)
        case .releaseRegistered(let registration): try registration.encode(to: encoder)
        case .decisionWithdrawn(let number, let reason):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(number, forKey: .number)
            try c.encode(reason, forKey: .reason)
        case .wantedAmended(let danger, let abroad):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(danger, forKey: .danger)
            try c.encode(abroad, forKey: .abroad)
        case .wantedClosed(let kind, let actingUnit):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(kind, forKey: .kind)
            try c.encode(actingUnit, forKey: .actingUnit)
        case .transferred(let toUnit):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(toUnit, forKey: .toUnit)
        case .releaseEnded(let kind, let offense, let reference):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(kind, forKey: .kind)
            try c.encodeIfPresent(offense, forKey: .offense)
            try c.encodeIfPresent(reference, forKey: .reference)
        case .reportedIn, .located:
            _ = encoder.container(keyedBy: Keys.self)
        case .officerAssigned(let officer):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(officer, forKey: .officer)
        case .contact(let kind, let note):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(kind, forKey: .kind)
            try c.encodeIfPresent(note, forKey: .note)
        case .whereaboutsUnknown(let note):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encodeIfPresent(note, forKey: .note)
        case .retracted(let eventID, let reason):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(lowercased: eventID, forKey: .eventID)
            try c.encode(reason, forKey: .reason)
        }
    }
}
