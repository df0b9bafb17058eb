import Foundation
import Testing

@testable import DragnetCore

/// An input and the records expected from it.
struct CSVReaderExample: Sendable, CustomTestStringConvertible {
    let name: String
    let input: [UInt8]
    let expected: [CSVRecord]

    var testDescription: String { name }

    /// A well-formed input: its records are numbered from 1 and have no problem.
    init(_ name: String, _ input: String, _ fields: [[String]]) {
        self.name = name
        self.input = Array(input.utf8)
        self.expected = fields.enumerated().map { CSVRecord(row: $0.offset + 1, fields: $0.element) }
    }

    init(_ name: String, bytes: [UInt8], _ expected: [CSVRecord]) {
        self.name = name
        self.input = bytes
        self.expected = expected
    }
}

private let wellFormedCases: [CSVReaderExample] = [
    CSVReaderExample("LF line ends", "a,b\nc,d\n", [["a", "b"], ["c", "d"]]),
    CSVReaderExample("CRLF line ends", "a,b\r\nc,d\r\n", [["a", "b"], ["c", "d"]]),
    CSVReaderExample("lone CR line ends", "a,b\rc,d\r", [["a", "b"], ["c", "d"]]),
    CSVReaderExample("mixed line ends", "a\r\nb\nc\rd", [["a"], ["b"], ["c"], ["d"]]),
    CSVReaderExample("no final line end", "a,b\nc,d", [["a", "b"], ["c", "d"]]),
    CSVReaderExample("empty fields", ",a,,\n,\n", [["", "a", "", ""], ["", ""]]),
    CSVReaderExample("trailing comma at end of input", "a,", [["a", ""]]),
    CSVReaderExample("empty lines skipped", "\n\r\na\n\n\r\n\rb\r\n\n", [["a"], ["b"]]),
    CSVReaderExample("quoted fields", "\"a,b\",\"c\"\n", [["a,b", "c"]]),
    CSVReaderExample("doubled quotes", "\"say \"\"hi\"\"\",\"\"\"\"\n", [["say \"hi\"", "\""]]),
    CSVReaderExample("empty quoted fields", "\"\"\n\"\",\"\"", [[""], ["", ""]]),
    CSVReaderExample("embedded line ends", "\"1\n2\",\"3\r4\",\"5\r\n6\"\r\nx", [["1\n2", "3\r4", "5\r\n6"], ["x"]]),
    CSVReaderExample("quoted field at end of input", "a,\"b\"", [["a", "b"]]),
    CSVReaderExample("byte order mark skipped", "\u{FEFF}id,tên\r\n1,An\r\n", [["id", "tên"], ["1", "An"]]),
    CSVReaderExample("byte order mark kept past the start", "a\n\u{FEFF}b", [["a"], ["\u{FEFF}b"]]),
    CSVReaderExample("byte order mark alone", "\u{FEFF}", []),
    CSVReaderExample("empty input", "", []),
    CSVReaderExample("only line ends", "\r\n\n\r", []),
    CSVReaderExample("quote inside unquoted field kept", "5\" screen,x", [["5\" screen", "x"]]),
    CSVReaderExample("spaces kept", " a , b ", [[" a ", " b "]]),
    CSVReaderExample(
        "Vietnamese text", "Nguyễn Văn Đức,\"Hà Nội, Việt Nam\"\n", [["Nguyễn Văn Đức", "Hà Nội, Việt Nam"]]),
    CSVReaderExample("four-byte characters", "🚓,\"🚨\"\n", [["🚓", "🚨"]]),
]

