import ArgumentParser
import FlowrunCore

extension Flowrun {
    /// `flowrun export ENGINE WORKFLOW`: write the workflow for another engine.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write a workflow for another workflow engine.",
            subcommands: [Argo.self])

        /// `flowrun export argo WORKFLOW`: an Argo Workflows manifest on stdout.
        struct Argo: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "argo",
                abstract: "Print an Argo Workflows manifest (YAML): stages as step groups, tasks as script templates.")

            @Argument(help: .workflowFile, completion: .workflowFile)
            var workflow: String

            @Option(help: ArgumentHelp("Container image of every script template.", valueName: "image"))
            var image: String = "alpine:3.20"

            @OptionGroup var input: InputOptions

            func run() async throws {
                let outcome = WorkflowInput.load(workflow, format: input.formatIn)
                guard let loaded = outcome.workflow else { throw ExitCode(ExitStatus.invalidWorkflow.rawValue) }
                let plan = try WorkflowInput.plan(loaded, path: workflow, options: try PlanningOptions.parse([]), killGrace: FlowrunCore.Plan.defaultKillGrace,
                    leavesMatrixHoles: true)
                switch ArgoExporter(image: image).export(plan, workflow: loaded) {
                case .success(let manifest):
                    Console.out(manifest)
                case .failure(let failure):
                    WorkflowInput.report(failure.diagnostics, path: workflow, source: outcome.source, included: outcome.included)
                    throw ExitCode(ExitStatus.invalidWorkflow.rawValue)
                }
            }
        }
    }
}
