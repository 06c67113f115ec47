import ArgumentParser
import FlowrunCore

extension Flowrun {
    /// `flowrun schema`: print the JSON Schema of the workflow format.
    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "schema", abstract: "Print the JSON Schema (draft 2020-12) of the workflow format.")

        func run() throws {
            Console.out(WorkflowSchema.json)
        }
    }
}