private let problemCases: [CSVReaderExample] = [
    CSVReaderExample(
        "unterminated quoted field", bytes: Array("a\n\"b,c\nd".utf8),
        [
            CSVRecord(row: 1, fields: ["a"]),
            CSVRecord(row: 2, fields: ["b,c\nd"], problem: "unterminated quoted field"),
        ]),
    CSVReaderExample(
        "unterminated after a doubled quote", bytes: Array("x,\"a\"\"".utf8),
        [
            CSVRecord(row: 1, fields: ["x", "a\""], problem: "unterminated quoted field")
        ]),
    CSVReaderExample(
        "text after closing quote", bytes: Array("\"ab\"c,d\ne\n".utf8),
        [
            CSVRecord(row: 1, fields: ["abc", "d"], problem: "unexpected character after closing quote in field 1"),
            CSVRecord(row: 2, fields: ["e"]),
        ]),
    CSVReaderExample(
        "text after closing quote in field 2", bytes: Array("x,\"a\"\"b\" \"c,y\nz".utf8),
        [
            CSVRecord(
                row: 1, fields: ["x", "a\"b \"c", "y"],
                problem: "unexpected character after closing quote in field 2"),
            CSVRecord(row: 2, fields: ["z"]),
        ]),
    CSVReaderExample(
        "invalid UTF-8", bytes: Array("h1,h2\nok,b".utf8) + [0xFF] + Array("d\nnext,x".utf8),
        [
            CSVRecord(row: 1, fields: ["h1", "h2"]),
            CSVRecord(row: 2, fields: ["ok", "b\u{FFFD}d"], problem: "invalid UTF-8 in field 2"),
            CSVRecord(row: 3, fields: ["next", "x"]),
        ]),
    CSVReaderExample(
        "invalid UTF-8 in a quoted field", bytes: Array("a,b,\"\"\"".utf8) + [0xC3, 0x28] + Array("\"\n".utf8),
        [
            CSVRecord(row: 1, fields: ["a", "b", "\"\u{FFFD}("], problem: "invalid UTF-8 in field 3")
        ]),
    CSVReaderExample(
        "only the first problem is reported", bytes: [0xC0, 0x80] + Array(",\"a\"b,\"c".utf8),
        [
            CSVRecord(row: 1, fields: ["\u{FFFD}\u{FFFD}", "ab", "c"], problem: "invalid UTF-8 in field 1")
        ]),
]

/// Every record of `bytes`, read `chunkSize` bytes at a time.
private func readAll(_ bytes: [UInt8], chunkSize: Int = CSVReader.defaultChunkSize) throws -> [CSVRecord] {
    let reader = CSVReader(bytes: bytes, chunkSize: chunkSize)
    var records: [CSVRecord] = []
    while let record = try reader.next() { records.append(record) }
    return records
}

/// A path for a scratch file in the temporary directory.
private func temporaryPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString).csv").path
}

/// Records whose fields are hard to write and read back.
private let awkwardRecords: [[String]] = [
    ["id", "họ tên", "ghi chú"],
    ["1", "Nguyễn Văn Đức", "a,b"],
    ["2", "\"quoted\"", "line 1\nline 2"],
    ["3", "", "cr\rlf\r\ncrlf"],
    [""],
    ["", ""],
    ["\"", ",", "\n"],
    ["Trần Thị Hồng Nhung", "Đà Nẵng, \"Việt Nam\"", " spaces "],
    ["🚓 emoji", "\u{FEFF}mark", "tab\tx"],
]

@Suite("CSV reader")
struct CSVReaderTests {
    @Test("well-formed input", arguments: wellFormedCases)
    func wellFormed(_ example: CSVReaderExample) throws {
        #expect(try readAll(example.input) == example.expected)
    }

    @Test("malformed records are reported and reading goes on", arguments: problemCases)
    func problems(_ example: CSVReaderExample) throws {
        #expect(try readAll(example.input) == example.expected)
    }

    @Test("any chunk size gives the same records", arguments: 1...10)
    func chunkBoundaries(chunkSize: Int) throws {
        for example in wellFormedCases + problemCases {
            let records = try readAll(example.input, chunkSize: chunkSize)
            #expect(records == example.expected, "\(example.name), chunk size \(chunkSize)")
        }
        let mixed = Array(CSVWriter.encode(awkwardRecords).utf8) + Array("\r\r\n\"ố\"\"ầ\",ễ\r".utf8)
        #expect(try readAll(mixed, chunkSize: chunkSize) == readAll(mixed))
    }

    @Test("rows count records, not lines")
    func rowNumbers() throws {
        let records = try readAll(Array("h\n\"a\nb\r\nc\",x\n\n\nnext\r\n\"\n\"\nlast".utf8))
        #expect(records.map(\.row) == [1, 2, 3, 4, 5])
        #expect(records.map { $0.fields[0] } == ["h", "a\nb\r\nc", "next", "\n", "last"])
    }

