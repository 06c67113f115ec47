import Foundation

/// Runs the built `flowrun` binary for the end-to-end tests of reports,
/// man page and completions.
///
/// Named `Report*` because this worktree owns only `Report*`, `ManPage*`
/// and `Completion*` files in this target.
enum ReportCLI {
    /// What one run printed and how it ended.
    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The package root (the folder holding `Package.swift`).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `flowrun` executable built beside this test bundle.
    static let binary: URL? = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = folder.appendingPathComponent("flowrun")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return nil
    }()

    /// The environment flowrun runs with in these tests: this process's,
    /// without what changes color, width, terminal behavior, or GitHub
    /// Actions' conventions (these tests may run under Actions themselves).
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["NO_COLOR", "COLUMNS", "TERM", "FORCE_COLOR", "CLICOLOR_FORCE", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"] {
            environment[name] = nil
        }
        environment["TERM"] = "xterm-256color"
        environment.merge(extra) { $1 }
        return environment
    }

    /// Runs `flowrun arguments…` in `directory` with stdin closed; output through files, not pipes.
    static func run(_ arguments: [String], in directory: URL, environment extra: [String: String] = [:]) throws -> Output {
        guard let binary else { throw Missing.binary }
        return try run(executable: binary, arguments, in: directory, environment: environment(extra))
    }

    /// Runs any program the same way.
    static func run(executable: URL, _ arguments: [String], in directory: URL,
                    environment: [String: String]? = nil) throws -> Output {
        let scratch = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// A program on PATH.
    static func tool(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// A new empty directory; the caller removes it.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("flowrun-report-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

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
