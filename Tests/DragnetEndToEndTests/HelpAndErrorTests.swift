import Foundation
import Testing

/// What a new user reads: the help of every command, and the errors of a command used wrongly.
@Suite struct HelpAndErrorTests {
    /// Every `docs/NAME.md` a text names.
    func documents(in text: String) throws -> Set<String> {
        let pattern = try NSRegularExpression(pattern: #"docs/[A-Za-z0-9_-]+\.md"#)
        return Set(
            pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
                Range($0.range, in: text).map { String(text[$0]) }
            })
    }

    @Test func theHelpNamesOnlyTheProjectsOwnDocuments() throws {
        // The help of every command and subcommand at once, as ArgumentParser describes the whole tree.
        let dump = try runDragnet(["--experimental-dump-help"])
        #expect(dump.status == 0, "\(dump.stderr)")
        #expect(dump.stdout.contains(#""commandName" : "import""#), "the dump holds the subcommands")
        #expect(!dump.stdout.contains("SPEC"))
        #expect(!dump.stdout.contains("§"))
        let named = try documents(in: dump.stdout.replacingOccurrences(of: "\\/", with: "/"))  // JSON writes `\/`
        #expect(named.contains("docs/formats.md"), "import, export and generate point at the CSV formats")
        for document in named {
            #expect(
                FileManager.default.fileExists(atPath: packageRoot.appendingPathComponent(document).path),
                "\(document) is named by the help and is in the project")
        }
        for arguments in [["--help"], ["import", "--help"], ["export", "--help"], ["generate", "--help"]] {
            let help = try runDragnet(arguments)
            #expect(help.status == 0)
            #expect(!help.stdout.contains("SPEC") && !help.stdout.contains("§"), "\(arguments)")
        }
        let importHelp = try runDragnet(["import", "--help"]).stdout
        #expect(importHelp.contains("docs/formats.md"))
        #expect(importHelp.contains("decision_date, offense, danger, abroad, closing, closing_date, closed_by."))
    }

    @Test func aBlankNameIsRefusedNamingThePerson() throws {
        let s = try Station()
        let pattern = try NSRegularExpression(
            pattern: "^error: person [0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}, full_name: a person needs a name\n$")
        for name in ["", "   "] {
            let run = try s.dragnet([
                "wanted", "add", "--name", name, "--ref", "TN-1", "--decision", "1/QĐ", "--decision-date", "2020-01-01",
            ])
            #expect(run.status == 65)
            #expect(
                pattern.firstMatch(in: run.stderr, range: NSRange(run.stderr.startIndex..., in: run.stderr)) != nil,
                "\(run.stderr)")
        }
        let person = try s.dragnet(["person", "add", "--name", ""])
        #expect(person.status == 65 && person.stderr.hasPrefix("error: person "), "\(person.stderr)")
        let list = try s.dragnet(["wanted", "list"])
        #expect(list.stdout.contains("0 open wanted case(s)"), "\(list.stdout)")
    }

    @Test func aValidationErrorShowsTheUsageOfTheCommandThatRaisedIt() throws {
        let s = try Station()
        let year = try s.dragnet(["metrics", "--year", "abc"])
        #expect(year.status == 64)
        #expect(
            year.stderr == """
                Error: year "abc" is not a year: write four digits, as in 2020
                Usage: dragnet metrics <options>
                  See 'dragnet metrics --help' for more information.

                """)
        let cohort = try s.dragnet(["cohort", "--from", "2020-01-01"])
        #expect(cohort.status == 64)
        #expect(cohort.stderr.hasPrefix("Error: from is given without to: "))
        #expect(cohort.stderr.contains("\nUsage: dragnet cohort "))
        #expect(cohort.stderr.hasSuffix("\n  See 'dragnet cohort --help' for more information.\n"))
        let sync = try s.dragnet(["sync", "--token-file", "/dev/null"])
        #expect(sync.status == 64)
        #expect(sync.stderr.hasPrefix("Error: give the central endpoint with --server URL\nUsage: dragnet sync "))
        #expect(!sync.stderr.contains("<subcommand>"))
        for count in ["0", "20001"] {
            // A database that cannot be opened: were the option not refused first, the server would fail there
            // (another status) instead of running on.
            let serve = try s.dragnet([
                "serve", "--port", "0", "--db", "/nonexistent/c.sqlite", "--max-push-events", count,
            ])
            #expect(serve.status == 64, "refused before the server starts")
            #expect(
                serve.stderr.hasPrefix("Error: --max-push-events must be a number from 1 to 20000, not \(count)\n"),
                "\(serve.stderr)")
        }
    }
}