    @Test("invalid UTF-8 is reported with its row")
    func invalidUTF8Row() throws {
        let input = Array("id,tên\n1,An\n\"2\n\",Bình\n3,".utf8) + [0xE1, 0xBB] + Array("\n4,Đức".utf8)
        let records = try readAll(input)
        let bad = records.filter { $0.problem != nil }
        #expect(bad.map(\.row) == [4])
        #expect(bad.first?.problem == "invalid UTF-8 in field 2")
        #expect(bad.first?.fields == ["3", "\u{FFFD}"])
        #expect(records.last == CSVRecord(row: 5, fields: ["4", "Đức"]))
    }

    @Test(
        "the UTF-8 check agrees with the standard library",
        arguments: [
            [], [0x41], [0xC2, 0xA9], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0xA0, 0x80],
            [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF],
            [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
            [0xE1, 0xBB], [0xE1, 0xBB, 0x41], [0x80], [0xFF],
            Array("ASCII run longer than eight bytes ".utf8) + [0xE1, 0xBB, 0x87],
            Array("ASCII run longer than eight bytes ".utf8) + [0xE1, 0xBB],
        ] as [[UInt8]])
    func utf8Check(_ bytes: [UInt8]) {
        let expected = String(validating: bytes, as: UTF8.self) != nil
        #expect(bytes.withUnsafeBufferPointer { CSVReader.isValidUTF8($0) } == expected)
    }

    @Test("the UTF-8 check agrees with the standard library on random bytes")
    func utf8CheckRandom() {
        var generator = SystemRandomNumberGenerator()
        var invalid = 0
        for _ in 0..<2000 {
            let length = Int.random(in: 0...12, using: &generator)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator) ? UInt8.random(in: 0x80...0xF5, using: &generator) : 0x61
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            if !expected { invalid += 1 }
            #expect(bytes.withUnsafeBufferPointer { CSVReader.isValidUTF8($0) } == expected, "\(bytes)")
        }
        #expect(invalid > 0)
    }

    @Test("a file is read in chunks", arguments: [7, CSVReader.defaultChunkSize])
    func readsFile(chunkSize: Int) throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let records = (0..<500).map { ["\($0)", "Lê Thị \($0)", "ghi chú\n\($0), \"x\""] }
        let text = "\u{FEFF}" + CSVWriter.encode(records)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let reader = try CSVReader(path: path, chunkSize: chunkSize)
        var read: [CSVRecord] = []
        while let record = try reader.next() { read.append(record) }
        #expect(read == records.enumerated().map { CSVRecord(row: $0.offset + 1, fields: $0.element) })
    }

    @Test("a missing file throws an error naming it")
    func missingFile() {
        let path = "/nonexistent-\(UUID().uuidString)/people.csv"
        let error = #expect(throws: CSVReadError.self) { _ = try CSVReader(path: path) }
        #expect(error?.path == path)
        #expect(error?.description.contains(path) == true)
    }

    @Test("memory is bounded by the chunk size and the longest record")
    func boundedMemory() throws {
        let row = Array("12,Nguyễn Thị Minh Khai,\"Số 5, Đường Lê Lợi\",\"ghi \"\"chú\"\"\"\r\n".utf8)
        let input = Array([[UInt8]](repeating: row, count: 20_000).joined())
        let reader = CSVReader(bytes: input, chunkSize: 1000)
        var count = 0
        while let record = try reader.next() {
            count += record.fields.count == 4 && record.problem == nil ? 1 : 0
        }
        #expect(count == 20_000)
        #expect(reader.bufferCapacity == 2000)
        let long = Array("a,\"".utf8) + [UInt8](repeating: 0x78, count: 10_000) + Array("\"\nb".utf8)
        let longReader = CSVReader(bytes: long, chunkSize: 1000)
        #expect(try longReader.next()?.fields.last?.utf8.count == 10_000)
        #expect(try longReader.next()?.fields == ["b"])
        #expect(longReader.bufferCapacity <= 4 * 10_000)
    }

    @Test("a read error is thrown with the path")
    func readError() throws {
        let path = FileManager.default.temporaryDirectory.path
        let reader = try CSVReader(path: path)
        let error = #expect(throws: CSVReadError.self) { _ = try reader.next() }
        #expect(error?.path == path)
    }

    @Test("the end of input stays the end")
    func endIsSticky() throws {
        let reader = CSVReader(bytes: Array("a\n".utf8))
        #expect(try reader.next()?.fields == ["a"])
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
    }
}

