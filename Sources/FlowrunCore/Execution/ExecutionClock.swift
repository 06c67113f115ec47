/// The time source of a run: the current time and sleeps on it. Injected so
/// that executor tests can move time by hand instead of waiting for it.
///
/// Times are offsets from an origin of the clock's choosing; the executor
/// only subtracts them.
public protocol ExecutionClock: Sendable {
    /// The current time, as an offset from the clock's origin.
    var now: Duration { get }

    /// Returns once `now >= deadline`.
    /// - Throws: `CancellationError` when the calling task is cancelled first.
    func sleep(until deadline: Duration) async throws
}

extension ExecutionClock {
    /// Returns after `duration` has passed on this clock.
    /// - Throws: `CancellationError` when the calling task is cancelled first.
    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now + duration)
    }
}

/// Real time: `ContinuousClock`, which keeps counting while the machine sleeps.
public struct SystemClock: ExecutionClock {
    private let origin = ContinuousClock.now

    public init() {}

    public var now: Duration { ContinuousClock.now - origin }

    public func sleep(until deadline: Duration) async throws {
        try await Task.sleep(until: origin + deadline, clock: .continuous)
    }
}
