import ArgumentParser
import DragnetCore
import Foundation

/// The person a new case is about: `--person ID`, or the details of a new person.
struct PersonOptions: ParsableArguments {
    @Option(help: "An already registered person's id.")
    var person: String?

    @Option(help: "The full name as written, with diacritics (a new person).")
    var name: String?

    @Option(help: "Birth date YYYY-MM-DD, or the year YYYY alone.")
    var birth: BirthDate?

    @Option(help: "M or F (Nam/Nữ accepted).")
    var sex: Sex?

    @Option(name: .customLong("national-id"), help: "12-digit CCCD or 9-digit CMND.")
    var nationalID: NationalID?

    @Option(help: "Another name the person is known by (repeatable).")
    var alias: [String] = []

    func validate() throws {
        if person != nil && (name != nil || birth != nil || sex != nil || nationalID != nil || !alias.isEmpty) {
            throw ValidationError("give either --person ID or a new person's --name (and details), not both")
        }
        if person == nil && name == nil {
            throw ValidationError("name the person: --person ID for a registered person, or --name for a new one")
        }
    }

    var choice: PersonChoice {
        get throws {
            if let person {
                guard let id = UUID(uuidString: person) else {
                    throw DragnetError(.badInput, "--person \"\(person)\" is not a person id")
                }
                return .existing(id)
            }
            return .new(details)
        }
    }

    var details: PersonDetails {
        PersonDetails(
            fullName: PersonName.normalized(name ?? ""), birthDate: birth, sex: sex, nationalID: nationalID,
            aliases: alias.map(PersonName.normalized))
    }
}

struct PersonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "person", abstract: "Register, find and correct persons.",
        subcommands: [Add.self, Find.self, Show.self, Amend.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Register a person; prints the new id.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var author: AuthorOptions
        @Option(help: "The full name as written, with diacritics.") var name: String
        @Option(help: "Birth date YYYY-MM-DD, or the year YYYY alone.") var birth: BirthDate?
        @Option(help: "M or F (Nam/Nữ accepted).") var sex: Sex?
        @Option(name: .customLong("national-id"), help: "12-digit CCCD or 9-digit CMND.") var nationalID: NationalID?
        @Option(help: "Another name the person is known by (repeatable).") var alias: [String] = []

        func run() throws {
            let registry = try database.open()
            var factory = author.factory(for: registry)
            let details = PersonDetails(
                fullName: PersonName.normalized(name), birthDate: birth, sex: sex, nationalID: nationalID,
                aliases: alias.map(PersonName.normalized))
            print(try registry.registerPerson(details, factory: &factory).uuidString.lowercased())
        }
    }

    struct Find: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "find",
            abstract: "Find persons by name or alias, ignoring case and diacritics (\"nguyen van duc\").")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Words of the name.") var words: [String]

        func run() throws {
            let matches = try database.open().records.findPersons(words.joined(separator: " "))
            if matches.isEmpty { print("no person found") }
            for match in matches {
                print(Render.personLine(match.person))
                for line in match.wanted { print("    wanted  \(line)") }
                for line in match.releases { print("    release \(line)") }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a person with the history of their record.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The person's id.") var id: String

        func run() throws {
            let registry = try database.open()
            let person = try registry.records.person(id)
            print(Render.personLine(person))
            if !person.details.aliases.isEmpty { print("  aliases: \(person.details.aliases.joined(separator: "; "))") }
            Render.history(try registry.records.history(of: person.id))
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "amend",
            abstract: "Correct a person's details; options not given keep their value.")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var author: AuthorOptions
        @Argument(help: "The person's id.") var id: String
        @Option(help: "The corrected full name.") var name: String?
        @Option(help: "Birth date YYYY-MM-DD, or the year YYYY alone.") var birth: BirthDate?
        @Option(help: "M or F (Nam/Nữ accepted).") var sex: Sex?
        @Option(name: .customLong("national-id"), help: "12-digit CCCD or 9-digit CMND.") var nationalID: NationalID?
        @Option(name: .customLong("add-alias"), help: "Add an alias (repeatable).") var addAlias: [String] = []

        func run() throws {
            let registry = try database.open()
            var factory = author.factory(for: registry)
            let person = try registry.records.person(id)
            var details = person.details
            if let name { details.fullName = PersonName.normalized(name) }
            if let birth { details.birthDate = birth }
            if let sex { details.sex = sex }
            if let nationalID { details.nationalID = nationalID }
            details.aliases += addAlias.map(PersonName.normalized)
            try registry.amendPerson(person.id, details: details, factory: &factory)
            print(Render.personLine(try registry.records.person(person.id)))
        }
    }
}

struct DuplicatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "List persons who share a national id: possibly one person registered twice.",
        discussion: "Dragnet never merges persons on its own; a records officer decides.")
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let groups = try database.open().records.possibleDuplicates()
        if groups.isEmpty { print("no national id is shared by two persons") }
        for group in groups {
            print("national id \(group.nationalID): \(group.persons.count) persons")
            for person in group.persons { print("    " + Render.personLine(person)) }
        }
    }
}
