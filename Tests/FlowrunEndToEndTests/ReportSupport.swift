import Foundation
import FlowrunTestSupport
import Testing

/// Runs the built `flowrun` binary for the end-to-end tests of reports,
/// man page and completions.
///
/// Named `Report*` because this worktree owns only `Report*`, `ManPage*`
/// and `Completion*` files in this target.
enum ReportCLI {
    /// What one run printed and how it ended.
    typealias Output = ProgramOutput

    /// The package root (the folder holding `Package.swift`).
    static let root = URL(fileURLWithPath: FlowrunBinary.packageRoot)

    /// The built `flowrun` executable.
    static let binary: URL? = FlowrunBinary.path.map { URL(fileURLWithPath: $0) }

    /// The environment flowrun runs with in these tests: this process's,
    /// without what changes color, width or terminal behavior, then `extra`.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = CLI.cleanEnvironment
        environment["NO_COLOR"] = nil
        environment["TERM"] = "xterm-256color"
        environment.merge(extra) { $1 }
        return environment
    }

    /// Runs `flowrun arguments…` in `directory` with stdin closed; output through files, not pipes.
    static func run(_ arguments: [String], in directory: URL, environment extra: [String: String] = [:]) throws -> Output {
        guard binary != nil else { throw Missing.binary }
        return try CLI(arguments: arguments).in(path: directory.path).environment(all: environment(extra)).runBlocking()
    }

    /// Runs any program the same way.
    static func run(executable: URL, _ arguments: [String], in directory: URL,
                    environment: [String: String]? = nil) throws -> Output {
        let cli = CLI.program(executable.path, arguments).in(path: directory.path)
        return try (environment.map { cli.environment(all: $0) } ?? cli.environment(all: ProcessInfo.processInfo.environment))
            .runBlocking()
    }

    /// A program on PATH.
    static func tool(_ name: String) -> URL? { CLI.which(name).map { URL(fileURLWithPath: $0) } }

    /// A new empty directory; the caller removes it.
    static func temporaryDirectory() throws -> URL { try TemporaryFolder.create(prefix: "flowrun-report-tests") }

    /// A directory holding `files` (name → text), removed by the caller.
    static func workspace(_ files: [String: String]) throws -> URL {
        let directory = try temporaryDirectory()
        for (name, text) in files {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return directory
    }

    enum Missing: Error { case binary }

    /// The seed workflow with its sleeps cut tenfold (0.30 s and 0.35 s): same shape, a tenth of the time.
    static func fastSeed() throws -> String {
        let seed = try String(contentsOf: root.appendingPathComponent("workflows/seed.yaml"), encoding: .utf8)
        return seed.replacingOccurrences(of: "sleep: 3.0", with: "sleep: 0.30")
            .replacingOccurrences(of: "sleep: 3.5", with: "sleep: 0.35")
    }

    /// A passing task, a failing one (control characters and a secret in
    /// its output), a retried one, and a later stage that is skipped.
    static let failingWorkflow = #"""
        name: demo
        vars:
          token: hunter2-secret
        secrets: [token]
        stages:
          - name: build
            fail-fast: false
            tasks:
              - name: compile
                run: echo compiling; echo "token is ${{ vars.token }}"
              - name: lint
                run: printf 'bad\001ctl\033[31mred <x> & "q" ]]>\n' >&2; echo "on stderr ${{ vars.token }}" >&2; exit 3
              - name: flaky
                run: "if [ -e .flag ]; then rm .flag; echo ok; else touch .flag; echo first try >&2; exit 1; fi"
                retries: 1
                retry-delay: 100ms
              - name: nap
                sleep: 0.2
          - name: ship
            tasks:
              - name: upload
                run: echo never
        """#
}
