import Foundation
import Testing

/// One run of `flowrun` (or another program) in a test, built up and then
/// run, in the manner of just's `Test`:
///
///     try await CLI("validate", "w.yaml").file("w.yaml", "stages: 3\n")
///         .expect(status: 2, stderr: "w.yaml:1:9: error: …")
///
/// The program runs in a fresh folder holding the given files (or in a
/// folder the test chose), stdin `/dev/null` unless given, stdout and stderr
/// through files so that nothing blocks on a full pipe. The environment is
/// this process's with `NO_COLOR=1` and no `COLUMNS`, `FORCE_COLOR` or
/// `CLICOLOR_FORCE`, then the test's changes. `launch()` starts it without
/// waiting, for signal tests.
public struct CLI: Sendable {
    /// Where the program runs.
    public enum Folder: Sendable {
        /// A fresh temporary folder, removed after the run.
        case fresh
        /// A folder the test holds (to read what the run wrote).
        case temporary(TemporaryFolder)
        /// An existing folder, e.g. the fixtures.
        case path(String)
    }

    /// The program; nil for the built flowrun.
    public var executable: String?
    public var arguments: [String]
    public var files: [(name: String, text: String)] = []
    public var stdin: String?
    public var environmentChanges: [(name: String, value: String?)] = []
    /// The environment before the changes; nil for this process's, cleaned (see above).
    public var baseEnvironment: [String: String]?
    public var folder: Folder = .fresh
    /// The run is ended (SIGTERM) and recorded as an issue after this.
    public var timeout: Duration = .seconds(30)

    /// `flowrun ARGUMENTS`.
    public init(_ arguments: String...) {
        self.arguments = arguments
    }

    /// `flowrun ARGUMENTS`.
    public init(arguments: [String]) {
        self.arguments = arguments
    }

    /// Another program (a path, or a name looked up on `PATH`) with its arguments.
    public static func program(_ executable: String, _ arguments: [String]) -> CLI {
        var cli = CLI(arguments: arguments)
        cli.executable = executable
        return cli
    }

    /// Adds `arguments` at the end.
    public func arguments(_ more: String...) -> CLI { with { $0.arguments += more } }

    /// Writes `text` to `name` in the run's folder before the run.
    public func file(_ name: String, _ text: String) -> CLI { with { $0.files.append((name, text)) } }

    /// Feeds `text` on stdin.
    public func stdin(_ text: String) -> CLI { with { $0.stdin = text } }

    /// Sets (or with nil removes) a variable of the program's environment.
    public func environment(_ name: String, _ value: String?) -> CLI {
        with { $0.environmentChanges.append((name, value)) }
    }

    /// Starts from exactly `environment` instead of this process's, cleaned.
    public func environment(all environment: [String: String]) -> CLI { with { $0.baseEnvironment = environment } }

    /// Runs in `folder` (the test keeps it, to look at what the run left).
    public func `in`(_ folder: TemporaryFolder) -> CLI { with { $0.folder = .temporary(folder) } }

    /// Runs in an existing folder (files are written there too).
    public func `in`(path: String) -> CLI { with { $0.folder = .path(path) } }

    public func timeout(_ limit: Duration) -> CLI { with { $0.timeout = limit } }

    /// The environment the program gets.
    public var environment: [String: String] {
        var environment = baseEnvironment ?? Self.cleanEnvironment
        for (name, value) in environmentChanges { environment[name] = value }
        return environment
    }

    /// Runs to the end and returns what it printed.
    public func run(sourceLocation: SourceLocation = #_sourceLocation) async throws -> ProgramOutput {
        let started = try start(sourceLocation: sourceLocation)
        if !(await started.ended.wait(atMost: timeout)) {
            started.process.terminate()
            Issue.record("\(commandLine) did not end within \(timeout)", sourceLocation: sourceLocation)
            _ = await started.ended.wait(atMost: .seconds(5))
        }
        return try started.finish()
    }

    /// Runs to the end, blocking the calling thread, for synchronous tests.
    public func runBlocking(sourceLocation: SourceLocation = #_sourceLocation) throws -> ProgramOutput {
        let started = try start(sourceLocation: sourceLocation)
        started.process.waitUntilExit()
        return try started.finish()
    }

