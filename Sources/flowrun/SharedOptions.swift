import ArgumentParser
import FlowrunCore

extension InputFormat: ExpressibleByArgument {}
extension DiagnosticRenderer.Format: ExpressibleByArgument {}
extension PlanRenderer.Format: ExpressibleByArgument {}
extension ExecutorSettings.Kind: ExpressibleByArgument {}

extension ArgumentHelp {
    /// The `workflow` argument of each command that reads one workflow.
    static var workflowFile: ArgumentHelp { ArgumentHelp("The workflow file; - reads standard input.", valueName: "workflow") }
}

extension CompletionKind {
    /// What a shell offers for an argument naming workflow files: YAML and JSON files.
    static var workflowFile: CompletionKind { .file(extensions: ["yaml", "yml", "json"]) }
}

/// `--format-in`: how to read a workflow given on standard input.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("format-in"), help: "Syntax of the workflow file: yaml or json (default: from the extension; yaml for -).")
    var formatIn: InputFormat?
}

/// `--var` and `--jobs`: what the command line adds to a plan.
struct PlanningOptions: ParsableArguments {
    @Option(name: .customLong("var"), help: ArgumentHelp("Override a variable declared in `vars`.", valueName: "NAME=VALUE"))
    var variables: [VariableAssignment] = []

    @Option(name: .shortAndLong, help: "Run at most N tasks at once.")
    var jobs: Int?

    @Option(help: "Where run tasks go: local or slurm (wins over FLOWRUN_EXECUTOR and the file's executor:).")
    var executor: ExecutorSettings.Kind?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }
}

/// `NAME=VALUE` from `--var`.
struct VariableAssignment: ExpressibleByArgument {
    var name: String
    var value: String

    init?(argument: String) {
        guard let eq = argument.firstIndex(of: "="), eq != argument.startIndex else { return nil }
        name = String(argument[..<eq])
        value = String(argument[argument.index(after: eq)...])
    }
}

/// Loads a workflow and prints its diagnostics; the shared first step of run, plan and validate.
enum WorkflowInput {
    /// Loads `path`; prints diagnostics to stderr. The outcome's workflow is nil when it has errors.
    static func load(_ path: String, format: InputFormat?) -> WorkflowLoader.Outcome {
        let outcome = WorkflowLoader(environment: Set(Console.environment().keys)).load(path: path, format: format)
        report(outcome.diagnostics, path: path, source: outcome.source, included: outcome.included)
        return outcome
    }

    static func report(_ diagnostics: [Diagnostic], path: String, source: SourceText?, included: [SourceText] = []) {
        let renderer = DiagnosticRenderer(colored: Console.colors(2))
        for diagnostic in diagnostics {
            Console.err(renderer.text(diagnostic, path: displayPath(path), source: source, included: included))
        }
    }

    static func displayPath(_ path: String) -> String { path == "-" ? "<stdin>" : path }

    /// Loads and plans `path`, printing diagnostics and planner warnings; exits 2 on an
    /// invalid workflow, 64 on an unknown `--var`.
    static func plan(
        _ path: String, input: InputOptions, planning: PlanningOptions, killGrace: Duration = Plan.defaultKillGrace,
        arguments: [String] = []
    ) throws -> Plan {
        guard let loaded = load(path, format: input.formatIn).workflow else { throw ExitCode(ExitStatus.invalidWorkflow.rawValue) }
        return try plan(loaded, path: path, options: planning, killGrace: killGrace, arguments: arguments)
    }

    /// Plans a loaded workflow, printing planner warnings; exits 64 on an unknown `--var`.
    static func plan(
        _ workflow: Workflow, path: String, options: PlanningOptions, killGrace: Duration, arguments: [String] = [],
        leavesMatrixHoles: Bool = false
    ) throws -> Plan {
        var plannerOptions = Planner.Options(
            variables: options.variables.map { .init(name: $0.name, value: $0.value) }, jobs: options.jobs, killGrace: killGrace,
            environment: Console.environment(), currentDirectory: Console.currentDirectory(), executor: options.executor)
        plannerOptions.arguments = arguments
        plannerOptions.leavesMatrixHoles = leavesMatrixHoles
        switch Planner().plan(workflow, sourcePath: displayPath(path), options: plannerOptions) {
        case .failure(let diagnostic):
            Console.err(DiagnosticRenderer(colored: false).commandLine(diagnostic))
            throw ExitCode(ExitStatus.usage.rawValue)
        case .success(let (plan, warnings)):
            report(warnings, path: path, source: nil)
            return plan
        }
    }

