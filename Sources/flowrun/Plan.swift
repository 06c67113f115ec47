import ArgumentParser
import FlowrunCore

extension Flowrun {
    /// `flowrun plan WORKFLOW`: print what would run, run nothing.
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Print the execution plan: stages in order, what runs concurrently, limits.")

        @Argument(help: .workflowFile, completion: .workflowFile)
        var workflow: String

        @OptionGroup var targets: TargetOptions

        @OptionGroup var planning: PlanningOptions

        @OptionGroup var state: StateOptions

        @Option(help: "Output: text, json, dot (Graphviz) or mermaid.")
        var format: PlanRenderer.Format = .text

        @OptionGroup var input: InputOptions

        func run() async throws {
            let plan = try targets.apply(to: WorkflowInput.plan(workflow, input: input, planning: planning))
            // The plan-time check: with the slurm executor, the cluster must answer.
            _ = try await WorkflowInput.runner(for: plan, path: workflow, runID: Executor.makeRunID())
            Console.out(PlanRenderer().render(state.preview(plan, workflow: workflow), as: format))
        }
    }
}
