import Synchronization

/// Where an interrupted run's clean-up stages run (`if: always()` or
/// `cancelled()` after the first SIGINT/SIGTERM), and what ends them.
///
/// The interrupt cancels the run's task for good, so clean-up stages cannot
/// run under it: each runs in a task of its own that only `end()` (the
/// second interrupt) cancels. Once ended, clean-up that has not started yet
/// does not start.
public final class CleanupScope: Sendable {
    private struct State {
        var cancels: [Int: @Sendable () -> Void] = [:]
        var nextKey = 0
        var ended = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Whether `end()` was called.
    public var isEnded: Bool { state.withLock { $0.ended } }

    /// Cancels the clean-up that runs now, and all that would start later.
    public func end() {
        let cancels = state.withLock { state -> [@Sendable () -> Void] in
            state.ended = true
            return Array(state.cancels.values)
        }
        for cancel in cancels { cancel() }
    }

    /// Runs `body` in a task that the caller's cancellation does not reach and `end()` does.
    func run<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        let task = Task { await body() }
        let (key, endedAlready) = state.withLock { state -> (Int, Bool) in
            let key = state.nextKey
            state.nextKey += 1
            state.cancels[key] = { task.cancel() }
            return (key, state.ended)
        }
        if endedAlready { task.cancel() }
        let value = await task.value
        _ = state.withLock { $0.cancels.removeValue(forKey: key) }
        return value
    }
}
