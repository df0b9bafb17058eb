import ArgumentParser
import DragnetCore
import Foundation

struct WantedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wanted", abstract: "Wanted cases: register, attach decisions, close, show, list.",
        subcommands: [Add.self, Decide.self, Withdraw.self, Close.self, Amend.self, Show.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Register a wanted case with its first decision (and the person, when new).")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var author: AuthorOptions
        @Option(help: "The case reference, e.g. TN-00012.") var ref: String
        @Option(help: "The owner unit (default: this station's unit).") var unit: UnitCode?
        @OptionGroup var person: PersonOptions
        @Option(help: "The wanted decision's number.") var decision: String
        @Option(name: .customLong("decision-date"), help: "The decision's date, YYYY-MM-DD.") var decisionDate:
            LocalDate
        @Option(name: .customLong("issued-by"), help: "The body that issued the decision.") var issuedBy = ""
        @Option(help: "The offence, e.g. \"Điều 173\".") var offense = ""
        @Option(help: "especially_dangerous, dangerous or ordinary.") var danger: DangerClass = .ordinary
        @Flag(help: "The person is believed to be abroad.") var abroad = false
        @Option(
            help: """
                The release case (id or UNIT/CASE_REF) of the same person this case arises from: a released person \
                who absconded.
                """)
        var release: String?

        func run() throws {
            let registry = try database.open()
            var factory = author.factory(for: registry)
            let created = try registry.openWanted(
                person: try person.choice, caseRef: ref, ownerUnit: unit ?? registry.unit, danger: danger,
                abroad: abroad, decision: Decision(number: decision, issuedBy: issuedBy, offense: offense),
                decisionDate: decisionDate, releaseCase: release, factory: &factory)
            Render.wanted(
                created, person: try? registry.records.person(created.personID),
                linkedLabel: { try? registry.records.releaseCaseLabel($0) })
        }
    }

    struct Decide: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decide", abstract: "Attach a further decision to an open case.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var author: AuthorOptions
        @Argument(help: "The case: its id or UNIT/CASE_REF.") var ref: String
        @Option(help: "The decision's number.") var decision: String
        @Option(help: "The decision's date, YYYY-MM-DD.") var on: LocalDate
        @Option(name: .customLong("issued-by"), help: "The body that issued the decision.") var issuedBy = ""
        @Option(help: "The offence.") var offense = ""

        func run() throws {
            let registry = try database.open()
            var factory = author.factory(for: registry)
            let updated = try registry.attachDecision(
                ref, decision: Decision(number: decision, issuedBy: issuedBy, offense: offense), date: on,
                factory: &factory)
            Render.wanted(updated, person: nil)
        }
    }

    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "withdraw",
            abstract: "Withdraw one decision; withdrawing the last one closes the case as struck_off.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var author: AuthorOptions
        @Argument(help: "The case: its id or UNIT/CASE_REF.") var ref: String
        @Option(help: "The decision's number.") var decision: String
        @Option(help: "The date of the withdrawal, YYYY-MM-DD.") var on: LocalDate
        @Option(help: "Why.") var reason: String

        func run() throws {
            let registry = try database.open()
            var factory = author.factory(for: registry)
            Render.wanted(
                try registry.withdrawDecision(ref, number: decision, date: on, reason: reason, factory: &factory),
                person: nil)
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "close", abstract: "Close a wanted case.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var author: AuthorOptions
        @Argument(help: "The case: its id or UNIT/CASE_REF.") var ref: String
        @Option(name: .customLong("as"), help: "arrested, surrendered, died or struck_off.") var kind: ClosingKind
        @Option(help: "The date, YYYY-MM-DD.") var on: LocalDate
        @Option(help: "The unit that made the capture (default: this station's unit).") var by: UnitCode?

        func run() throws {
            let registry = try database.open()
            var factory = author.factory(for: registry)
            Render.wanted(
                try registry.closeWanted(ref, as: kind, on: on, actingUnit: by, factory: &factory), person: nil)
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "amend", abstract: "Change the danger class or the abroad flag.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var author: AuthorOptions
        @Argument(help: "The case: its id or UNIT/CASE_REF.") var ref: String
        @Option(help: "especially_dangerous, dangerous or ordinary.") var danger: DangerClass?
        @Option(help: "true or false.") var abroad: Bool?
        @Option(help: "From this date, YYYY-MM-DD (default: today).") var on: LocalDate?

        func run() throws {
            let registry = try database.open()
            var factory = author.factory(for: registry)
            Render.wanted(
                try registry.amendWanted(
                    ref, danger: danger, abroad: abroad, date: on ?? factory.now.date,
                    factory: &factory), person: nil)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a wanted case with its full history.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The case: its id or UNIT/CASE_REF.") var ref: String

        func run() throws {
            let registry = try database.open()
            let found = try registry.records.wantedCase(ref)
            Render.wanted(
                found, person: try? registry.records.person(found.personID),
                linkedLabel: { try? registry.records.releaseCaseLabel($0) })
            Render.history(try registry.records.history(of: found.id))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the open wanted cases of a unit and below.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "The unit (default: this station's unit).") var unit: UnitCode?

        func run() throws {
            let registry = try database.open()
            let open = try registry.records.openCases(scope: unit ?? registry.unit).wanted
            var rows = [["case", "person", "born", "open since", "danger", "abroad"]]
            for c in open {
                let person = try? registry.records.person(c.personID)
                rows.append([
                    c.label, person?.details.fullName ?? "?", person?.details.birthDate?.description ?? "",
                    c.openedOn.description, c.danger.rawValue, c.abroad ? "yes" : "no",
                ])
            }
            if !open.isEmpty { print(Render.columns(rows)) }
            print("\(open.count) open wanted case(s)")
        }
    }
}
