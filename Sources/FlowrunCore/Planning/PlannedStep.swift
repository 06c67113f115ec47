/// A step of a planned task, with the task's environment and directory applied.
public struct PlannedStep: Sendable {
    public var name: String
    /// `.run` or `.sleep`; never `.steps`.
    public var action: PlannedTask.Action
    /// The task's environment with the step's own entries applied (a later entry wins).
    public var environment: [PlannedTask.EnvironmentVariable]
    public var workingDirectory: PlannedText
    public var timeout: Duration?
    public var continueOnError: Bool
    /// `if:` with plan-time values filled in; nil is `success()` (no earlier step failed).
    public var condition: Condition?
    /// `if:` as written, for `plan` (`Condition.text` of the unresolved tree).
    public var conditionText: String?

    public init(
        name: String, action: PlannedTask.Action, environment: [PlannedTask.EnvironmentVariable] = [],
        workingDirectory: PlannedText = PlannedText(literal: "."), timeout: Duration? = nil, continueOnError: Bool = false
    ) {
        self.name = name
        self.action = action
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeout = timeout
        self.continueOnError = continueOnError
    }
}
