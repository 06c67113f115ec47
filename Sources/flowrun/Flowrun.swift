import ArgumentParser
import Foundation
import FlowrunCore

/// The `flowrun` command: run, validate and plan workflow files.
@main
struct Flowrun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flowrun",
        abstract: "Run declarative workflows: stages one after another, the tasks of a stage concurrently.",
        discussion: "A workflow file as the first argument runs it: `flowrun FILE ...` is `flowrun run FILE ...`.",
        version: FlowrunVersion.string,
        subcommands: [Run.self, Validate.self, Plan.self, List.self, Log.self, Schema.self, Export.self]
    )

    /// ArgumentParser's own `main`, except that a far-fetched "did you mean" is
    /// left out, and that arguments not naming a command go to `run`.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.isEmpty {
            // No workflow: a usage error, with the overview of the commands.
            Console.err("Error: Missing expected argument '<workflow>'\n\n" + helpMessage() + "\n")
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        do {
            var command = try parseAsRoot(routed(arguments))
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

    /// `flowrun FILE ...` means `flowrun run FILE ...`. This
    /// is done here rather than with ArgumentParser's `defaultSubcommand`,
    /// which reflects every option of `run` at each start, whatever command
    /// is asked: a quarter of the CPU of `flowrun validate` on a small file.
    static func routed(_ arguments: [String]) -> [String] {
        guard let first = arguments.first else { return arguments }  // `main` answers an empty line itself
        let commands = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
        let rootOptions = ["-h", "--help", "--version", "--generate-completion-script", "--experimental-dump-help"]
        // `---completion` and the like: ArgumentParser's completion protocol.
        if commands.contains(first) || rootOptions.contains(where: { first == $0 || first.hasPrefix($0 + "=") }) || first.hasPrefix("---") {
            return arguments
        }
        return ["run"] + arguments
    }
}
