import Foundation

/// A program found on `PATH` that documentation tests run (python3, groff, mandoc).
///
/// Lives in an `Examples*` file because the docs worktree owns only files
/// named `Schema*`, `ManPage*` and `Examples*` in this target.
struct ExternalTool: Sendable {
    /// What a finished run of a tool printed and how it ended.
    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let url: URL

    /// Every executable named `name` on `PATH`, in `PATH` order.
    static func all(named name: String) -> [ExternalTool] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        var seen = Set<String>()
        return path.split(separator: ":").compactMap { directory in
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            guard FileManager.default.isExecutableFile(atPath: candidate.path),
                  seen.insert(candidate.resolvingSymlinksInPath().path).inserted
            else { return nil }
            return ExternalTool(url: candidate)
        }
    }

    /// The first executable named `name` on `PATH`.
    static func find(_ name: String) -> ExternalTool? {
        all(named: name).first
    }

    /// Runs the tool to its end with stdin closed.
    ///
    /// Output goes through temporary files, not pipes, so a tool that fills
    /// one stream while the other is being read cannot deadlock the test.
    func run(_ arguments: [String], environment: [String: String]? = nil) throws -> Output {
        let directory = try Checkout.makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let stdoutURL = directory.appendingPathComponent("stdout")
        let stderrURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let stdout = try FileHandle(forWritingTo: stdoutURL)
        let stderr = try FileHandle(forWritingTo: stderrURL)

        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()
        try stdout.close()
        try stderr.close()

        return Output(
            status: process.terminationStatus,
            stdout: try String(contentsOf: stdoutURL, encoding: .utf8),
            stderr: try String(contentsOf: stderrURL, encoding: .utf8)
        )
    }
}
