import Foundation

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

    /// A new empty directory under the system's temporary directory.
    static func makeTemporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("flowrun-docs-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
