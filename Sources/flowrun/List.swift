import ArgumentParser
import FlowrunCore

/// The formats of `flowrun list` and `flowrun log`.
enum ListFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

extension Flowrun {
    /// `flowrun list WORKFLOW`: the stages and tasks, named as targets. Starts nothing, writes nothing.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the stages and tasks of a workflow, as the targets `flowrun run` takes.")

        @Argument(help: .workflowFile, completion: .workflowFile)
        var workflow: String

        @Option(help: "Output: text, or json (one document on stdout).")
        var format: ListFormat = .text

        @OptionGroup var planning: PlanningOptions

        @OptionGroup var input: InputOptions

        func run() throws {
            let plan = try WorkflowInput.plan(workflow, input: input, planning: planning)
            Console.out(format == .json ? TargetList.json(plan) : TargetList.text(plan))
        }
    }

    /// `flowrun log [WORKFLOW | RUNID]`: the runs kept in the state folder, or one run's report again.
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log",
            abstract: "List the runs kept in the state folder (the last 100 per workflow, at most 256 MiB), or print one run's report again.")

        @Argument(help: ArgumentHelp("A workflow file (its runs), or a run id (that run's report); none: every workflow's runs.",
                                     valueName: "workflow-or-run-id"),
                  completion: .workflowFile)
        var subject: String?

        @Option(help: "Output: text, or json (the list as one document; for a run id, the stored JSON report).")
        var format: ListFormat = .text

        @Option(help: ArgumentHelp("The state folder (default: $FLOWRUN_STATE_DIR, else .flowrun beside the workflow, else ./.flowrun).",
                                   valueName: "dir"),
                completion: .directory)
        var stateDir: String?

        @OptionGroup var input: InputOptions

        func run() throws {
            let warn: @Sendable (DiagnosticMessage) -> Void = { Console.err(DiagnosticRenderer().commandLine(.warning, $0)) }
            let current = Console.currentDirectory()
            let environment = Console.environment()
            if let subject, FileStatus.of(subject) == nil, RunSummary.isValidID(subject) {
                let directory = StateSettings.directory(
                    option: stateDir, environment: environment, workflow: "workflow", currentDirectory: current)!
                let history = RunHistory(directory: directory, onWarning: warn)
                guard let report = history.report(subject, ext: format == .json ? "json" : "txt") else {
                    Console.err(DiagnosticRenderer().commandLine(.error, .runNotKept(runID: subject, directory: directory)))
                    throw ExitCode(ExitStatus.usage.rawValue)
                }
                return Console.out(report)
            }
            var workflowName: String?
            var workflowPath = "workflow"
            if let subject {
                guard let loaded = WorkflowInput.load(subject, format: input.formatIn).workflow else { throw ExitCode(ExitStatus.invalidWorkflow.rawValue) }
                workflowName = loaded.name
                workflowPath = subject
            }
            let directory = StateSettings.directory(
                option: stateDir, environment: environment, workflow: workflowPath, currentDirectory: current) ?? current + "/.flowrun"
            let runs = RunHistory(directory: directory, onWarning: warn).runs(of: workflowName)
            Console.out(format == .json ? RunHistory.json(runs) : RunHistory.text(runs))
        }
    }
}
