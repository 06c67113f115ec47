/// A checked workflow: every name resolved, every value typed, defaults applied.
///
/// Built only by `Validator`; holding a `Workflow` means the file was valid.
public struct Workflow: Sendable {
    public var name: String
    public var description: String?
    public var variables: [Variable]
    public var environment: [EnvironmentEntry]
    public var secrets: [String]
    public var maxParallel: Int?
    public var stages: [Stage]
    /// The folder task working directories are relative to.
    public var directory: String
    /// `dotenv:` files, in order (a later one wins).
    public var dotenvFiles: [DotenvFile] = []
    /// The variables the dotenv files set, read by `WorkflowLoader`; flowrun's
    /// own environment wins over them.
    public var dotenv: [String: String] = [:]
    /// `- include:` entries of `stages:`; empty once `IncludeExpander` has inserted their stages.
    public var includes: [Include] = []

    /// A `dotenv:` entry.
    public struct DotenvFile: Sendable {
        /// As written: relative to the workflow's folder unless absolute.
        public var path: String
        public var required: Bool
        public var location: SourceLocation
    }
    /// `executor:`; nil when the file names none (local, unless the command line says otherwise).
    public var executor: ExecutorSettings? = nil
    /// Where `executor:` is, for errors found when the cluster is asked (an unknown partition).
    public var executorLocation: SourceLocation? = nil

    /// A `vars` entry: a default value that `--var NAME=VALUE` may override.
    public struct Variable: Sendable {
        public var name: String
        public var value: String
        public var location: SourceLocation
    }

    /// An `env` entry; its value may use templates.
    public struct EnvironmentEntry: Sendable {
        public var name: String
        public var value: Template
        public var location: SourceLocation
    }

    /// A stage: tasks that run concurrently.
    public struct Stage: Sendable {
        public var name: String
        public var location: SourceLocation
        public var description: String?
        public var maxParallel: Int?
        public var failFast: Bool
        public var environment: [EnvironmentEntry]
        public var tasks: [Task]
        /// `executor: local` keeps the stage's tasks on this machine.
        public var executor: ExecutorSettings.Kind? = nil
        /// `if:`; nil is `success()`.
        public var condition: Condition? = nil
        /// For a stage of an included file: which file, and its settings; nil for the file's own.
        public var origin: StageOrigin? = nil
    }

    /// A task with the workflow's `defaults` already applied.
    public struct Task: Sendable {
        /// What a task does.
        public enum Action: Sendable {
            case run(Template)
            case sleep(Duration)
            /// Steps run one after another inside each attempt.
            case steps([Step])
        }

        // In this order the two flags fill the gap after `location`: 112 bytes a task.
        public var name: String
        public var location: SourceLocation
        /// True when `shell:` was written (on the task or in `defaults`): such a
        /// task always runs through its shell, never by direct exec.
        public var shellIsExplicit = false
        public var continueOnError: Bool
        public var action: Action
        public var environment: [EnvironmentEntry]
        public var shell: [String]
        public var timeout: Duration?
        public var retries: Int
        /// What few tasks set (`result`, `outputs`, `matrix`, `resources`,
        /// `working-directory`, `retry-delay`, ...), behind one shared reference:
        /// the properties of `Workflow+TaskDetails.swift`.
        var details = Details.none

        public init(
            name: String, location: SourceLocation, action: Action, environment: [EnvironmentEntry],
            workingDirectory: Template?, shell: [String], timeout: Duration?, retries: Int, retryDelay: Duration,
            continueOnError: Bool
        ) {
            self.name = name
            self.location = location
            self.continueOnError = continueOnError
            self.action = action
            self.environment = environment
            self.shell = shell
            self.timeout = timeout
            self.retries = retries
            if workingDirectory != nil { self.workingDirectory = workingDirectory }
            if retryDelay != .zero { self.retryDelay = retryDelay }
        }
    }
}
