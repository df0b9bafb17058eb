import Foundation
import GRDB
import Testing

@testable import DragnetCore

@Suite struct PersonTests {
    @Test(arguments: [
        ("Nguyễn Văn Đức", "nguyen van duc"),
        ("  TRẦN   THỊ  ÁNH ", "tran thi anh"),
        ("Đặng Quốc Bảo", "dang quoc bao"),
        ("Lê Hoàng Phúc", "le hoang phuc"),
    ])
    func searchKeyDropsDiacriticsAndCase(name: String, key: String) {
        #expect(PersonName.searchKey(name) == key)
    }

    @Test func namesAreKeptAsWrittenInNFCAndFoundWithoutDiacritics() throws {
        var t = try TestRegistry()
        // "Nguyễn Văn Đức" typed in decomposed form (NFD) is stored precomposed (NFC).
        let decomposed = "Nguyễn Văn Đức".decomposedStringWithCanonicalMapping
        let id = try t.registry.registerPerson(
            PersonDetails(
                fullName: PersonName.normalized(decomposed), birthDate: .year(1985), sex: .male,
                nationalID: nil, aliases: ["Đức Còi"]), factory: &t.factory)
        _ = try t.registry.registerPerson(
            PersonDetails(fullName: "Nguyễn Văn Dũng", birthDate: nil, sex: nil, nationalID: nil), factory: &t.factory)
        let person = try t.registry.records.person(id)
        #expect(
            person.details.fullName.unicodeScalars.elementsEqual(
                "Nguyễn Văn Đức".precomposedStringWithCanonicalMapping.unicodeScalars))
        #expect(try t.registry.records.findPersons("nguyen van duc").map(\.person.id) == [id])
        #expect(try t.registry.records.findPersons("NGUYỄN đức").map(\.person.id) == [id])
        #expect(try t.registry.records.findPersons("duc coi").map(\.person.id) == [id], "found by alias")
        #expect(try t.registry.records.findPersons("nguyen van").count == 2)
        #expect(try t.registry.records.findPersons("nguyen van duy").isEmpty)
    }

    @Test(arguments: [("079085004512", true), ("024040404", true), ("0790850045", false), ("07908500451a", false)])
    func nationalIDsHaveNineOrTwelveDigits(text: String, valid: Bool) {
        #expect((NationalID(text) != nil) == valid)
    }

    @Test func aSharedNationalIDIsReportedAndNeverMerged() throws {
        var t = try TestRegistry()
        let nid = NationalID("079085004512")
        let a = try t.registry.registerPerson(
            PersonDetails(fullName: "Võ Minh Tuấn", birthDate: nil, sex: nil, nationalID: nid), factory: &t.factory)
        #expect(try t.registry.records.possibleDuplicates().isEmpty)
        let b = try t.registry.registerPerson(
            PersonDetails(fullName: "La Văn Nam", birthDate: nil, sex: nil, nationalID: nid), factory: &t.factory)
        let report = try t.registry.records.possibleDuplicates()
        #expect(report.count == 1)
        #expect(Set(report[0].persons.map(\.id)) == [a, b])
    }

    @Test func aBirthDateLaterThanACaseEventIsRefused() throws {
        var t = try TestRegistry()
        let c = try t.wanted(opened: "2000-01-01", birth: "1980")
        var details = try t.registry.records.person(c.personID).details
        details.birthDate = .year(2001)
        expectRefusal("birth_date \"2001\"", "79.26734/TN-1 has an event on 2000-01-01") {
            try t.registry.amendPerson(c.personID, details: details, factory: &t.factory)
        }
        details.birthDate = .full(day("1999-12-31"))
        try t.registry.amendPerson(c.personID, details: details, factory: &t.factory)
        #expect(try t.registry.records.person(c.personID).details.birthDate == .full(day("1999-12-31")))
    }

    @Test func retractingTheAmendmentThatACaseEventNeedsIsRefused() throws {
        var t = try TestRegistry()
        // Registered as born in 2001 (a typo), amended to 1980; then a case opens with a decision of 2000-01-01, which
        // is valid only with the amended year. Retracting the amendment would bring 2001 back: refused.
        let person = try t.registry.registerPerson(
            PersonDetails(fullName: "Nguyễn Văn A", birthDate: .year(2001), sex: .male, nationalID: nil),
            factory: &t.factory)
        var details = try t.registry.records.person(person).details
        details.birthDate = .year(1980)
        try t.registry.amendPerson(person, details: details, factory: &t.factory)
        _ = try t.registry.openWanted(
            person: .existing(person), caseRef: "TN-1", ownerUnit: t.registry.unit, danger: .ordinary,
            abroad: false, decision: Decision(number: "D-1", issuedBy: "PC02", offense: "Điều 173"),
            decisionDate: day("2000-01-01"), factory: &t.factory)
        let amendment = try #require(
            try t.registry.database.read { db in try t.registry.events(ofRecord: person, in: db) }
                .first { $0.kind == .personAmended })
        expectRefusal("birth_date \"2001\"", "79.26734/TN-1 has an event on 2000-01-01") {
            _ = try t.registry.retract(amendment.id, reason: "entered by mistake", factory: &t.factory)
        }
        #expect(try t.registry.records.person(person).details.birthDate == .year(1980))
        // Without the case, the same retraction is taken and 2001 is back.
        var other = try TestRegistry()
        let alone = try other.registry.registerPerson(
            PersonDetails(fullName: "Nguyễn Văn B", birthDate: .year(2001), sex: .male, nationalID: nil),
            factory: &other.factory)
        details = try other.registry.records.person(alone).details
        details.birthDate = .year(1980)
        try other.registry.amendPerson(alone, details: details, factory: &other.factory)
        let change = try #require(
            try other.registry.database.read { db in try other.registry.events(ofRecord: alone, in: db) }
                .first { $0.kind == .personAmended })
        _ = try other.registry.retract(change.id, reason: "entered by mistake", factory: &other.factory)
        #expect(try other.registry.records.person(alone).details.birthDate == .year(2001))
    }
}

