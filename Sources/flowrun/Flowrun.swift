import ArgumentParser
import FlowrunCore

/// The `flowrun` command: run, validate and plan workflow files.
@main
struct Flowrun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flowrun",
        abstract: "Run declarative workflows: stages one after another, the tasks of a stage concurrently.",
        version: FlowrunVersion.string,
        subcommands: [Run.self, Validate.self, Plan.self, Schema.self],
        defaultSubcommand: Run.self
    )
}
