import ArgumentParser
import Foundation
import FlowrunCore

/// The `flowrun` command: run, validate and plan workflow files.
@main
struct Flowrun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flowrun",
        abstract: "Run declarative workflows: stages one after another, the tasks of a stage concurrently.",
        version: FlowrunVersion.string,
        subcommands: [Run.self, Validate.self, Plan.self, List.self, Log.self, Schema.self, Export.self],
        defaultSubcommand: Run.self
    )

    /// ArgumentParser's own `main`, except that a far-fetched "did you mean" is left out.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if let message = OptionSuggestion.pruned(fullMessage(for: error)) {
                Console.err(message + "\n")
                Foundation.exit(exitCode(for: error).rawValue)
            }
            exit(withError: error)
        }
    }
}