@Suite struct EventLogTests {
    @Test func retractionUndoesAnEventAndTheStateIsComputedWithoutIt() throws {
        var t = try TestRegistry()
        let c = try t.wanted(opened: "2020-01-01")
        let closed = try t.registry.closeWanted(
            c.label, as: .arrested, on: day("2020-02-01"), actingUnit: nil,
            factory: &t.factory)
        let closingEvent = try #require(closed.closing?.eventID)
        expectRefusal("reason", "say why") {
            _ = try t.registry.retract(closingEvent, reason: " ", factory: &t.factory)
        }
        let retraction = try t.registry.retract(closingEvent, reason: "wrong person arrested", factory: &t.factory)
        #expect(try t.registry.records.wantedCase(c.label).closing == nil)
        // The event stays in the log, marked.
        let history = try t.registry.records.history(of: c.id)
        #expect(history.count == 3)
        #expect(history.first(where: { $0.event.id == closingEvent })?.retractedBy?.id == retraction.id)
        expectRefusal("a retraction cannot be retracted") {
            _ = try t.registry.retract(retraction.id, reason: "undo", factory: &t.factory)
        }
        expectRefusal("already retracted") {
            _ = try t.registry.retract(closingEvent, reason: "twice", factory: &t.factory)
        }
        // With the wrong closing gone, the right one can be recorded.
        let reclosed = try t.registry.closeWanted(
            c.label, as: .surrendered, on: day("2020-03-01"), actingUnit: nil,
            factory: &t.factory)
        #expect(reclosed.closing?.kind == .surrendered)
    }

