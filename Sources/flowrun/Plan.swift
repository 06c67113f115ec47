import ArgumentParser
import FlowrunCore

/// `flowrun plan WORKFLOW`: print what would run, run nothing.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the execution plan: stages in order, what runs concurrently, limits.")

    @Argument(help: ArgumentHelp("The workflow file; - reads standard input.", valueName: "workflow"),
              completion: .file(extensions: ["yaml", "yml", "json"]))
    var workflow: String

    @OptionGroup var planning: PlanningOptions

    @Option(help: "Output: text, json, dot (Graphviz) or mermaid.")
    var format: PlanRenderer.Format = .text

    @OptionGroup var input: InputOptions

    func run() throws {
        let (_, loaded) = WorkflowInput.load(workflow, format: input.formatIn)
        guard let loaded else { throw ExitCode(ExitStatus.invalidWorkflow.rawValue) }
        let plan = try WorkflowInput.plan(loaded, path: workflow, options: planning)
        Console.out(PlanRenderer().render(plan, as: format))
    }
}
