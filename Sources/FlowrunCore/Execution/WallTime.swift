#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in wall-clock time (seconds and nanoseconds since the Unix epoch), for timestamps.
public struct WallTime: Sendable, Hashable {
    public var seconds: Int
    public var nanoseconds: Int

    public init(seconds: Int, nanoseconds: Int) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// The current wall-clock time.
    public static func now() -> WallTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return WallTime(seconds: Int(spec.tv_sec), nanoseconds: Int(spec.tv_nsec))
    }

    /// This time moved by `offset`.
    public func adding(_ offset: Duration) -> WallTime {
        let (s, atto) = offset.components
        var nanos = nanoseconds + Int(atto / 1_000_000_000)
        var secs = seconds + Int(s)
        if nanos >= 1_000_000_000 { nanos -= 1_000_000_000; secs += 1 }
        if nanos < 0 { nanos += 1_000_000_000; secs -= 1 }
        return WallTime(seconds: secs, nanoseconds: nanos)
    }
}
