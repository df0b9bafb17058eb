import Foundation

/// One record of a CSV file.
public struct CSVRecord: Sendable, Equatable {
    /// The record's number in the file, counting the header as row 1 (so the first data row is row 2).
    /// Counts records, not physical lines (a quoted field may span lines; skipped empty lines don't count).
    public var row: Int
    /// The fields, decoded as UTF-8 (invalid bytes replaced by U+FFFD).
    public var fields: [String]
    /// nil when the record is well formed; else a message for a person, e.g. `invalid UTF-8 in field 3`.
    public var problem: String?

    /// A record numbered `row` with the given fields and problem.
    public init(row: Int, fields: [String], problem: String? = nil) {
        self.row = row
        self.fields = fields
        self.problem = problem
    }
}

/// The error thrown when a CSV file can't be opened or read.
public struct CSVReadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path of the file.
    public var path: String
    /// What went wrong, usually the system's message for `errno`.
    public var reason: String

    /// An error about the file at `path`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// A sentence naming the file and the reason.
    public var description: String { "cannot read CSV file \(path): \(reason)" }
}

/// A streaming RFC 4180 reader of UTF-8 CSV, one record at a time, in memory bounded by the chunk size plus the
/// longest record.
///
/// - A UTF-8 byte order mark at the very start is skipped.
/// - Records end with CRLF, LF or a lone CR; the last one may lack a line end.
/// - Empty lines (no byte at all between two line ends) are skipped and not numbered; `""` is a record with one
///   empty field.
/// - A double quote inside an unquoted field is kept as an ordinary character.
/// - A record with a problem (see ``CSVRecord/problem``) is still returned, and reading goes on with the next one.
public final class CSVReader {
    static let defaultChunkSize = 1 << 20

    private enum State { case fieldStart, unquoted, quoted, quoteSeen, afterQuote }

    private let path: String
    private let descriptor: Int32
    private let memory: [UInt8]
    private var memoryOffset = 0
    private let chunkSize: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes held in `buffer`.
    private var count = 0
    /// Bytes read from the input so far (the buffer's unread part included).
    private var received = 0
    /// The next byte to look at in `buffer`.
    private var pos = 0
    private var atEOF = false
    private var checkedBOM = false
    private var lastRow = 0
    private var fieldCountHint = 0
    private var scratch: [UInt8] = []

    /// A reader of the file at `path`; throws ``CSVReadError`` when it can't be opened.
    public convenience init(path: String) throws {
        try self.init(path: path, chunkSize: Self.defaultChunkSize)
    }

