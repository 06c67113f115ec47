#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFlowrunShims

/// Readiness of descriptors for `ProcessEventLoop`: epoll on Linux
/// (level-triggered), `poll` elsewhere. Used by the loop's thread only.
///
/// A descriptor is removed *before* it is closed: a sibling's child that has
/// not exec'd yet may still hold a copy, and epoll would go on reporting it.
struct LoopPoller {
    #if os(Linux)
    private let epoll: CInt
    private let tokens: UnsafeMutablePointer<UInt64>
    private static let capacity: CInt = 256

    init() {
        epoll = flowrun_epoll_create()
        precondition(epoll >= 0, "epoll_create1 failed: \(errno)")
        tokens = .allocate(capacity: Int(Self.capacity))
    }

    func add(_ fd: CInt, token: UInt64) {
        _ = flowrun_epoll_add(epoll, fd, token)
    }

    func remove(_ fd: CInt) {
        _ = flowrun_epoll_remove(epoll, fd)
    }

    /// Waits at most `timeout` milliseconds (-1: no limit); `ready` gets the ready tokens.
    func wait(timeout: CInt, into ready: inout [UInt64]) {
        ready.removeAll(keepingCapacity: true)
        let count = flowrun_epoll_wait(epoll, tokens, Self.capacity, timeout)
        guard count > 0 else { return }
        for index in 0..<Int(count) { ready.append(tokens[index]) }
    }
    #else
    private var watched: [CInt: UInt64] = [:]
    private var fds: [pollfd] = []

    init() {}

    mutating func add(_ fd: CInt, token: UInt64) { watched[fd] = token }

    mutating func remove(_ fd: CInt) { watched[fd] = nil }

    mutating func wait(timeout: CInt, into ready: inout [UInt64]) {
        ready.removeAll(keepingCapacity: true)
        fds.removeAll(keepingCapacity: true)
        for fd in watched.keys { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
        let count = poll(&fds, nfds_t(fds.count), timeout)
        guard count > 0 else { return }
        for entry in fds where entry.revents != 0 {
            if let token = watched[entry.fd] { ready.append(token) }
        }
    }
    #endif
}
