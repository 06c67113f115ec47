#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Subprocess
import Synchronization
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Starts task processes with swift-subprocess, each in its own session.
///
/// The child gets: a new session and process group (pgid == sid == pid),
/// stdin `/dev/null`, an empty signal mask and default dispositions, and no
/// descriptors beyond 0–2; tests check all of it in the child.
///
/// Why a session and not only a process group: without a controlling
/// terminal, a task that opens `/dev/tty` (a password prompt, `ssh`) fails at
/// once instead of being stopped by SIGTTIN in a background group, which
/// would hang the run. Asking Subprocess for a session and a process group
/// takes its fork/exec path, which also resets every signal disposition;
/// glibc's posix_spawn (2.36) would leave its internal signals 32 and 33
/// ignored. The price, measured on 1,000 `/bin/true` tasks at `--jobs 64`
/// (release, 2 cores): 2.0 s, against 0.95 s for posix_spawn with only a
/// process group and 1.1 s for `xargs -P 64` running `sh -c`; most of it is
/// `setsid`, which makes the kernel create a scheduler autogroup per task.
///
/// The pipes are flowrun's own (see `PipeReader` for why). Sequence of an
/// attempt: spawn → attach the pgid → wait for the shell to exit (a pidfd on
/// Linux) → if the group is being ended, give the rest of it until the kill
/// deadline to close the pipes → SIGKILL what is left of the group while the
/// shell is still an unreaped zombie → Subprocess reaps → drain the pipes,
/// bounded by `drainLimit`.
public struct ProcessRunner: ProcessRunning {
    public let registry: ProcessGroupRegistry
    /// How long to wait for the pipes to close after the group was killed
    /// before declaring an escaped descendant and closing them.
    public let drainLimit: Duration


    public init(
        registry: ProcessGroupRegistry = .shared, drainLimit: Duration = .seconds(1)) {
        self.registry = registry
        self.drainLimit = drainLimit
    }