@Suite("CSV writer")
struct CSVWriterTests {
    @Test(
        "fields are quoted only when needed",
        arguments: [
            ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""), ("\"", "\"\"\"\""),
            ("line\nbreak", "\"line\nbreak\""), ("cr\rx", "\"cr\rx\""), ("end\r\n", "\"end\r\n\""),
            (" spaced ", " spaced "), ("Đức", "Đức"), ("", ""), ("'single'", "'single'"), ("tab\t", "tab\t"),
        ])
    func quoting(field: String, encoded: String) {
        #expect(CSVWriter.encode([[field, "x"]]) == encoded + ",x\r\n")
    }

    @Test("records end with CRLF, and a lone empty field is quoted")
    func lineEnds() throws {
        var writer = CSVWriter()
        try writer.write(["a", "b"])
        try writer.write([""])
        try writer.write([])
        try writer.write(["c"])
        #expect(writer.text == "a,b\r\n\"\"\r\n\r\nc\r\n")
    }

    @Test("a byte order mark is written first when asked")
    func byteOrderMark() throws {
        var writer = CSVWriter(byteOrderMark: true)
        try writer.write(["x"])
        #expect(writer.bytes == [0xEF, 0xBB, 0xBF, 0x78, 0x0D, 0x0A])
        #expect(CSVWriter.encode([["x"]]) == "x\r\n")
    }

    @Test("awkward fields survive a round trip", arguments: [1, 2, 3, 5, CSVReader.defaultChunkSize])
    func roundTrip(chunkSize: Int) throws {
        let records = try readAll(Array(CSVWriter.encode(awkwardRecords).utf8), chunkSize: chunkSize)
        #expect(records.map(\.fields) == awkwardRecords)
        #expect(records.map(\.row) == Array(1...awkwardRecords.count))
        #expect(records.allSatisfy { $0.problem == nil })
    }

    @Test("a file written in flushed pieces reads back the same")
    func fileRoundTrip() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var writer = try CSVWriter(path: path, byteOrderMark: true, flushThreshold: 100)
        let records = (0..<300).flatMap { index in awkwardRecords.map { $0 + ["\(index)"] } }
        for record in records { try writer.write(record) }
        try writer.finish()
        try writer.finish()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Array(data) == [0xEF, 0xBB, 0xBF] + Array(CSVWriter.encode(records).utf8))
        let reader = try CSVReader(path: path, chunkSize: 64)
        var read: [[String]] = []
        while let record = try reader.next() { read.append(record.fields) }
        #expect(read == records)
    }

    @Test("a file handle is written to and left open")
    func fileHandle() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        var writer = CSVWriter(output: handle)
        try writer.write(["Phạm", "Hải Phòng, VN"])
        try writer.finish()
        try handle.write(contentsOf: Data("end".utf8))
        try handle.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text == "Phạm,\"Hải Phòng, VN\"\r\nend")
    }

    @Test("a writer released without finishing still flushes its file")
    func flushOnRelease() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            var writer = try CSVWriter(path: path)
            try writer.write(["Võ", "Cần Thơ"])
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "Võ,Cần Thơ\r\n")
    }

    @Test("writing after finishing a file fails")
    func writeAfterFinish() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var writer = try CSVWriter(path: path, flushThreshold: 1)
        try writer.write(["a"])
        try writer.finish()
        #expect(throws: CSVWriteError.self) { try writer.write(["b"]) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a\r\n")
    }

    @Test("a file that can't be created throws an error naming it")
    func unwritablePath() {
        let path = "/nonexistent-\(UUID().uuidString)/out.csv"
        let error = #expect(throws: CSVWriteError.self) { _ = try CSVWriter(path: path) }
        #expect(error?.description.contains(path) == true)
    }
}
