#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFlowrunShims

/// Starts task processes on this machine, each in its own session, and hands
/// them to the one process event loop (`ProcessEventLoop`).
///
/// The child gets: a new session and process group (pgid == sid == pid),
/// stdin `/dev/null`, an empty signal mask and default dispositions, and no
/// descriptors beyond 0–2 (see `LocalSpawn`; tests check all of it in the
/// child). Why a session and not only a process group: without a controlling
/// terminal, a task that opens `/dev/tty` (a password prompt, `ssh`) fails at
/// once instead of being stopped by SIGTTIN in a background group.
///
/// Sequence of an attempt: spawn (no fork of flowrun) → attach the pgid →
/// the loop watches the shell's pidfd and both pipes → at the shell's exit,
/// if the group is being ended, the rest of it has until the kill deadline to
/// close the pipes → SIGKILL what is left of the group while the shell is
/// still an unreaped zombie → `wait4` (with rusage) → drain the pipes,
/// bounded by `drainLimit`.
public struct ProcessRunner: ProcessRunning {
    public let registry: ProcessGroupRegistry
    /// How long to wait for the pipes to close after the group was killed
    /// before declaring an escaped descendant and closing them.
    public let drainLimit: Duration
    /// The size asked for each output pipe (`F_SETPIPE_SZ`; the default stays if refused).
    static let pipeSize: CInt = 1 << 20

    public init(registry: ProcessGroupRegistry = .shared, drainLimit: Duration = .seconds(1)) {
        self.registry = registry
        self.drainLimit = drainLimit
    }

    public func run(
        _ request: ProcessRequest,
        onLines: @escaping @Sendable (OutputStreamKind, OutputLines) -> Void
    ) async -> ProcessOutcome {
        guard !request.arguments.isEmpty else {
            return ProcessOutcome(termination: .failedToStart(reason: "empty command"))
        }
        if let problem = Self.checkDirectory(request.workingDirectory) {
            return ProcessOutcome(termination: .failedToStart(reason: problem))
        }
        if request.inheritsTerminal {
            let program = request.arguments[0]
            let path: String
            if program.contains("/") {
                path = program
            } else {
                let searchPath = request.environment.last(where: { $0.name == "PATH" })?.value ?? ExecutableLookup.processPath
                guard let found = ExecutableLookup.shared.resolve(program, path: searchPath) else {
                    return ProcessOutcome(termination: .failedToStart(reason: "\(program): command not found in PATH"))
                }
                path = found
            }
            return await TerminalProcess.run(request, executable: path, registry: registry)
        }
        guard let out = Self.makePipe() else {
            return ProcessOutcome(termination: .failedToStart(reason: "cannot create a pipe: \(Self.errnoText())"))
        }
        guard let err = Self.makePipe() else {
            for fd in [out.read, out.write] { _ = close(fd) }
            return ProcessOutcome(termination: .failedToStart(reason: "cannot create a pipe: \(Self.errnoText())"))
        }

        let group = registry.makeGroup(task: request.groupLabel)
        registry.register(group)
        defer { registry.unregister(group) }
        // A direct exec that cannot start (not found, not executable, no
        // `#!`) runs through the shell instead, which reports it its own way.
        var arguments = request.arguments
        var direct = request.shellFallback != nil
        var spawned = Self.spawn(arguments, request, stdout: out.write, stderr: err.write, direct: direct)
        if direct, let fallback = request.shellFallback, spawned.failure != nil {
            arguments = fallback
            direct = false
            spawned = Self.spawn(arguments, request, stdout: out.write, stderr: err.write, direct: false)
        }
        _ = close(out.write)
        _ = close(err.write)
        guard let started = spawned.started else {
            _ = close(out.read)
            _ = close(err.read)
            return ProcessOutcome(termination: .failedToStart(reason: spawned.failure ?? "cannot start '\(arguments[0])'"))
        }
        group.attach(started.pid)
        let spawnedAt = ContinuousClock.now

        let identity = request.environment.filter { $0.name.hasPrefix("FLOWRUN_") }.map { "\($0.name)=\($0.value)" }
        let attempt = LoopAttempt(
            pid: started.pid, pidfd: started.pidfd, group: group, identity: identity, drainLimit: drainLimit,
            subreaper: ChildSubreaper.active(for: registry), pipes: [out.read, err.read],
            collectors: [
                OutputCollector(stream: .stdout, captureLimit: request.stdoutCaptureLimit, tailLines: 0, mask: request.mask, onLines: onLines),
                OutputCollector(stream: .stderr, captureLimit: request.stderrCaptureLimit, tailLines: 20, mask: request.mask, onLines: onLines),
            ])
        let finished = await withTaskCancellationHandler {
            await ProcessEventLoop.shared.run(attempt)
        } onCancel: {
            group.terminate(grace: request.killGrace)
        }
        var termination = Self.termination(finished.status)
        var stderrBytes = finished.stderr.bytes
        var stderrTail = finished.stderrTail
        if direct, case .signaled(let signal) = termination, !group.isEnding {
            // What `sh -e -c` would have made of it: 128+n, and dash's line on stderr.
            termination = .exited(128 + signal)
            if let line = DirectExec.shellReport(signal: signal, coreDumped: finished.status & 0x80 != 0) {
                onLines(.stderr, [line])
                stderrTail = Array((stderrTail + [line]).suffix(20))
                if request.stderrCaptureLimit > stderrBytes.count { stderrBytes += Array((line + "\n").utf8) }
            }
        }
        return ProcessOutcome(
            termination: termination,
            stdout: request.mask.apply(String(decoding: finished.stdout.bytes, as: UTF8.self)),
            stderr: request.mask.apply(String(decoding: stderrBytes, as: UTF8.self)),
            stdoutTruncated: finished.stdout.truncated,
            stderrTail: stderrTail,
            escapedDescendant: finished.escaped,
            resources: finished.resources,
            running: (finished.reaped ?? ContinuousClock.now) - spawnedAt)
    }