    public func run(
        _ request: ProcessRequest,
        onLines: @escaping @Sendable (OutputStreamKind, OutputLines) -> Void
    ) async -> ProcessOutcome {
        guard let program = request.arguments.first else {
            return ProcessOutcome(termination: .failedToStart(reason: "empty command"))
        }
        if let problem = Self.checkDirectory(request.workingDirectory) {
            return ProcessOutcome(termination: .failedToStart(reason: problem))
        }
        if request.inheritsTerminal {
            let searchPath = request.environment.last(where: { $0.name == "PATH" })?.value ?? ExecutableLookup.processPath
            let found = program.contains("/") ? program : ExecutableLookup.shared.resolve(program, path: searchPath)
            guard let found else { return ProcessOutcome(termination: .failedToStart(reason: "\(program): command not found in PATH")) }
            return await TerminalProcess.run(request, executable: found, registry: registry)
        }
        guard let out = Self.makePipe(), let err = Self.makePipe() else {
            return ProcessOutcome(termination: .failedToStart(reason: "cannot create a pipe: \(Self.errnoText())"))
        }
        let outReader = PipeReader(
            fd: out.read, stream: .stdout, captureLimit: request.stdoutCaptureLimit, tailLines: 0,
            mask: request.mask, onLines: onLines)
        let errReader = PipeReader(
            fd: err.read, stream: .stderr, captureLimit: request.stderrCaptureLimit, tailLines: 20,
            mask: request.mask, onLines: onLines)
        outReader.start()
        errReader.start()

        let group = ProcessGroup()
        registry.register(group)
        defer { registry.unregister(group) }

        var options = PlatformOptions()
        options.createSession = true
        // Both: Subprocess takes its fork/exec path for the pair (see above).
        // setpgid(0, 0) after setsid fails harmlessly: the child already
        // leads its own group.
        options.processGroupID = 0
        let readers = [outReader, errReader]
        var overrides: [Environment.Key: String?] = [:]
        for (name, value) in request.environment {
            if let key = Environment.Key(rawValue: name) { overrides[key] = value }
        }
        let executable: Executable
        if program.contains("/") {
            executable = .path(FilePath(program))
        } else {
            let searchPath = request.environment.last(where: { $0.name == "PATH" })?.value ?? ExecutableLookup.processPath
            guard let found = ExecutableLookup.shared.resolve(program, path: searchPath) else {
                for reader in readers { reader.close() }
                return ProcessOutcome(termination: .failedToStart(reason: "\(program): command not found in PATH"))
            }
            executable = .path(FilePath(found))
        }
        let configuration = Configuration(
            executable: executable,
            arguments: Arguments(Array(request.arguments.dropFirst())),
            environment: Environment.inherit.updating(overrides),
            workingDirectory: FilePath(request.workingDirectory),
            platformOptions: options
        )
        // Subprocess reacts to cancellation with its own teardown (SIGKILL to
        // the shell only). flowrun ends the whole group with a grace period
        // instead, so the spawn runs in an unstructured task that does not
        // inherit cancellation, and cancellation is forwarded to `group`.
        // Processes that left the group (setsid, double fork) are adopted by
        // flowrun when their parent exits (see `ChildSubreaper`); they still
        // carry the task's FLOWRUN_* variables, which is how they are found.
        let subreaper = ChildSubreaper.active(for: registry)
        let identity = request.environment.filter { $0.name.hasPrefix("FLOWRUN_") }.map { "\($0.name)=\($0.value)" }
        // When the shell was running: what came before is queueing (see `ProcessOutcome.running`).
        let spawned = Mutex<ContinuousClock.Instant?>(nil)
        let attempt = Task { () -> (ProcessOutcome.Termination, ChildSubreaper.Sweep?) in
            do {
                let result = try await Subprocess.run(
                    configuration,
                    input: .none,
                    output: .fileDescriptor(FileDescriptor(rawValue: out.write), closeAfterSpawningProcess: true),
                    error: .fileDescriptor(FileDescriptor(rawValue: err.write), closeAfterSpawningProcess: true)
                ) { execution in
                    group.attach(execution.processIdentifier.value)
                    spawned.withLock { $0 = .now }
                    await ProcessExit.wait(for: execution.processIdentifier)
                    if let deadline = group.killDeadline {
                        let remaining = deadline - .now
                        for reader in readers { _ = await reader.waitForEnd(atMost: max(remaining, .zero)) }
                    }
                    group.release()
                    let pgid = execution.processIdentifier.value
                    return subreaper?.sweep(.attempt(identity: identity, group: pgid))
                }
                switch result.terminationStatus {
                case .exited(let code): return (.exited(code), result.closureResult)
                case .signaled(let signal): return (.signaled(signal), result.closureResult)
                }
            } catch {
                for reader in readers { reader.close() }
                return (.failedToStart(reason: Self.describe(error, program: program, directory: request.workingDirectory)), nil)
            }
        }
        let (termination, sweep) = await withTaskCancellationHandler {
            await attempt.value
        } onCancel: {
            group.terminate(grace: request.killGrace)
        }
        var clean = true
        // One deadline for both pipes, so an escaped holder of both costs drainLimit once.
        let drainDeadline = ContinuousClock.now + drainLimit
        for reader in readers where !(await reader.waitForEnd(forcingAfter: max(drainDeadline - .now, .zero))) {
            clean = false
        }
        // Reap the adopted members of this group that were still dying at the first sweep.
        if let sweep, sweep.remaining > 0 { _ = subreaper?.sweep(.none) }

        let (stdoutBytes, stdoutTruncated) = outReader.captured
        let (stderrBytes, _) = errReader.captured
        return ProcessOutcome(
            termination: termination,
            stdout: request.mask.apply(String(decoding: stdoutBytes, as: UTF8.self)),
            stderr: request.mask.apply(String(decoding: stderrBytes, as: UTF8.self)),
            stdoutTruncated: stdoutTruncated,
            stderrTail: errReader.tail,
            escapedDescendant: !clean || (sweep?.ended ?? 0) > 0,
            running: spawned.withLock { $0 }.map { ContinuousClock.now - $0 }
        )
    }

    private static func makePipe() -> (read: CInt, write: CInt)? {
        var fds: [CInt] = [-1, -1]
        // pipe2 is not exported by the Glibc module. The window before
        // FD_CLOEXEC is set is harmless: Subprocess's spawn closes every
        // descriptor above 2 in the child (close_range/closefrom), and flowrun
        // starts no process any other way.
        guard pipe(&fds) == 0 else { return nil }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
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

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }

    private static func describe(_ error: any Error, program: String, directory: String) -> String {
        guard let error = error as? SubprocessError else { return "\(error)" }
        switch error.code {
        case .executableNotFound: return "shell '\(program)' not found"
        case .failedToChangeWorkingDirectory: return "cannot change to working directory '\(directory)'"
        default: return "cannot start '\(program)': \(error)"
        }
    }
}

