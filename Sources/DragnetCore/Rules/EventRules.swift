import Foundation

/// The rules an event must meet on its own, before it is compared with any other event of its record.
/// Stations, import and the server all call this; it is the one place these rules live.
public enum EventRules {
    /// Every way `event` breaks a rule by itself. `label` names the record in the messages.
    public static func check(_ event: Event, label: String) -> [Anomaly] {
        var found: [Anomaly] = []
        func fail(_ field: String, _ value: String, _ message: String) {
            found.append(
                Anomaly(.invalid, event: event.id, record: label, field: field, value: value, message: message))
        }
        let latest = event.recordedAt.date.adding(days: 1)
        if event.effectiveDate > latest {
            fail(
                event.kind.dateField, event.effectiveDate.description,
                "is later than the day it was recorded (\(event.recordedAt.date)); dates in the future are refused")
        }
        if let expected = event.kind.recordKind, expected != event.recordKind {
            fail(
                "record_kind", event.recordKind.rawValue,
                "a \(event.kind.rawValue) event concerns a \(expected.rawValue)")
        }
        if isBlank(event.author) {
            fail("author", event.author, "every event names the person who recorded it")
        }
        switch event.payload {
        case .personRegistered(let details), .personAmended(let details):
            if isBlank(details.fullName) {
                fail("full_name", details.fullName, "a person needs a name")
            }
            if let birth = details.birthDate, birth.earliestDay > latest {
                fail("birth_date", birth.description, "is in the future")
            }
        case .wantedOpened(let opening):
            checkRef(opening.caseRef, fail)
            if isBlank(opening.decision.number) {
                fail("decision_no", opening.decision.number, "a wanted decision needs its number")
            }
        case .decisionAdded(let decision):
            if isBlank(decision.number) {
                fail("decision_no", decision.number, "a wanted decision needs its number")
            }
        case .releaseRegistered(let registration):
            checkRef(registration.caseRef, fail)
            if registration.releaseType == .earlyRelease {
                if let until = registration.probationUntil {
                    if until <= event.effectiveDate {
                        fail(
                            "probation_until", until.description,
                            "must be after the release date \(event.effectiveDate)")
                    }
                } else {
                    fail("probation_until", "", "an early release needs the end of its probation period")
                }
            } else if let until = registration.probationUntil {
                fail(
                    "probation_until", until.description,
                    "only an early release has a probation period; leave it blank for \(registration.releaseType.rawValue)"
                )
            }
        case .retracted(_, let reason), .decisionWithdrawn(_, let reason):
            if isBlank(reason) {
                fail("reason", reason, "say why, for the record")
            }
        case .officerAssigned(let officer):
            if isBlank(officer) {
                fail("officer", officer, "an assignment names the officer who follows the person")
            }
        case .wantedAmended, .wantedClosed, .transferred, .releaseEnded, .reportedIn, .contact, .whereaboutsUnknown,
            .located:
            break
        }
        return found
    }

    /// Whether `scalar` is what `CharacterSet.whitespaces` holds: a space separator or a tab.
    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
    }

    /// Whether `text` is empty once `CharacterSet.whitespaces` is trimmed from it (checked without Foundation).
    private static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(isSpace)
    }

    private static func checkRef(_ ref: String, _ fail: (String, String, String) -> Void) {
        let scalars = ref.unicodeScalars
        if isBlank(ref) || scalars.first.map(isSpace) == true || scalars.last.map(isSpace) == true {
            fail("case_ref", ref, "a case reference must not be blank or start or end with a space")
        } else if ref.contains(where: { $0.isNewline }) {
            fail("case_ref", ref, "a case reference must be on one line")
        }
    }
}
