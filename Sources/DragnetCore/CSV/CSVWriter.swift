import Foundation

/// The error thrown when CSV output can't be written.
public struct CSVWriteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path of the file, or a name such as `standard output`.
    public var path: String
    /// What went wrong, usually the system's message for `errno`.
    public var reason: String

    /// An error about the output named `path`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// A sentence naming the output and the reason.
    public var description: String { "cannot write CSV file \(path): \(reason)" }
}

/// Builds RFC 4180 CSV text: one record a line, CRLF line ends, a field quoted only when it contains a comma,
/// a double quote, CR or LF (quotes doubled inside).
///
/// A record of one empty field is written `""` so that it is not an empty line, which readers skip; an empty
/// record is written as an empty line. Output to a file or handle is buffered: call ``finish()`` at the end to
/// see any error (else the rest is flushed, errors ignored, when the writer is released).
/// Copies of a writer share its buffer and output.
public struct CSVWriter {
    static let defaultFlushThreshold = 1 << 20

    private let storage: Storage

    /// A writer that keeps the text in memory; read it with ``bytes`` or ``text``.
    public init(byteOrderMark: Bool = false) {
        storage = Storage(descriptor: nil, name: "memory", owned: false, flushThreshold: .max)
        if byteOrderMark { storage.appendBOM() }
    }

    /// A writer to an open handle (e.g. `FileHandle.standardOutput`), flushed about every MiB; the handle is not
    /// closed.
    public init(output: FileHandle, byteOrderMark: Bool = false) {
        storage = Storage(
            descriptor: output.fileDescriptor, name: "output", owned: false,
            flushThreshold: Self.defaultFlushThreshold)
        if byteOrderMark { storage.appendBOM() }
    }

    /// A writer that creates (or empties) the file at `path`; throws ``CSVWriteError`` when it can't.
    public init(path: String, byteOrderMark: Bool = false) throws {
        try self.init(path: path, byteOrderMark: byteOrderMark, flushThreshold: Self.defaultFlushThreshold)
    }

    /// A writer to the file at `path` that flushes once `flushThreshold` bytes are buffered.
    init(path: String, byteOrderMark: Bool = false, flushThreshold: Int) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CSVWriteError(path: path, reason: String(cString: strerror(errno)))
        }
        storage = Storage(descriptor: descriptor, name: path, owned: true, flushThreshold: flushThreshold)
        if byteOrderMark { storage.appendBOM() }
    }

    /// The text written and not yet flushed: all of it for an in-memory writer.
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: storage.base, count: storage.count)) }

    /// ``bytes`` as a string.
    public var text: String {
        String(decoding: UnsafeBufferPointer(start: storage.base, count: storage.count), as: UTF8.self)
    }

    /// Appends one record; throws ``CSVWriteError`` when a flush to the output fails.
    public mutating func write(_ fields: [String]) throws {
        if fields.count == 1 && fields[0].isEmpty {
            storage.append(CSVByte.quote, CSVByte.quote)
        } else {
            var first = true
            for field in fields {
                if !first { storage.append(CSVByte.comma) }
                first = false
                if let _: Void = field.utf8.withContiguousStorageIfAvailable({ storage.append(field: $0) }) {
                    continue
                }
                var copy = field
                copy.withUTF8 { storage.append(field: $0) }
            }
        }
        storage.append(CSVByte.cr, CSVByte.lf)
        if storage.count >= storage.flushThreshold { try storage.flush() }
    }

    /// Writes out what is buffered, and closes the file if the writer opened it; an in-memory writer keeps its text.
    public mutating func finish() throws {
        guard storage.descriptor != nil else { return }
        try storage.flush()
        try storage.close()
    }

    /// Writes the buffered bytes to the output (nothing for an in-memory writer).
    public mutating func flush() throws {
        try storage.flush()
    }

    /// The CSV text of `records`, each ended by CRLF.
    public static func encode(_ records: [[String]]) -> String {
        var writer = CSVWriter()
        for record in records { try? writer.write(record) }  // an in-memory writer doesn't throw
        return writer.text
    }

    /// The buffer, and the file descriptor it is flushed to with `write(2)` (closed when released if owned).
    private final class Storage {
        private(set) var base: UnsafeMutablePointer<UInt8>
        private(set) var count = 0
        private var capacity: Int
        let descriptor: Int32?
        let name: String
        let flushThreshold: Int
        private var owned: Bool
        private var closed = false

        init(descriptor: Int32?, name: String, owned: Bool, flushThreshold: Int) {
            self.descriptor = descriptor
            self.name = name
            self.owned = owned
            self.flushThreshold = max(1, flushThreshold)
            capacity = min(self.flushThreshold, CSVWriter.defaultFlushThreshold) + 4096
            base = .allocate(capacity: capacity)
        }

        deinit {
            if !closed { try? flush() }
            if owned, let descriptor { _ = Foundation.close(descriptor) }
            base.deallocate()
        }

        func appendBOM() {
            reserve(3)
            (base + count).initialize(from: [0xEF, 0xBB, 0xBF], count: 3)
            count += 3
        }

        /// Makes room for `extra` more bytes.
        @inline(__always)
        private func reserve(_ extra: Int) {
            if capacity - count < extra { grow(count + extra) }
        }

        private func grow(_ needed: Int) {
            let newCapacity = max(2 * capacity, needed)
            let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newBase.initialize(from: base, count: count)
            base.deallocate()
            base = newBase
            capacity = newCapacity
        }

        func append(_ byte: UInt8) {
            reserve(1)
            base[count] = byte
            count += 1
        }

        func append(_ first: UInt8, _ second: UInt8) {
            reserve(2)
            base[count] = first
            base[count + 1] = second
            count += 2
        }

        /// Appends a field's UTF-8 bytes, quoted if needed.
        func append(field bytes: UnsafeBufferPointer<UInt8>) {
            reserve(2 * bytes.count + 2)  // room for every byte doubled and two quotes
            var needsQuotes = false
            for byte in bytes where byte <= CSVByte.comma {
                if byte == CSVByte.comma || byte == CSVByte.quote || byte == CSVByte.cr || byte == CSVByte.lf {
                    needsQuotes = true
                    break
                }
            }
            guard let source = bytes.baseAddress else { return }
            var out = base + count
            if !needsQuotes {
                out.initialize(from: source, count: bytes.count)
                count += bytes.count
                return
            }
            out.pointee = CSVByte.quote
            out += 1
            for byte in bytes {
                out.pointee = byte
                out += 1
                if byte == CSVByte.quote {
                    out.pointee = CSVByte.quote
                    out += 1
                }
            }
            out.pointee = CSVByte.quote
            count = base.distance(to: out) + 1
        }

        func flush() throws {
            guard let descriptor, count > 0 else { return }
            guard !closed else { throw CSVWriteError(path: name, reason: "the writer was already finished") }
            var offset = 0
            while offset < count {
                let written = Foundation.write(descriptor, base + offset, count - offset)
                if written >= 0 {
                    offset += written
                } else if errno != EINTR {
                    throw CSVWriteError(path: name, reason: String(cString: strerror(errno)))
                }
            }
            count = 0
        }

        func close() throws {
            closed = true
            guard owned, let descriptor else { return }
            owned = false
            if Foundation.close(descriptor) != 0 {
                throw CSVWriteError(path: name, reason: String(cString: strerror(errno)))
            }
        }
    }
}
