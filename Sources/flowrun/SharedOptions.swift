import ArgumentParser
import FlowrunCore

extension InputFormat: ExpressibleByArgument {}
extension DiagnosticRenderer.Format: ExpressibleByArgument {}
extension PlanRenderer.Format: ExpressibleByArgument {}
extension ExecutorSettings.Kind: ExpressibleByArgument {}

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
    /// Loads `path`; prints diagnostics to stderr. Returns the workflow, or nil when it has errors.
    static func load(_ path: String, format: InputFormat?, strict: Bool = false) -> (WorkflowLoader.Outcome, Workflow?) {
        let outcome = WorkflowLoader(environment: Set(Console.environment().keys)).load(path: path, format: format)
        report(outcome.diagnostics, path: path, source: outcome.source)
        let failing = outcome.hasErrors || (strict && !outcome.diagnostics.isEmpty)
        return (outcome, failing ? nil : outcome.workflow)
    }

    static func report(_ diagnostics: [Diagnostic], path: String, source: SourceText?) {
        let renderer = DiagnosticRenderer(colored: Console.colors(2))
        for diagnostic in diagnostics {
            Console.err(renderer.text(diagnostic, path: displayPath(path), source: source))
        }
    }

    static func displayPath(_ path: String) -> String { path == "-" ? "<stdin>" : path }

    /// Loads and plans `path`, printing diagnostics and planner warnings; exits 2 on an
    /// invalid workflow, 64 on an unknown `--var`.
    static func plan(
        _ path: String, input: InputOptions, planning: PlanningOptions, killGrace: Duration = Plan.defaultKillGrace
    ) throws -> Plan {
        let (_, loaded) = load(path, format: input.formatIn)
        guard let loaded else { throw ExitCode(ExitStatus.invalidWorkflow.rawValue) }
        return try plan(loaded, path: path, options: planning, killGrace: killGrace)
    }

    /// Plans a loaded workflow, printing planner warnings; exits 64 on an unknown `--var`.
    static func plan(_ workflow: Workflow, path: String, options: PlanningOptions, killGrace: Duration) throws -> Plan {
        let plannerOptions = Planner.Options(
            variables: options.variables.map { .init(name: $0.name, value: $0.value) }, jobs: options.jobs, killGrace: killGrace,
            environment: Console.environment(), currentDirectory: Console.currentDirectory(), executor: options.executor)
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