    /// A reader of the file at `path` that reads `chunkSize` bytes at a time.
    init(path: String, chunkSize: Int) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw CSVReadError(path: path, reason: String(cString: strerror(errno)))
        }
        self.path = path
        self.descriptor = descriptor
        self.memory = []
        self.chunkSize = max(1, chunkSize)
        self.capacity = 2 * self.chunkSize
        self.buffer = .allocate(capacity: capacity)
    }

    /// A reader of CSV text already in memory.
    public convenience init(bytes: [UInt8]) {
        self.init(bytes: bytes, chunkSize: Self.defaultChunkSize)
    }

    /// A reader of CSV text in memory that hands it to the parser `chunkSize` bytes at a time (for tests).
    init(bytes: [UInt8], chunkSize: Int) {
        self.path = "(memory)"
        self.descriptor = -1
        self.memory = bytes
        self.chunkSize = max(1, chunkSize)
        self.capacity = 2 * self.chunkSize
        self.buffer = .allocate(capacity: capacity)
    }

    /// The bytes of the input the records read so far came from (for progress: compare with the file's size).
    public var bytesConsumed: Int { received - (count - pos) }

    /// The bytes the reader's buffer can hold now (for tests of its memory use).
    var bufferCapacity: Int { capacity }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        buffer.deallocate()
    }

    /// The next record, or nil at the end of the input; throws ``CSVReadError`` only on I/O errors.
    public func next() throws -> CSVRecord? {
        if !checkedBOM { try skipBOM() }
        // Line ends left by the previous record and empty lines.
        while true {
            if pos == count {
                if atEOF { return nil }
                try refill(keepingFrom: pos)
                continue
            }
            let byte = buffer[pos]
            guard byte == CSVByte.lf || byte == CSVByte.cr else { break }
            pos += 1
        }
        var fields: [String] = []
        fields.reserveCapacity(fieldCountHint)
        var problem: String?
        var state = State.fieldStart
        var fieldStart = pos
        var escaped = false  // the field has doubled quotes or text after its closing quote
        record: while true {
            if pos == count {
                if !atEOF {
                    fieldStart -= try refill(keepingFrom: fieldStart)
                    continue
                }
                switch state {
                case .fieldStart:
                    fields.append("")
                case .unquoted:
                    fields.append(string(fieldStart, pos, fields.count + 1, &problem))
                case .quoted:
                    if problem == nil { problem = "unterminated quoted field" }
                    fields.append(quotedString(fieldStart, pos, escaped, fields.count + 1, &problem))
                case .quoteSeen, .afterQuote:
                    fields.append(quotedString(fieldStart, pos, escaped, fields.count + 1, &problem))
                }
                break record
            }
            switch state {
            case .fieldStart:
                if buffer[pos] == CSVByte.quote {
                    pos += 1
                    state = .quoted
                    escaped = false
                } else {
                    state = .unquoted
                }
                fieldStart = pos
            case .unquoted, .afterQuote:
                let end = scanToDelimiter(from: pos)
                pos = end
                if end == count { continue }
                if state == .unquoted {
                    fields.append(string(fieldStart, end, fields.count + 1, &problem))
                } else {
                    fields.append(quotedString(fieldStart, end, escaped, fields.count + 1, &problem))
                }
                pos += 1
                if buffer[end] != CSVByte.comma { break record }
                state = .fieldStart
                fieldStart = pos
            case .quoted:
                let remaining = count - pos
                guard let found = memchr(buffer + pos, Int32(CSVByte.quote), remaining) else {
                    pos = count
                    continue
                }
                pos = UnsafeMutableRawPointer(buffer).distance(to: found) + 1
                state = .quoteSeen
            case .quoteSeen:
                let byte = buffer[pos]
                if byte == CSVByte.quote {
                    escaped = true
                    pos += 1
                    state = .quoted
                } else if byte == CSVByte.comma || byte == CSVByte.cr || byte == CSVByte.lf {
                    fields.append(quotedString(fieldStart, pos, escaped, fields.count + 1, &problem))
                    pos += 1
                    if byte != CSVByte.comma { break record }
                    state = .fieldStart
                    fieldStart = pos
                } else {
                    if problem == nil {
                        problem = "unexpected character after closing quote in field \(fields.count + 1)"
                    }
                    escaped = true
                    state = .afterQuote
                }
            }
        }
        lastRow += 1
        fieldCountHint = fields.count
        return CSVRecord(row: lastRow, fields: fields, problem: problem)
    }

    /// The index of the first comma, CR or LF at or after `start`, or `count` when there is none.
    private func scanToDelimiter(from start: Int) -> Int {
        let bytes = buffer
        let end = count
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte <= CSVByte.comma && (byte == CSVByte.comma || byte == CSVByte.lf || byte == CSVByte.cr) { break }
            index += 1
        }
        return index
    }

    /// The field whose content (after its opening quote) spans `start..<end` of the buffer.
    private func quotedString(_ start: Int, _ end: Int, _ escaped: Bool, _ field: Int, _ problem: inout String?)
        -> String
    {
        if !escaped {
            // Nothing but the closing quote (absent if unterminated) to drop.
            let contentEnd = end > start && buffer[end - 1] == CSVByte.quote ? end - 1 : end
            return string(start, contentEnd, field, &problem)
        }
        scratch.removeAll(keepingCapacity: true)
        var inQuotes = true
        var index = start
        while index < end {
            let byte = buffer[index]
            index += 1
            if inQuotes && byte == CSVByte.quote {
                if index < end && buffer[index] == CSVByte.quote {
                    index += 1
                } else {
                    inQuotes = false
                    continue
                }
            }
            scratch.append(byte)
        }
        return scratch.withUnsafeBufferPointer { decode($0, field, &problem) }
    }

    /// The bytes `start..<end` of the buffer as a string.
    private func string(_ start: Int, _ end: Int, _ field: Int, _ problem: inout String?) -> String {
        decode(UnsafeBufferPointer(start: buffer + start, count: end - start), field, &problem)
    }

    /// `bytes` decoded as UTF-8, noting a problem in field number `field` when they are not valid.
    private func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ field: Int, _ problem: inout String?) -> String {
        if Self.isValidUTF8(bytes) { return String(decoding: bytes, as: UTF8.self) }
        if problem == nil { problem = "invalid UTF-8 in field \(field)" }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `bytes` are well-formed UTF-8 (Unicode table 3-7: no overlongs, surrogates or values past U+10FFFF).
    /// Faster than `String(validating:as:)`, which instantiates generic metadata on every call.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        var index = 0
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return true }
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                // Skip ASCII eight bytes at a time.
                while count - index >= 8
                    && base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                        & 0x8080_8080_8080_8080 == 0
                {
                    index += 8
                }
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF:
                length = 3
                if lead == 0xE0 { low = 0xA0 } else if lead == 0xED { high = 0x9F }
            case 0xF0...0xF4:
                length = 4
                if lead == 0xF0 { low = 0x90 } else if lead == 0xF4 { high = 0x8F }
            default: return false
            }
            guard count - index >= length else { return false }
            let second = bytes[index + 1]
            guard second >= low && second <= high else { return false }
            if length > 2 && bytes[index + 2] & 0xC0 != 0x80 { return false }
            if length > 3 && bytes[index + 3] & 0xC0 != 0x80 { return false }
            index += length
        }
        return true
    }

    /// Skips a UTF-8 byte order mark at the start of the input.
    private func skipBOM() throws {
        while count - pos < 3 && !atEOF { try refill(keepingFrom: pos) }
        if count - pos >= 3 && buffer[pos] == 0xEF && buffer[pos + 1] == 0xBB && buffer[pos + 2] == 0xBF {
            pos += 3
        }
        checkedBOM = true
    }

    /// Drops the bytes before `keep`, then appends the next chunk of input (or sets `atEOF`).
    /// Returns how far the kept bytes moved towards the front, for the caller to adjust its offsets.
    @discardableResult
    private func refill(keepingFrom keep: Int) throws -> Int {
        let kept = count - keep
        if keep > 0 && kept > 0 { memmove(buffer, buffer + keep, kept) }
        count = kept
        pos -= keep
        if capacity - count < chunkSize {
            let newCapacity = max(2 * capacity, count + chunkSize)
            let newBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newBuffer.update(from: buffer, count: count)
            buffer.deallocate()
            buffer = newBuffer
            capacity = newCapacity
        }
        let chunk = try readChunk(into: buffer + count)
        if chunk == 0 { atEOF = true }
        count += chunk
        received += chunk
        return keep
    }

    /// Reads up to `chunkSize` bytes into `target`; returns how many came (0 at end of input).
    private func readChunk(into target: UnsafeMutablePointer<UInt8>) throws -> Int {
        if descriptor < 0 {
            let size = min(chunkSize, memory.count - memoryOffset)
            guard size > 0 else { return 0 }
            memory.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }
                target.update(from: base + memoryOffset, count: size)
            }
            memoryOffset += size
            return size
        }
        while true {
            let received = read(descriptor, target, chunkSize)
            if received >= 0 { return received }
            if errno != EINTR { throw CSVReadError(path: path, reason: String(cString: strerror(errno))) }
        }
    }
}

@available(*, unavailable, message: "A CSVReader is used from one thread.")
extension CSVReader: Sendable {}

/// The bytes that matter to CSV.
enum CSVByte {
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let quote = UInt8(ascii: "\"")
    static let comma = UInt8(ascii: ",")
}