    @Test func retractingAClosingMayNotLeaveAPersonWithTwoOpenCases() throws {
        var t = try TestRegistry()
        let first = try t.wanted("TN-1", opened: "2019-01-01")
        let closed = try t.registry.closeWanted(
            first.label, as: .arrested, on: day("2019-06-01"), actingUnit: nil,
            factory: &t.factory)
        _ = try t.registry.openWanted(
            person: .existing(first.personID), caseRef: "TN-2", ownerUnit: t.registry.unit, danger: .ordinary,
            abroad: false, decision: Decision(number: "D-9", issuedBy: "", offense: ""),
            decisionDate: day("2020-01-01"), factory: &t.factory)
        expectRefusal("reopening this case would leave the person with two open wanted cases (79.26734/TN-2 is open)") {
            _ = try t.registry.retract(try #require(closed.closing?.eventID), reason: "typo", factory: &t.factory)
        }
    }

    @Test func aPersonNamedByACaseCannotBeUnregistered() throws {
        var t = try TestRegistry()
        let c = try t.wanted(opened: "2020-01-01")
        let registration = try #require(try t.registry.records.history(of: c.personID).first?.event.id)
        expectRefusal("1 case(s) name this person") {
            _ = try t.registry.retract(registration, reason: "duplicate", factory: &t.factory)
        }
        let lone = try t.registry.registerPerson(
            PersonDetails(fullName: "Nguyễn Thị Lẻ", birthDate: nil, sex: nil, nationalID: nil), factory: &t.factory)
        let loneRegistration = try #require(try t.registry.records.history(of: lone).first?.event.id)
        _ = try t.registry.retract(loneRegistration, reason: "entered by mistake", factory: &t.factory)
        #expect(try t.registry.records.findPersons("nguyen thi le").isEmpty)
        #expect(try t.registry.rebuildProjections() == 3, "person, case, and the retracted person folded to nothing")
    }

    @Test func retractingAnOpeningThatOtherEventsDependOnIsRefused() throws {
        var t = try TestRegistry()
        let c = try t.wanted(opened: "2020-01-01")
        _ = try t.registry.closeWanted(c.label, as: .died, on: day("2020-02-01"), actingUnit: nil, factory: &t.factory)
        let opening = try #require(c.decisions.first?.eventID)
        expectRefusal("never opened, or its opening was retracted") {
            _ = try t.registry.retract(opening, reason: "typo", factory: &t.factory)
        }
    }

    @Test func theEventTableRefusesUpdatesAndDeletes() throws {
        let t = try TestRegistry()
        var f = t.factory
        _ = try t.registry.registerPerson(
            PersonDetails(fullName: "A", birthDate: nil, sex: nil, nationalID: nil), factory: &f)
        #expect(throws: (any Error).self) {
            try t.registry.database.write { db in try db.execute(sql: "UPDATE event SET author = 'x'") }
        }
        #expect(throws: (any Error).self) {
            try t.registry.database.write { db in try db.execute(sql: "DELETE FROM event") }
        }
        #expect(try t.registry.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM event") } == 1)
    }

    @Test func aFailedOperationWritesNothing() throws {
        var t = try TestRegistry()
        let before = try t.registry.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM event") }
        // The person event is fine, the case event is not: neither is stored.
        expectRefusal("later than the day it was recorded") {
            _ = try t.wanted(opened: "2030-01-01")
        }
        let after = try t.registry.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM event") }
        #expect(before == after)
        #expect(try t.registry.records.findPersons("nguyen").isEmpty)
    }

    @Test func conflictingClosingsFromTwoUnitsAreKeptAndListedAndTheEarliestWins() throws {
        var t = try TestRegistry(role: .central)
        let c = try t.wanted(opened: "2020-01-01")
        var other = TestRegistry.factory(unit: "79.26737")
        var third = TestRegistry.factory(
            unit: "01.00004", now: Timestamp(milliseconds: TestRegistry.now.milliseconds + 1000))
        let late = t.factory.make(
            .wantedClosed(kind: .arrested, actingUnit: t.registry.unit), record: c.id,
            kind: .wanted, on: day("2020-05-01"))
        let early = other.make(
            .wantedClosed(kind: .surrendered, actingUnit: UnitCode("79.26737")!), record: c.id,
            kind: .wanted, on: day("2020-04-01"))
        let repeatOfEarly = third.make(
            .wantedClosed(kind: .surrendered, actingUnit: UnitCode("79.26737")!),
            record: c.id, kind: .wanted, on: day("2020-04-01"))
        let outcomes = try t.registry.receive([late, early, repeatOfEarly], policy: .central(now: TestRegistry.now))
        #expect(outcomes.allSatisfy { if case .created = $0 { true } else { false } })
        let state = try t.registry.records.wantedCase(c.label)
        #expect(state.closing?.kind == .surrendered && state.closing?.date == day("2020-04-01"))
        let anomalies = try t.registry.records.anomalies()
        #expect(anomalies.map(\.severity) == [.conflict, .repeated])
        #expect(anomalies[0].eventID == late.id && anomalies[0].otherEventID == early.id)
        // The same event again is a duplicate; the same id with other content is refused.
        var changed = early
        changed.author = "someone else"
        #expect(
            try t.registry.receive([early, changed], policy: .central(now: TestRegistry.now))
                == [
                    .duplicate,
                    .rejected(
                        "event \(early.id.uuidString.lowercased()), id \"\(early.id.uuidString.lowercased())\": this id was already used for an event with other content"
                    ),
                ])
    }

    @Test func theServerPolicyStillRefusesRuleViolations() throws {
        var t = try TestRegistry(role: .central)
        let c = try t.wanted(opened: "2020-01-01")
        var other = TestRegistry.factory(unit: "79.26737")
        let bad = other.make(
            .wantedClosed(kind: .arrested, actingUnit: UnitCode("79.26737")!), record: c.id,
            kind: .wanted, on: day("2019-12-31"))
        let outcome = try t.registry.receive([bad], policy: .central(now: TestRegistry.now))
        guard case .rejected(let reason) = outcome.first else {
            Issue.record("expected a rejection, got \(outcome)")
            return
        }
        #expect(reason.contains("before the case's opening on 2020-01-01"))
        #expect(try t.registry.records.wantedCase(c.label).closing == nil)
    }

    @Test func theDerivedTablesRebuildToTheSameState() throws {
        var t = try TestRegistry()
        let c = try t.wanted(opened: "2020-01-01")
        _ = try t.registry.closeWanted(
            c.label, as: .arrested, on: day("2020-02-01"), actingUnit: nil,
            factory: &t.factory)
        let r = try t.release(on: "2019-01-01")
        _ = try t.registry.endRelease(
            r.label, as: .reoffended, on: day("2020-01-05"), offense: nil, reference: nil,
            factory: &t.factory)
        let before = try t.registry.figures.facts(asOf: nil)
        #expect(try t.registry.rebuildProjections() == 4)
        let after = try t.registry.figures.facts(asOf: nil)
        #expect(before.wanted == after.wanted && before.releases == after.releases)
        #expect(after.wanted.first?.closing?.kind == .arrested)
    }

    @Test func factsAsOfAPastMomentLeaveOutLaterEvents() throws {
        var t = try TestRegistry(now: Timestamp("2021-01-10T00:00:00Z")!)
        let c = try t.wanted(opened: "2020-01-01")
        t.factory = EventFactory(unit: t.registry.unit, author: "x", now: Timestamp("2021-02-10T00:00:00Z")!)
        _ = try t.registry.closeWanted(
            c.label, as: .arrested, on: day("2020-12-01"), actingUnit: nil,
            factory: &t.factory)
        #expect(try t.registry.figures.facts(asOf: Timestamp("2021-01-31")!).wanted.first?.closing == nil)
        #expect(try t.registry.figures.facts(asOf: Timestamp("2021-02-10")!).wanted.first?.closing?.kind == .arrested)
        #expect(try t.registry.figures.facts(asOf: Timestamp("2020-12-31")!).wanted.isEmpty)
    }
}

@Suite struct DatabaseTests {
    @Test func aMissingDatabaseSaysHowToCreateOne() {
        expectRefusal("no Dragnet database at /nonexistent/x.sqlite", "dragnet init --unit CODE") {
            _ = try Registry.open(at: "/nonexistent/x.sqlite")
        }
    }

    @Test func aDatabaseOfANewerVersionIsRefusedUntouched() throws {
        let t = try TestRegistry()
        try t.registry.database.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        expectRefusal("written by a newer version of Dragnet") { _ = try Registry.open(at: t.registry.path) }
    }

    @Test func initRefusesToOverwrite() throws {
        let t = try TestRegistry()
        expectRefusal("already exists") {
            _ = try Registry.create(at: t.registry.path, unit: UnitCode("79")!, now: TestRegistry.now)
        }
        #expect(try Registry.open(at: t.registry.path).unit == UnitCode("79.26734"))
    }
}