    /// Resolves `arguments[0]` and spawns; a direct exec refuses a `PATH` with a relative entry (the shell's lookup would differ).
    private static func spawn(
        _ arguments: [String], _ request: ProcessRequest, stdout: CInt, stderr: CInt, direct: Bool
    ) -> (started: LocalSpawn.Started?, failure: String?) {
        let program = arguments[0]
        let path: String
        if program.contains("/") {
            path = program
        } else {
            let searchPath = request.environment.last(where: { $0.name == "PATH" })?.value ?? ExecutableLookup.processPath
            if direct, searchPath.split(separator: ":", omittingEmptySubsequences: false).contains(where: { !$0.hasPrefix("/") }) {
                return (nil, "relative PATH entry")
            }
            guard let found = ExecutableLookup.shared.resolve(program, path: searchPath) else {
                return (nil, "\(program): command not found in PATH")
            }
            path = found
        }
        var environment = request.environment
        if direct { environment.append(("PWD", shellPWD(request))) }
        var script: CInt = -1
        if !direct, let bytes = request.script {
            script = LocalSpawn.scriptDescriptor(bytes)
            guard script >= 0 else { return (nil, "cannot hand the script to '\(program)': \(errnoText())") }
        }
        defer { if script >= 0 { _ = close(script) } }
        switch LocalSpawn.spawn(
            path: path, arguments: arguments, environment: environment,
            workingDirectory: request.workingDirectory, stdout: stdout, stderr: stderr, script: script) {
        case .success(let started): return (started, nil)
        case .failure(let failure): return (nil, describe(failure, program: program, directory: request.workingDirectory))
        }
    }

    /// The `PWD` dash would export in the task's directory: the inherited
    /// one if it names that directory, else the physical path.
    private static func shellPWD(_ request: ProcessRequest) -> String {
        let inherited = request.environment.last(where: { $0.name == "PWD" })?.value
            ?? getenv("PWD").map { String(cString: $0) }
        var target = stat()
        var named = stat()
        if let inherited, inherited.hasPrefix("/"), stat(request.workingDirectory, &target) == 0,
           stat(inherited, &named) == 0, named.st_dev == target.st_dev, named.st_ino == target.st_ino {
            return inherited
        }
        guard let resolved = realpath(request.workingDirectory, nil) else { return request.workingDirectory }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func termination(_ status: CInt) -> ProcessOutcome.Termination {
        let low = status & 0x7f
        if low == 0 { return .exited((status >> 8) & 0xff) }
        return .signaled(low)
    }

    /// A pipe with both ends close-on-exec; the read end asks for a 1 MiB buffer.
    private static func makePipe() -> (read: CInt, write: CInt)? {
        var fds: [CInt] = [-1, -1]
        guard flowrun_cloexec_pipe(&fds) == 0 else { return nil }
        _ = flowrun_set_pipe_size(fds[0], pipeSize)
        return (fds[0], fds[1])
    }

    private static func checkDirectory(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return "working directory '\(path)': \(errnoText())"
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            return "working directory '\(path)' is not a directory"
        }
        return nil
    }

    private static func errnoText(_ number: CInt = errno) -> String {
        String(cString: strerror(number))
    }

    private static func describe(_ failure: LocalSpawn.Failure, program: String, directory: String) -> String {
        switch failure {
        case .exec(let number) where number == ENOENT: return "shell '\(program)' not found"
        case .exec(let number): return "cannot start '\(program)': \(errnoText(number))"
        case .directory: return "cannot change to working directory '\(directory)'"
        case .spawn(let number): return "cannot start '\(program)': \(errnoText(number))"
        }
    }
}
