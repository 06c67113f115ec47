/// Decides, just before a task would start, whether its stored success can
/// stand for running it; and learns of each success. The executor's only
/// view of fingerprints and the state folder (`StateTaskCache` is the real one).
public protocol TaskCache: Sendable {
    /// The task's fingerprint from its inputs (every run-time template filled),
    /// and a stored success to use instead of running it, if there is one.
    func check(_ task: PlannedTask, inputs: FingerprintInput) -> TaskCacheDecision
    /// Called once for each task that succeeded, with the fingerprint `check` gave it;
    /// `result` and `outputs` are masked as the reports show them.
    func recordSuccess(_ task: PlannedTask, fingerprint: Fingerprint, result: String?, outputs: [TaskOutput])
    /// True when `check` could never reuse a success for `task` and its fingerprint reads no
    /// file: then it is checked only once the task succeeded (the same fingerprint: its
    /// templates read earlier stages only), and nothing is kept for it while it runs.
    func checksAtSuccess(_ task: PlannedTask) -> Bool
    /// For such a task, once it started (after the stage loop started all it could, so
    /// that no SHA-256 sits between two starts), before its end is handled: its fingerprint
    /// made while the stage waits (not in the rush of successes), and kept where its
    /// success will be recorded; a token for `recordSuccess(token:…)`, or nil to be
    /// checked at its success instead.
    func prepareSuccess(_ task: PlannedTask, inputs: FingerprintInput) -> Int?
    /// The success of a task `prepareSuccess` gave `token`.
    func recordSuccess(token: Int, task: PlannedTask, result: String?, outputs: [TaskOutput])
}

extension TaskCache {
    public func checksAtSuccess(_ task: PlannedTask) -> Bool { false }
    public func prepareSuccess(_ task: PlannedTask, inputs: FingerprintInput) -> Int? { nil }
    public func recordSuccess(token: Int, task: PlannedTask, result: String?, outputs: [TaskOutput]) {}
}

/// What `TaskCache.check` found.
public struct TaskCacheDecision: Sendable {
    /// A stored success used in place of running the task.
    public struct Reuse: Sendable, Hashable {
        public var reason: TaskReason
        public var result: String?
        /// By name; the executor restores them in the task's declared order.
        public var outputs: [String: String]

        public init(reason: TaskReason, result: String?, outputs: [String: String] = [:]) {
            self.reason = reason
            self.result = result
            self.outputs = outputs
        }
    }

    public var fingerprint: Fingerprint
    public var reuse: Reuse?

    public init(fingerprint: Fingerprint, reuse: Reuse? = nil) {
        self.fingerprint = fingerprint
        self.reuse = reuse
    }
}
