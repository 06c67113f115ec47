import Synchronization

/// Holds the run's task so that a signal, or a closed stdout, can cancel it
/// even when it arrives before the task exists.
public final class RunControl: Sendable {
    private struct State {
        var task: Task<RunResult, Never>?
        var cancelled = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Runs `body` in a task that `cancel()` cancels, and returns its result.
    public func run(_ body: @escaping @Sendable () async -> RunResult) async -> RunResult {
        let task = Task { await body() }
        let cancelNow = state.withLock { state -> Bool in
            state.task = task
            return state.cancelled
        }
        if cancelNow { task.cancel() }
        return await task.value
    }

    /// Cancels the run, now or as soon as it starts.
    public func cancel() {
        let task = state.withLock { state -> Task<RunResult, Never>? in
            state.cancelled = true
            return state.task
        }
        task?.cancel()
    }
}
