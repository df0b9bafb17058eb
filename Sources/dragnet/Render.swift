import DragnetCore
import Foundation

/// Plain-text renderings of records for officers.
enum Render {
    /// Rows as left-aligned columns separated by two spaces (widths counted in characters, so Vietnamese text
    /// lines up).
    static func columns(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { i in
            rows.map { i < $0.count ? $0[i].count : 0 }.max() ?? 0
        }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func personLine(_ person: Person) -> String {
        let d = person.details
        var parts = [d.fullName]
        if let birth = d.birthDate { parts.append("born \(birth)") }
        if let sex = d.sex { parts.append(sex.rawValue) }
        if let nid = d.nationalID { parts.append("national id \(nid)") }
        return parts.joined(separator: ", ") + "  [\(person.id.uuidString.lowercased())]"
    }

    static func wanted(_ c: WantedCase, person: Person?, linkedLabel: ((UUID) -> String?)? = nil) {
        print("wanted case \(c.label)  [\(c.id.uuidString.lowercased())]")
        if let person { print("  person:   " + personLine(person)) }
        print("  opened:   \(c.openedOn)   danger: \(c.danger.rawValue)\(c.abroad ? "   believed abroad" : "")")
        for d in c.decisions {
            let withdrawn = d.withdrawnOn.map { "  (withdrawn \($0))" } ?? ""
            print(
                "  decision: \(d.decision.number) of \(d.date), \(d.decision.offense)"
                    + (d.decision.issuedBy.isEmpty ? "" : ", issued by \(d.decision.issuedBy)") + withdrawn)
        }
        if let linked = c.releaseCase {
            print("  arose from release case \(linkedLabel?(linked) ?? linked.uuidString.lowercased())")
        }
        if let closing = c.closing {
            print("  closed:   \(closing.date) \(closing.kind.rawValue) by \(closing.actingUnit)")
        } else {
            print("  status:   open")
        }
    }

    static func release(_ c: ReleaseCase, person: Person?, arising: [String] = []) {
        let r = c.registration
        print("release case \(c.label)  [\(c.id.uuidString.lowercased())]")
        if let person { print("  person:   " + personLine(person)) }
        print("  released: \(c.releasedOn) \(r.releaseType.rawValue) from \(r.facility), offence \(r.offense)")
        if let until = r.probationUntil { print("  probation until \(until)") }
        print("  responsible unit: \(c.responsibleUnit)")
        for t in c.transfers { print("  transferred to \(t.toUnit) from \(t.date)") }
        if let officer = c.officer { print("  officer:  \(officer)") }
        if let reported = c.supervision.last(where: { $0.mark == .reportedIn }) {
            print("  reported in: \(reported.date)")
        }
        if let contact = c.supervision.last(where: { $0.mark == .contact }) {
            print("  last contact: \(contact.date) \(contact.contactKind?.rawValue ?? "")")
        }
        if let since = c.missingSince { print("  whereabouts unknown since \(since)") }
        for wanted in arising { print("  wanted case arising from it: \(wanted)") }
        if let e = c.ending {
            var line = "  ended:    \(e.date) \(e.kind.rawValue)"
            if let offense = e.offense { line += ", new offence \(offense)" }
            if let reference = e.reference { line += ", ref \(reference)" }
            print(line)
        } else {
            print("  status:   open")
        }
    }

    /// The full history: every event, who recorded it, when, and what undid it.
    static func history(_ entries: [HistoryEntry]) {
        print("  history (effective date, recorded at, unit, author, event):")
        for entry in entries {
            let e = entry.event
            let undone = entry.retractedBy.map { "   [RETRACTED by \($0.id.uuidString.lowercased())]" } ?? ""
            print("    \(e.effectiveDate)  \(e.recordedAt)  \(e.unit)  \(e.author)  \(describe(e.payload))\(undone)")
            print("        event \(e.id.uuidString.lowercased())")
        }
    }

    static func describe(_ payload: EventPayload) -> String {
        switch payload {
        case .personRegistered(let d): return "person registered: \(d.fullName)"
        case .personAmended(let d): return "person amended: \(d.fullName), born \(d.birthDate?.description ?? "?")"
        case .wantedOpened(let o):
            return "case opened by decision \(o.decision.number) (\(o.decision.offense)), danger \(o.danger.rawValue)"
        case .decisionAdded(let d): return "decision \(d.number) attached (\(d.offense))"
        case .decisionWithdrawn(let number, let reason): return "decision \(number) withdrawn: \(reason)"
        case .wantedAmended(let danger, let abroad): return "danger \(danger.rawValue), abroad \(abroad)"
        case .wantedClosed(let kind, let unit): return "closed: \(kind.rawValue) by \(unit)"
        case .releaseRegistered(let r): return "release registered: \(r.releaseType.rawValue) from \(r.facility)"
        case .transferred(let unit): return "transferred to \(unit)"
        case .releaseEnded(let kind, let offense, let reference):
            return "ended: \(kind.rawValue)" + (offense.map { ", offence \($0)" } ?? "")
                + (reference.map { ", ref \($0)" } ?? "")
        case .reportedIn: return "reported in"
        case .officerAssigned(let officer): return "officer assigned: \(officer)"
        case .contact(let kind, let note): return "contact: \(kind.rawValue)" + (note.map { ", \($0)" } ?? "")
        case .whereaboutsUnknown(let note): return "whereabouts unknown" + (note.map { ": \($0)" } ?? "")
        case .located: return "located"
        case .retracted(let id, let reason): return "retracted \(id.uuidString.lowercased()): \(reason)"
        }
    }
}
