import Synchronization

/// Lets async code wait, without holding a thread, for a callback that says
/// a process ended (`Process.terminationHandler`), with a time limit.
final class ExitWaiter: Sendable {
    private struct State {
        var ended = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Marks the end and wakes every waiter.
    func signal() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.ended = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    var ended: Bool { state.withLock { $0.ended } }

    /// Waits until `signal` was called or `limit` passed; returns whether it was called.
    func wait(atMost limit: Duration) async -> Bool {
        let timer = Task {
            try? await Task.sleep(for: limit)
            signalTimeout()
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.ended { return true }
                state.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
        timer.cancel()
        return ended
    }

    /// Wakes the waiters without marking the end.
    private func signalTimeout() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
