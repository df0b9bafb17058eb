import Foundation

/// What the figures need to know of one wanted case, as it stood at the moment the report looks from.
public struct WantedFacts: Sendable, Equatable {
    /// How and when the case closed.
    public struct Closing: Sendable, Equatable {
        public var kind: ClosingKind
        public var date: LocalDate
        public init(kind: ClosingKind, date: LocalDate) {
            self.kind = kind
            self.date = date
        }
    }

    public var caseID: UUID
    /// The unit that registered the case; the case counts for it whoever makes the capture.
    public var ownerUnit: UnitCode
    /// The date of the case's first decision.
    public var openedOn: LocalDate
    /// The closing, if the case is closed.
    public var closing: Closing?

    public init(caseID: UUID, ownerUnit: UnitCode, openedOn: LocalDate, closing: Closing? = nil) {
        self.caseID = caseID
        self.ownerUnit = ownerUnit
        self.openedOn = openedOn
        self.closing = closing
    }
}

/// What the figures need to know of one release case, as it stood at the moment the report looks from.
public struct ReleaseFacts: Sendable, Equatable {
    /// A change of the responsible unit, effective from a date.
    public struct Responsibility: Sendable, Equatable {
        public var from: LocalDate
        public var unit: UnitCode
        public init(from: LocalDate, unit: UnitCode) {
            self.from = from
            self.unit = unit
        }
    }

    /// How and when the case ended.
    public struct Ending: Sendable, Equatable {
        public var kind: EndingKind
        public var date: LocalDate
        public init(kind: EndingKind, date: LocalDate) {
            self.kind = kind
            self.date = date
        }
    }

    public var caseID: UUID
    public var releaseType: ReleaseType
    public var releasedOn: LocalDate
    /// The unit that first took responsibility, from the release date.
    public var responsibleUnit: UnitCode
    /// Transfers to other units, in effective order (date, then the order they were recorded in).
    public var transfers: [Responsibility]
    /// The ending, if the case has ended.
    public var ending: Ending?

    public init(
        caseID: UUID, releaseType: ReleaseType, releasedOn: LocalDate, responsibleUnit: UnitCode,
        transfers: [Responsibility] = [], ending: Ending? = nil
    ) {
        self.caseID = caseID
        self.releaseType = releaseType
        self.releasedOn = releasedOn
        self.responsibleUnit = responsibleUnit
        self.transfers = transfers
        self.ending = ending
    }

    /// The unit responsible on `date`: the last transfer effective on or before it, else the first unit.
    public func responsibleUnit(on date: LocalDate) -> UnitCode {
        transfers.last(where: { $0.from <= date })?.unit ?? responsibleUnit
    }
}
