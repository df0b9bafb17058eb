import CDragnetZlib

// A module of its own, shared by the sync client (which compresses request bodies) and the central server (which
// inflates them with `Gzip.decompress`), which never import each other.

/// gzip compression (RFC 1952) over zlib, for request and response bodies.
public enum Gzip {
    /// The output is produced in pieces of this many bytes.
    private static let chunkSize = 64 * 1024
    /// zlib counts input in 32-bit integers, so larger input is fed in slices of this size.
    private static let maxInputSlice = 1 << 30

    /// `bytes` compressed into one gzip member at zlib's default level.
    public static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        let initStatus = dragnet_deflate_init_gzip(&stream, Z_DEFAULT_COMPRESSION)
        guard initStatus == Z_OK else { throw GzipError(.zlib, "zlib could not start compressing (\(initStatus))") }
        defer { deflateEnd(&stream) }

        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 2 + 64)
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        try bytes.withUnsafeBufferPointer { input in
            var offset = 0
            while true {
                let slice = min(input.count - offset, maxInputSlice)
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0 + offset })
                stream.avail_in = uInt(slice)
                offset += slice
                let flush = offset == input.count ? Z_FINISH : Z_NO_FLUSH
                var status: Int32 = Z_OK
                repeat {
                    status = chunk.withUnsafeMutableBufferPointer { buffer in
                        stream.next_out = buffer.baseAddress
                        stream.avail_out = uInt(buffer.count)
                        return deflate(&stream, flush)
                    }
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        throw GzipError(.zlib, "zlib failed while compressing (\(status))")
                    }
                    output.append(contentsOf: chunk[0..<(chunkSize - Int(stream.avail_out))])
                } while stream.avail_out == 0
                if flush == Z_FINISH {
                    guard status == Z_STREAM_END else {
                        throw GzipError(.zlib, "zlib did not finish compressing (\(status))")
                    }
                    return
                }
            }
        }
        return output
    }

    /// The bytes that the gzip data `bytes` encode, one member or several in a row.
    ///
    /// Throws `GzipError` with code `.tooLarge` as soon as the output would exceed `limit` bytes, so a small
    /// "gzip bomb" cannot exhaust memory, and `.corrupt` when `bytes` is not gzip data, is damaged or is cut short.
    public static func decompress(_ bytes: [UInt8], limit: Int) throws -> [UInt8] {
        guard !bytes.isEmpty else { throw GzipError(.corrupt, "the gzip data is empty") }
        var stream = z_stream()
        let initStatus = dragnet_inflate_init_gzip(&stream)
        guard initStatus == Z_OK else { throw GzipError(.zlib, "zlib could not start decompressing (\(initStatus))") }
        defer { inflateEnd(&stream) }

        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        try bytes.withUnsafeBufferPointer { input in
            var offset = 0
            var outputWasFull = false
            while true {
                // zlib may hold output back when the last piece filled up; then it needs no new input to go on.
                if stream.avail_in == 0 && !outputWasFull {
                    guard offset < input.count else {
                        throw GzipError(.corrupt, "the gzip data ends before its end marker (truncated?)")
                    }
                    let slice = min(input.count - offset, maxInputSlice)
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0 + offset })
                    stream.avail_in = uInt(slice)
                    offset += slice
                }
                let status = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunkSize - Int(stream.avail_out)
                outputWasFull = stream.avail_out == 0
                guard produced <= limit - output.count else {
                    throw GzipError(.tooLarge, "the gzip data expands to more than the limit of \(limit) bytes")
                }
                output.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    continue  // zlib wants more input; the top of the loop supplies it or reports truncation
                case Z_STREAM_END:
                    // Another gzip member may follow this one (RFC 1952 allows several in a row).
                    guard stream.avail_in > 0 || offset < input.count else { return }
                    guard inflateReset(&stream) == Z_OK else {
                        throw GzipError(.zlib, "zlib could not start the next gzip member")
                    }
                case Z_DATA_ERROR, Z_NEED_DICT:
                    let reason = stream.msg.map { String(cString: $0) } ?? "invalid data"
                    throw GzipError(.corrupt, "the data is not valid gzip: \(reason)")
                case Z_MEM_ERROR:
                    throw GzipError(.zlib, "zlib ran out of memory while decompressing")
                default:
                    throw GzipError(.zlib, "zlib failed while decompressing (\(status))")
                }
            }
        }
        return output
    }
}

/// A failure to compress or decompress gzip data.
public struct GzipError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What went wrong.
    public enum Code: Sendable, Equatable {
        /// The input is not gzip data, is damaged or is cut short.
        case corrupt
        /// The decompressed data would exceed the limit given.
        case tooLarge
        /// zlib itself failed (out of memory, or an unexpected status).
        case zlib
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for a person.
    public var message: String

    /// An error with `code` and `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
