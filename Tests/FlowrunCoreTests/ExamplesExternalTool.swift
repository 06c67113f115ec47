import Foundation
import FlowrunTestSupport
import Testing

/// A program found on `PATH` that documentation tests run (python3, groff, mandoc).
///
/// Lives in an `Examples*` file because the docs worktree owns only files
/// named `Schema*`, `ManPage*` and `Examples*` in this target.
struct ExternalTool: Sendable {
    /// What a finished run of a tool printed and how it ended.
    typealias Output = ProgramOutput

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

    /// Runs the tool to its end with stdin closed, output through files
    /// (`CLI`), with `environment` or this process's own.
    func run(_ arguments: [String], environment: [String: String]? = nil) throws -> Output {
        try CLI.program(url.path, arguments).environment(all: environment ?? ProcessInfo.processInfo.environment)
            .runBlocking()
    }
}
