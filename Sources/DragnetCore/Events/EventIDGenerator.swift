import Foundation

/// Makes time-ordered event ids (UUID version 7, RFC 9562, with a 12-bit counter for ids made in the same
/// millisecond), so that events recorded together keep their order when the fold breaks ties by id.
public struct EventIDGenerator: Sendable {
    private var lastMillisecond: Int64 = -1
    private var counter: UInt16 = 0
    private var generator = SystemRandomNumberGenerator()

    public init() {}

    /// A new id later than every id this generator made before, for a clock reading of `now`.
    public mutating func next(now: Timestamp) -> UUID {
        var millis = now.milliseconds
        if millis <= lastMillisecond {
            millis = lastMillisecond
            counter &+= 1
            if counter > 0x0FFF {
                millis += 1
                counter = 0
            }
        } else {
            counter = 0
        }
        lastMillisecond = millis
        let random = generator.next() as UInt64
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: millis >> (40 - 8 * i)) }
        bytes[6] = 0x70 | UInt8(counter >> 8)
        bytes[7] = UInt8(truncatingIfNeeded: counter)
        bytes[8] = 0x80 | UInt8(truncatingIfNeeded: random & 0x3F)
        for i in 9..<16 { bytes[i] = UInt8(truncatingIfNeeded: random >> (8 * (i - 8))) }
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
