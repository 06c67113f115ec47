import ArgumentParser
import FlowrunCore

extension Flowrun {
    /// `flowrun run WORKFLOW` (also plain `flowrun WORKFLOW`): run a workflow.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run a workflow: stages one after another, the tasks of a stage concurrently.")

        @Argument(help: .workflowFile, completion: .workflowFile)
        var workflow: String

        @OptionGroup var targets: TargetOptions

        @OptionGroup var options: RunOptions

        @OptionGroup var state: StateOptions

        /// The words after `--`: `${{ args }}`. ArgumentParser allows no second
        /// array of positionals after `targets`, which also receives them, so
        /// they are taken from the command line and dropped from the targets.
        private var arguments: [String] {
            let words = CommandLine.arguments.dropFirst()
            guard let terminator = words.firstIndex(of: "--") else { return [] }
            return Array(words[words.index(after: terminator)...])
        }

        func run() async throws {
            Console.colorChoice = options.color
            // The state folder's fingerprints need libcrypto: loaded while the workflow is.
            if !options.dryRun { SHA256Stream.preload() }
            let arguments = self.arguments
            var targets = self.targets
            targets.targets = Array(targets.targets.dropLast(min(arguments.count, targets.targets.count)))
            let planned = try WorkflowInput.plan(
                workflow, input: options.input, planning: options.planning, killGrace: options.grace, arguments: arguments)
            let plan = try targets.apply(to: planned)
            // The same document as `plan --format json`: a script reads either.
            if options.dryRun {
                let shown = state.preview(plan, workflow: workflow)
                return Console.out(PlanRenderer().render(shown, as: options.format == .json ? .json : .text))
            }
            // One id for the reports and the Slurm jobs, so that `flowrun-RUNID-…` names this run.
            let runID = Executor.makeRunID()
            let setup = RunnerSetup.needsProbe(plan)
                ? try await WorkflowInput.runner(for: plan, path: workflow, runID: runID) : RunnerSetup.local
            var settings = options.settings
            settings.state = state.settings(workflow: workflow)
            let session = RunSession(
                plan: plan, settings: settings, stdoutTraits: Console.traits(1), stderrTraits: Console.traits(2),
                runner: setup.runner, runID: runID)
            let status = await session.run()
            // No Slurm job of this run outlives it, whatever way it ended.
            await setup.finish()
            if status != .success { throw ExitCode(status.rawValue) }
        }
    }
}
