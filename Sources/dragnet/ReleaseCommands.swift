import ArgumentParser
import DragnetCore
import Foundation

struct ReleaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract:
            "Release cases: register, supervise (report-in, assign, contact, missing, located), transfer, end.",
        subcommands: [
            Add.self, ReportIn.self, Assign.self, Contact.self, Missing.self, Located.self, Transfer.self,
            Reoffend.self, End.self, Show.self, List.self,
        ])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Register a released person's case.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var author: AuthorOptions
        @Option(help: "The case reference.") var ref: String
        @Option(help: "The responsible unit (default: this station's unit).") var unit: UnitCode?
        @OptionGroup var person: PersonOptions
        @Option(name: .customLong("type"), help: "amnesty, early_release or sentence_completed.") var type: ReleaseType
        @Option(name: .customLong("released-on"), help: "The release date, YYYY-MM-DD.") var releasedOn: LocalDate
        @Option(help: "The releasing facility.") var facility = ""
        @Option(help: "The offence served for.") var offense = ""
        @Option(name: .customLong("probation-until"), help: "End of probation (early_release only).")
        var probationUntil: LocalDate?

        func run() throws {
            let registry = try database.open()
            var factory = author.factory(for: registry)
            let created = try registry.registerRelease(
                person: try person.choice, caseRef: ref, unit: unit ?? registry.unit, type: type,
                releasedOn: releasedOn, facility: facility, offense: offense, probationUntil: probationUntil,
                factory: &factory)
            Render.release(created, person: try? registry.records.person(created.registration.personID))
        }
    }

    struct ReportIn: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report-in",
            abstract: "Record that the released person presented themselves to the responsible unit.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var author: AuthorOptions
        @Argument(help: "The case: its id or UNIT/CASE_REF.") var ref: String
        @Option(help: "The day they reported in, YYYY-MM-DD.") var on: LocalDate

        func run() throws {
            let registry = try database.open()
            var factory = author.factory(for: registry)
            Render.release(try registry.reportIn(ref, on: on, factory: &factory), person: nil)
        }
    }

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "assign",
            abstract: "Record which officer follows the released person from a day.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var author: AuthorOptions
        @Argument(help: "The case: its id or UNIT/CASE_REF.") var ref: String
        @Option(help: "The officer's name.") var officer: String
        @Option(help: "From this day, YYYY-MM-DD.") var on: LocalDate

        func run() throws {
            let registry = try database.open()
            var factory = author.factory(for: registry)
            Render.release(try registry.assignOfficer(ref, officer: officer, on: on, factory: &factory), person: nil)
        }
    }

    struct Contact: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "contact",
            abstract: "Record a check on the released person: in person, a home visit, a phone call or other.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var author: AuthorOptions
        @Argument(help: "The case: its id or UNIT/CASE_REF.") var ref: String
        @Option(help: "The day of the contact, YYYY-MM-DD.") var on: LocalDate
        @Option(help: "in_person, home_visit, phone or other.") var kind: ContactKind
        @Option(help: "What was seen or said (optional).") var note: String?

        func run() throws {
            let registry = try database.open()
            var factory = author.factory(for: registry)
            Render.release(
                try registry.recordContact(ref, kind: kind, note: note, on: on, factory: &factory), person: nil)
        }
    }

    struct Missing: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "missing",
            abstract: "Record that the released person cannot be found (whereabouts unknown).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var author: AuthorOptions
        @Argument(help: "The case: its id or UNIT/CASE_REF.") var ref: String
        @Option(help: "The day they were found missing, YYYY-MM-DD.") var on: LocalDate
        @Option(help: "What is known (optional).") var note: String?

        func run() throws {
            let registry = try database.open()
            var factory = author.factory(for: registry)
            Render.release(try registry.recordMissing(ref, note: note, on: on, factory: &factory), person: nil)
        }
    }

    struct Located: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "located",
            abstract: "Record that a released person whose whereabouts were unknown is found again.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var author: AuthorOptions
        @Argument(help: "The case: its id or UNIT/CASE_REF.") var ref: String
        @Option(help: "The day they were found, YYYY-MM-DD.") var on: LocalDate

        func run() throws {
            let registry = try database.open()
            var factory = author.factory(for: registry)
            Render.release(try registry.recordLocated(ref, on: on, factory: &factory), person: nil)
        }
    }

    struct Transfer: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "transfer", abstract: "Hand a release case to another responsible unit.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var author: AuthorOptions
        @Argument(help: "The case: its id or UNIT/CASE_REF.") var ref: String
        @Option(help: "The new responsible unit.") var to: UnitCode
        @Option(help: "From this date, YYYY-MM-DD.") var on: LocalDate

        func run() throws {
            let registry = try database.open()
            var factory = author.factory(for: registry)
            Render.release(try registry.transferRelease(ref, to: to, on: on, factory: &factory), person: nil)
        }
    }

    struct Reoffend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reoffend",
            abstract: "Record a reoffence: a new offence committed after release.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var author: AuthorOptions
        @Argument(help: "The case: its id or UNIT/CASE_REF.") var ref: String
        @Option(help: "The date of the new offence, YYYY-MM-DD.") var on: LocalDate
        @Option(help: "The new offence.") var offense: String?
        @Option(help: "A case or judgment reference.") var reference: String?

        func run() throws {
            let registry = try database.open()
            var factory = author.factory(for: registry)
            Render.release(
                try registry.endRelease(
                    ref, as: .reoffended, on: on, offense: offense, reference: reference,
                    factory: &factory), person: nil)
        }
    }

    struct End: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "end",
            abstract: "End a release case: reoffended, revoked (early release only), died or expunged.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var author: AuthorOptions
        @Argument(help: "The case: its id or UNIT/CASE_REF.") var ref: String
        @Option(name: .customLong("as"), help: "reoffended, revoked, died or expunged.") var kind: EndingKind
        @Option(help: "The date, YYYY-MM-DD.") var on: LocalDate
        @Option(help: "For a reoffence: the new offence.") var offense: String?
        @Option(help: "For a reoffence: a case or judgment reference.") var reference: String?

        func run() throws {
            let registry = try database.open()
            var factory = author.factory(for: registry)
            Render.release(
                try registry.endRelease(
                    ref, as: kind, on: on, offense: offense, reference: reference,
                    factory: &factory), person: nil)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a release case with its full history.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The case: its id or UNIT/CASE_REF.") var ref: String

        func run() throws {
            let registry = try database.open()
            let found = try registry.records.releaseCase(ref)
            Render.release(
                found, person: try? registry.records.person(found.registration.personID),
                arising: try registry.records.wantedCases(arisingFrom: found.id))
            Render.history(try registry.records.history(of: found.id))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the open release cases a unit (and the units below it) is responsible for.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The unit (default: this station's unit).") var unit: UnitCode?

        func run() throws {
            let registry = try database.open()
            let open = try registry.records.openCases(scope: unit ?? registry.unit).releases
            var rows = [["case", "person", "type", "released", "probation until", "responsible"]]
            for c in open {
                let person = try? registry.records.person(c.registration.personID)
                rows.append([
                    c.label, person?.details.fullName ?? "?", c.registration.releaseType.rawValue,
                    c.releasedOn.description, c.registration.probationUntil?.description ?? "",
                    c.responsibleUnit.rawValue,
                ])
            }
            if !open.isEmpty { print(Render.columns(rows)) }
            print("\(open.count) open release case(s)")
        }
    }
}

struct RetractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retract",
        abstract:
            "Undo a wrong event. The event stays in the log, marked retracted, and the state is computed without it.")
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var author: AuthorOptions
    @Argument(help: "The event's id (shown by `wanted show` / `release show`).") var event: String
    @Option(help: "Why the event was wrong.") var reason: String

    func run() throws {
        guard let id = UUID(uuidString: event) else {
            throw DragnetError(.badInput, "\"\(event)\" is not an event id")
        }
        let registry = try database.open()
        var factory = author.factory(for: registry)
        let retraction = try registry.retract(id, reason: reason, factory: &factory)
        print("retracted \(id.uuidString.lowercased()) (retraction \(retraction.id.uuidString.lowercased()))")
    }
}

struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "List contradictory events from different units (and other anomalies) for a person to resolve.",
        discussion: """
            A conflict keeps both events; the state follows the earlier effective date. Resolve it by retracting \
            the wrong event (dragnet retract EVENT --reason ...).
            """)
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let anomalies = try database.open().records.anomalies()
        if anomalies.isEmpty { print("no conflicts") }
        for a in anomalies {
            print("\(a.severity.rawValue): \(a.sentence)")
            print(
                "    event \(a.eventID.uuidString.lowercased())"
                    + (a.otherEventID.map { ", against \($0.uuidString.lowercased())" } ?? ""))
        }
    }
}