    /// A started program and where its output goes.
    private struct Started {
        var process: Process
        var ended: ExitWaiter
        var scratch: TemporaryFolder
        var folder: TemporaryFolder?
        var out: FileHandle
        var err: FileHandle

        func finish() throws -> ProgramOutput {
            process.waitUntilExit()
            try out.close()
            try err.close()
            withExtendedLifetime(folder) {}
            let signaled = process.terminationReason == .uncaughtSignal
            return ProgramOutput(
                status: signaled ? 128 + process.terminationStatus : process.terminationStatus,
                stdout: scratch.read("stdout"), stderr: scratch.read("stderr"))
        }
    }

    private func start(sourceLocation: SourceLocation) throws -> Started {
        let program = try resolvedExecutable(sourceLocation: sourceLocation)
        let scratch = try TemporaryFolder(prefix: "flowrun-cli")
        var fresh: TemporaryFolder? = nil
        let directory: String
        switch folder {
        case .fresh:
            let made = try TemporaryFolder(prefix: "flowrun-cli-run")
            fresh = made
            directory = made.path
        case .temporary(let folder): directory = folder.path
        case .path(let path): directory = path
        }
        for (name, text) in files {
            let path = name.hasPrefix("/") ? name : (directory as NSString).appendingPathComponent(name)
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: try scratch.write("stdout", "")))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: try scratch.write("stderr", "")))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = environment
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: try scratch.write("stdin", stdin)))
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let ended = ExitWaiter()
        process.terminationHandler = { _ in ended.signal() }
        try process.run()
        return Started(process: process, ended: ended, scratch: scratch, folder: fresh, out: out, err: err)
    }

    /// Runs to the end and checks the status, and stdout / stderr where given (whole text).
    @discardableResult
    public func expect(
        status: Int32 = 0, stdout: String? = nil, stderr: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ProgramOutput {
        let output = try await run(sourceLocation: sourceLocation)
        #expect(output.status == status, "\(commandLine)\n\(output)", sourceLocation: sourceLocation)
        if let stdout { #expect(output.stdout == stdout, "\(commandLine)", sourceLocation: sourceLocation) }
        if let stderr { #expect(output.stderr == stderr, "\(commandLine)", sourceLocation: sourceLocation) }
        return output
    }

    /// Starts the program without waiting, in its own process group, for
    /// signal tests; output files and the given files go to `folder`, which
    /// is also where it runs.
    public func launch(
        in folder: TemporaryFolder, stdout: Destination = .file, stderr: Destination = .file
    ) throws -> Launched {
        for (name, text) in files { try folder.write(name, text) }
        let stdinPath = try stdin.map { try folder.write(".stdin", $0) } ?? "/dev/null"
        var changes: [String: String] = [:]
        for (name, value) in environmentChanges { changes[name] = value ?? "" }
        return try Launched(
            arguments, in: folder, directory: folder.path, stdin: stdinPath, stdout: stdout, stderr: stderr,
            extraEnvironment: changes, executable: try executable.map { try Self.locate($0) })
    }

    /// This process's environment with `NO_COLOR=1` and without `COLUMNS`, `FORCE_COLOR` or `CLICOLOR_FORCE`.
    public static var cleanEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        // GITHUB_*: under Actions, flowrun would add workflow commands to the output tests read.
        for name in ["COLUMNS", "FORCE_COLOR", "CLICOLOR_FORCE", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"] { environment[name] = nil }
        environment["NO_COLOR"] = "1"
        return environment
    }

    /// The command line, for messages.
    public var commandLine: String { ([executable ?? "flowrun"] + arguments).joined(separator: " ") }

    private func resolvedExecutable(sourceLocation: SourceLocation) throws -> String {
        guard let executable else { return try FlowrunBinary.require(sourceLocation: sourceLocation) }
        return try Self.locate(executable)
    }

    /// `name` itself when it has a `/`, else the first executable of that name on `PATH`.
    public static func locate(_ name: String) throws -> String {
        if name.contains("/") { return name }
        guard let found = which(name) else { throw NotFound(name: name) }
        return found
    }

    /// The first executable named `name` on `PATH`, if any.
    public static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A program that is not on `PATH`.
    public struct NotFound: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "\(name) not found on PATH" }
    }

    private func with(_ change: (inout CLI) -> Void) -> CLI {
        var copy = self
        change(&copy)
        return copy
    }
}
