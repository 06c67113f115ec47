extension Workflow {
    /// One step of a task's `steps:`; steps run one after another in the task's attempt.
    public struct Step: Sendable {
        /// What a step does: a command or a built-in sleep.
        public enum Action: Sendable {
            case run(Template)
            case sleep(Duration)
        }

        public var name: String
        public var location: SourceLocation
        public var action: Action
        /// Added on top of the task's environment; a later entry wins.
        public var environment: [EnvironmentEntry]
        /// Overrides the task's working directory when set.
        public var workingDirectory: Template?
        public var timeout: Duration?
        public var continueOnError: Bool
        /// `if:`; nil is `success()` (no earlier step of the attempt failed).
        public var condition: Condition?

        public init(
            name: String, location: SourceLocation, action: Action, environment: [EnvironmentEntry] = [],
            workingDirectory: Template? = nil, timeout: Duration? = nil, continueOnError: Bool = false
        ) {
            self.name = name
            self.location = location
            self.action = action
            self.environment = environment
            self.workingDirectory = workingDirectory
            self.timeout = timeout
            self.continueOnError = continueOnError
        }
    }
}
