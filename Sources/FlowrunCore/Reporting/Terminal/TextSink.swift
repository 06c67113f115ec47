#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where reporters write text; the only way the core library produces output.
public protocol TextSink: Sendable {
    /// Writes `text` whole: concurrent writes never interleave within one call.
    func write(_ text: String)
    /// Writes UTF-8 `bytes` whole, like `write(_:)`; for output copied as read.
    func write(bytes: [UInt8])
}

extension TextSink {
    public func write(bytes: [UInt8]) {
        write(String(decoding: bytes, as: UTF8.self))
    }
}

/// Writes to a file descriptor (stdout, stderr, a report file).
///
/// A closed reader (EPIPE, e.g. `flowrun … | head -1`) is not an error here:
/// the sink goes quiet and `isBroken` turns true so the caller can end the run.
/// SIGPIPE itself must be ignored by the process (the CLI does that).
public final class FileDescriptorSink: TextSink {
    private let fd: CInt
    private let broken = Mutex(false)

    public init(fd: CInt) {
        self.fd = fd
    }

    /// The process's standard output.
    public static let standardOutput = FileDescriptorSink(fd: 1)
    /// The process's standard error.
    public static let standardError = FileDescriptorSink(fd: 2)

    /// The descriptor written to.
    var descriptor: CInt { fd }

    /// True once a write failed (the reader went away).
    public var isBroken: Bool { broken.withLock { $0 } }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { write($0) }
    }

    public func write(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { write($0) }
    }

    private func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !bytes.isEmpty else { return }
        broken.withLock { isBroken in
            guard !isBroken else { return }
            do {
                var offset = 0
                while offset < bytes.count {
                    let written = Self.systemWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        isBroken = true
                        return
                    }
                }
            }
        }
    }

    private static func systemWrite(_ fd: CInt, _ pointer: UnsafePointer<UInt8>, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(fd, pointer, count)
        #else
        Darwin.write(fd, pointer, count)
        #endif
    }
}

/// Collects text in memory (tests, or building a report to write elsewhere).
public final class StringSink: TextSink {
    private let storage = Mutex("")

    public init() {}

    public func write(_ text: String) { storage.withLock { $0 += text } }

    /// Everything written so far.
    public var text: String { storage.withLock { $0 } }
}

/// A text written piece by piece into a sink in chunks of whole lines, about
/// 64 KiB each, never held whole (a 100,000-task report is 4 MB). `finish`
/// writes what is left.
struct TextSinkStream: TextOutputStream {
    static let chunkSize = 64 << 10
    private let sink: any TextSink
    private var pending = ""

    init(_ sink: any TextSink) {
        self.sink = sink
        pending.reserveCapacity(Self.chunkSize + 4096)
    }

    mutating func write(_ text: String) {
        pending += text
        // Only at a line's end, so that each write to the sink is whole lines.
        if pending.utf8.count >= Self.chunkSize, pending.utf8.last == 0x0A { flush() }
    }

    mutating func finish() { flush() }

    private mutating func flush() {
        guard !pending.isEmpty else { return }
        sink.write(pending)
        pending.removeAll(keepingCapacity: true)
    }
}
