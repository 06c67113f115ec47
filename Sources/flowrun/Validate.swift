import ArgumentParser
import FlowrunCore

extension Flowrun {
    /// `flowrun validate FILE...`: check workflow files without running them.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check workflow files; report every problem as FILE:LINE:COLUMN.")

        @Argument(help: ArgumentHelp("Workflow files (YAML or JSON); - reads standard input.", valueName: "file"),
                  completion: .workflowFile)
        var files: [String]

        @Option(help: "Output: text (stderr), json (one array on stdout) or github (annotations on stdout).")
        var format: DiagnosticRenderer.Format = .text

        @Flag(help: "Treat warnings as errors.")
        var strict = false

        @OptionGroup var input: InputOptions

        func validate() throws {
            if files.isEmpty { throw ValidationError("give at least one workflow file") }
        }

        func run() throws {
            var failed = false
            var collected: [(path: String, diagnostics: [Diagnostic])] = []
            var sources: [SourceText?] = []
            let renderer = DiagnosticRenderer(colored: Console.colors(2))
            let loader = WorkflowLoader(environment: Set(Console.environment().keys), strict: strict)
            for path in files {
                let outcome = loader.load(path: path, format: input.formatIn)
                let diagnostics = outcome.diagnostics
                let shown = WorkflowInput.displayPath(path)
                if outcome.hasErrors { failed = true }
                switch format {
                case .text:
                    for d in diagnostics { Console.err(renderer.text(d, path: shown, source: outcome.source, included: outcome.included)) }
                    if let workflow = outcome.workflow {
                        let tasks = workflow.stages.reduce(0) { $0 + $1.tasks.count }
                        func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }
                        Console.out("\(shown): ok (\(count(workflow.stages.count, "stage")), \(count(tasks, "task")))\n")
                    }
                case .github:
                    for d in diagnostics { Console.out(renderer.github(d, path: shown, source: outcome.source)) }
                case .json:
                    collected.append((shown, diagnostics))
                    sources.append(outcome.source)
                }
            }
            if format == .json { Console.out(renderer.json(collected, sources: sources)) }
            if failed { throw ExitCode(ExitStatus.invalidWorkflow.rawValue) }
        }
    }
}