    /// Checks the plan's executor before any task starts and returns its runner;
    /// prints what is wrong and exits 69 (cluster unavailable) or 2 (unknown partition).
    static func runner(for plan: Plan, path: String, runID: String) async throws -> RunnerSetup {
        switch await RunnerSetup.prepare(plan, runID: runID) {
        case .success(let setup):
            return setup
        case .failure(let problem):
            report([problem.diagnostic], path: path, source: nil)
            throw ExitCode(problem.exitStatus.rawValue)
        }
    }
}

/// `--force`, `--resume` and `--state-dir`: how a run uses what earlier runs kept.
struct StateOptions: ParsableArguments {
    @Flag(help: "Run every task, even those whose sources and command are unchanged.")
    var force = false

    @Flag(help: "Reuse each task that succeeded in the last run with an unchanged fingerprint.")
    var resume = false

    @Option(help: ArgumentHelp("Keep state in DIR (default: $FLOWRUN_STATE_DIR, else .flowrun beside the workflow).", valueName: "dir"),
            completion: .directory)
    var stateDir: String?

    /// The settings for a run of `workflow`; nil for standard input without a state folder given.
    func settings(workflow: String) -> StateSettings? {
        let environment = Console.environment()
        let current = Console.currentDirectory()
        guard let directory = StateSettings.directory(
            option: stateDir, environment: environment, workflow: workflow, currentDirectory: current)
        else { return nil }
        let source = workflow == "-" ? "-" : workflow.hasPrefix("/") ? workflow : current + "/" + workflow
        let pause = environment["FLOWRUN_TEST_STATE_WRITE_PAUSE_MS"].flatMap { Int64($0) }.map { Duration.milliseconds($0) }
        return StateSettings(directory: directory, source: source, force: force, resume: resume, writePause: pause ?? .zero)
    }

    /// `plan` with what the state folder says marked on it, reading only.
    func preview(_ plan: FlowrunCore.Plan, workflow: String) -> FlowrunCore.Plan {
        guard let settings = settings(workflow: workflow), !settings.force else { return plan }
        if let missing = SHA256Stream.unavailable {
            Console.err(DiagnosticRenderer().commandLine(.warning, .stateNeedsDigest(reason: missing)))
            return plan
        }
        let store = StateDirectory(
            path: settings.directory, workflow: plan.workflowName, source: settings.source,
            options: .init(writable: false, onWarning: { Console.err(DiagnosticRenderer().commandLine(.warning, $0)) }))
        let cache = StateTaskCache(store: store, runID: "", options: .init(resume: settings.resume))
        var plan = plan
        plan.stateMarks = StatePreview.marks(plan, cache: cache, expected: store.lastRun())
        return plan
    }
}

/// `TARGET…`: the tasks to run (with what they need); all when none is given.
struct TargetOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Run only these: STAGE or STAGE/TASK, with the tasks they use.", valueName: "target"),
              completion: .custom(TargetCompletion.complete))
    var targets: [String] = []

    /// `plan` with the tasks the targets do not need marked; exits 64 on an unknown target.
    func apply(to plan: FlowrunCore.Plan) throws -> FlowrunCore.Plan {
        switch TargetSelection.apply(targets, to: plan) {
        case .success(let selected): return selected
        case .failure(let diagnostic):
            Console.err(DiagnosticRenderer().commandLine(diagnostic))
            throw ExitCode(ExitStatus.usage.rawValue)
        }
    }
}

/// Completion of target names: the stages and tasks of the workflow already on the command line.
enum TargetCompletion {
    @Sendable static func complete(_ words: [String], _ cursor: Int, _ prefix: String) -> [String] {
        // The first word that names a workflow file is the one to read.
        for word in words.dropFirst() where [".yaml", ".yml", ".json"].contains(where: word.hasSuffix) {
            let outcome = WorkflowLoader().load(path: word, format: nil)
            guard let workflow = outcome.workflow,
                  case .success(let (plan, _)) = Planner().plan(workflow, sourcePath: word, options: Planner.Options())
            else { return [] }
            return TargetSelection.names(of: plan).filter { $0.hasPrefix(prefix) }
        }
        return []
    }
}
