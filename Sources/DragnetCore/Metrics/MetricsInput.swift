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
    /// The person the case concerns (the supervision figures count released persons with a wanted case open).
    public var personID: UUID?

    public init(
        caseID: UUID, ownerUnit: UnitCode, openedOn: LocalDate, closing: Closing? = nil, personID: UUID? = nil
    ) {
        self.caseID = caseID
        self.ownerUnit = ownerUnit
        self.openedOn = openedOn
        self.closing = closing
        self.personID = personID
    }

    /// Whether the case is open on `date`: opened on or before it and not closed by then.
    public func isOpen(on date: LocalDate) -> Bool {
        openedOn <= date && (closing.map { $0.date > date } ?? true)
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
    /// The person the case concerns.
    public var personID: UUID?
    /// The end of the probation period of an early release.
    public var probationUntil: LocalDate?
    /// The supervision events that decide what is due (SPEC §10), in effective order.
    public var marks: [SupervisionMark]

    public init(
        caseID: UUID, releaseType: ReleaseType, releasedOn: LocalDate, responsibleUnit: UnitCode,
        transfers: [Responsibility] = [], ending: Ending? = nil, personID: UUID? = nil,
        probationUntil: LocalDate? = nil, marks: [SupervisionMark] = []
    ) {
        self.caseID = caseID
        self.releaseType = releaseType
        self.releasedOn = releasedOn
        self.responsibleUnit = responsibleUnit
        self.transfers = transfers
        self.ending = ending
        self.personID = personID
        self.probationUntil = probationUntil
        self.marks = marks
    }

    /// The unit responsible on `date`: the last transfer effective on or before it, else the first unit.
    public func responsibleUnit(on date: LocalDate) -> UnitCode {
        transfers.last(where: { $0.from <= date })?.unit ?? responsibleUnit
    }

    /// The day the unit responsible on `date` took the person over: the last transfer effective on or before it,
    /// else the release.
    public func responsibleSince(on date: LocalDate) -> LocalDate {
        transfers.last(where: { $0.from <= date })?.from ?? releasedOn
    }

    /// Whether the case is open on `date`: released on or before it and not ended by then (a case ended on `date`
    /// has nothing due that day).
    public func isOpen(on date: LocalDate) -> Bool {
        releasedOn <= date && (ending.map { $0.date > date } ?? true)
    }
}

/// A supervision event as the figures and the worklist need it: its kind and date.
public struct SupervisionMark: Sendable, Equatable {
    /// The supervision events of SPEC §10.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case reportedIn = "reported_in"
        case officerAssigned = "officer_assigned"
        case contact
        case whereaboutsUnknown = "whereabouts_unknown"
        case located

        /// Whether the worklist and the figures use it (who follows the person does not change what is due).
        public var counts: Bool { self != .officerAssigned }

        /// Its letter in `packed`.
        var letter: UInt8 {
            switch self {
            case .reportedIn: return UInt8(ascii: "r")
            case .officerAssigned: return UInt8(ascii: "o")
            case .contact: return UInt8(ascii: "c")
            case .whereaboutsUnknown: return UInt8(ascii: "u")
            case .located: return UInt8(ascii: "l")
            }
        }
    }

    public var date: LocalDate
    public var kind: Kind

    public init(date: LocalDate, kind: Kind) {
        self.date = date
        self.kind = kind
    }
}

extension SupervisionMark {
    /// Marks packed from `packed`'s UTF-8 bytes; nil when they are not such a text.
    static func unpack(_ bytes: UnsafeBufferPointer<UInt8>) -> [SupervisionMark]? {
        guard bytes.count % 11 == 0 else { return nil }
        var marks: [SupervisionMark] = []
        marks.reserveCapacity(bytes.count / 11)
        var at = 0
        while at < bytes.count {
            func number(_ from: Int, _ count: Int) -> Int? {
                var value = 0
                for i in from..<(from + count) {
                    let digit = Int(bytes[at + i]) - 48
                    guard digit >= 0 && digit <= 9 else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            guard bytes[at + 4] == UInt8(ascii: "-"), bytes[at + 7] == UInt8(ascii: "-"),
                let y = number(0, 4), let m = number(5, 2), let d = number(8, 2),
                let date = LocalDate(year: y, month: m, day: d),
                let kind = Kind.allCases.first(where: { $0.letter == bytes[at + 10] })
            else { return nil }
            marks.append(SupervisionMark(date: date, kind: kind))
            at += 11
        }
        return marks
    }
}

extension [SupervisionMark] {
    /// The marks as one text, 11 characters a mark: the date `YYYY-MM-DD` and the kind's letter (`r` reported in, `o`
    /// officer assigned, `c` contact, `u` whereabouts unknown, `l` located), in order — the column
    /// `release_case.supervision`, read back by `SupervisionMark.unpack`.
    var packed: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 11)
        for mark in self {
            bytes.append(contentsOf: mark.date.description.utf8)
            bytes.append(mark.kind.letter)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
