import Foundation

/// What names a case for officers: the unit that holds it and its reference there (`79.26734/TN-00012`). A reference
/// is unique per unit and kind of case (a wanted case and a release case may share one).
public struct CaseReference: Sendable, Hashable, CustomStringConvertible {
    /// The unit that holds the case: a wanted case's owner unit, a release case's registering unit.
    public var unit: UnitCode
    /// The case's reference at that unit.
    public var ref: String

    public init(unit: UnitCode, ref: String) {
        self.unit = unit
        self.ref = ref
    }

    /// `UNIT/CASE_REF`.
    public var description: String { "\(unit)/\(ref)" }
}

extension WantedOpening {
    /// The opened case's name.
    public var reference: CaseReference { CaseReference(unit: ownerUnit, ref: caseRef) }
}

extension ReleaseRegistration {
    /// The registered case's name.
    public var reference: CaseReference { CaseReference(unit: unit, ref: caseRef) }
}

extension WantedCase {
    /// The case's name.
    public var reference: CaseReference { CaseReference(unit: ownerUnit, ref: caseRef) }
}

extension ReleaseCase {
    /// The case's name.
    public var reference: CaseReference { registration.reference }
}

extension EventPayload {
    /// The case an opening or a registration creates, named (nil for every other event).
    public var createdCase: (kind: RecordKind, reference: CaseReference, person: UUID)? {
        switch self {
        case .wantedOpened(let opening): return (.wanted, opening.reference, opening.personID)
        case .releaseRegistered(let registration): return (.release, registration.reference, registration.personID)
        default: return nil
        }
    }
}

extension EventKind {
    /// Whether an event of this kind creates its record (a person's registration, a case's opening or registration).
    public var isCreation: Bool { self == .personRegistered || self == .wantedOpened || self == .releaseRegistered }

    /// The name of the field that holds an event's date, as the CSV formats, the command line and the messages call
    /// it.
    public var dateField: String {
        switch self {
        case .wantedOpened, .decisionAdded: return "decision_date"
        case .wantedClosed: return "closing_date"
        case .releaseRegistered: return "released_on"
        case .releaseEnded: return "ending_date"
        default: return "date"
        }
    }
}
