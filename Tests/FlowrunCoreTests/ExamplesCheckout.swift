import Foundation
import FlowrunTestSupport
import Testing

/// The package checkout these tests were compiled from, found from `#filePath`.
enum Checkout {
    /// The package root: the folder holding `Package.swift`.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // FlowrunCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// Every workflow file in `workflows/` (`.yaml`, `.yml`, `.json`), sorted by name.
    static var workflowFiles: [URL] {
        let folder = root.appendingPathComponent("workflows")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }
            .sorted()
            .map { folder.appendingPathComponent($0) }
    }

    /// Workflows quoted in the documentation, keyed `README.md#N` or
    /// `flowrun-workflow.5#N` (N counts from 1 among the workflows of that file).
    ///
    /// A README block counts when it is fenced as `yaml` and has a top-level
    /// `stages:` key; a man page block when it is a literal display in
    /// EXAMPLES (its `\e` escapes turned back into backslashes).
    static var documentedWorkflows: [(key: String, text: String)] {
        func read(_ path: String) -> String {
            (try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) ?? ""
        }
        func blocks(in text: String, from opening: String, to closing: String) -> [String] {
            text.components(separatedBy: opening).dropFirst().compactMap { rest in
                rest.range(of: closing).map { String(rest[..<$0.lowerBound]) }
            }
        }
        let isWorkflow = { (text: String) in text.hasPrefix("stages:") || text.contains("\nstages:") }

        let readme = blocks(in: read("README.md"), from: "```yaml\n", to: "```").filter(isWorkflow)
        let manPage = read("man/flowrun-workflow.5")
        let examples = manPage.components(separatedBy: ".Sh EXAMPLES\n").dropFirst().joined()
        let pages = blocks(in: examples, from: ".Bd -literal -offset indent\n", to: ".Ed\n")
            .map { $0.replacingOccurrences(of: "\\e", with: "\\") }
            .filter(isWorkflow)
        return readme.enumerated().map { ("README.md#\($0.offset + 1)", $0.element) }
            + pages.enumerated().map { ("flowrun-workflow.5#\($0.offset + 1)", $0.element) }
    }

    /// A new empty directory under the system's temporary directory; the caller removes it.
    static func makeTemporaryDirectory() throws -> URL {
        try TemporaryFolder.create(prefix: "flowrun-docs-tests")
    }
}
