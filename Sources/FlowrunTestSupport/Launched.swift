import CFlowrunShims
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a launched flowrun ended.
public struct Ending: CustomStringConvertible {
    /// The exit status, or nil when killed by a signal.
    public var status: Int32?
    public var signal: Int32?
    /// From launch to reaping.
    public var elapsed: Duration
    /// Peak resident set size, bytes (from `wait4`).
    public var maxRSS: Int
    /// User + system CPU time: the work done, whatever else the machine was doing.
    public var cpuTime: Duration

    public var description: String {
        let how = status.map { "exit \($0)" } ?? "signal \(signal ?? -1)"
        return "\(how) after \(elapsed) (CPU \(cpuTime), peak RSS \(maxRSS >> 20) MB)"
    }
}

/// Where a launched flowrun's stdout or stderr goes.
public enum Destination {
    /// A file in the scratch folder (read back with `Launched.stdout`).
    case file
    case devNull
    /// An open descriptor, duplicated into the child.
    case descriptor(CInt)
}

/// A running flowrun started by a test: its own process group (so a signal
/// to the group reaches flowrun and nothing of the test), stdin /dev/null,
/// a unique marker variable in its environment that every task inherits.
public final class Launched: @unchecked Sendable {
    // @unchecked: `ending` is set once by `wait`, which tests call from one task.
    public let pid: pid_t
    public let marker: String
    public let started: ContinuousClock.Instant
    private let scratch: TemporaryFolder
    private let tag: String
    private var ending: Ending?

    public static let markerName = "FLOWRUN_RELIABILITY_MARKER"

    /// Starts `flowrun ARGS` in `directory` (by default the test's own current
    /// folder, so paths in ARGS must be absolute); output files go to `scratch`.
    public init(_ arguments: [String], in scratch: TemporaryFolder, directory: String? = nil, stdin: String = "/dev/null",
                stdout: Destination = .file, stderr: Destination = .file, extraEnvironment: [String: String] = [:],
                executable: String? = nil) throws {
        let binary = try executable ?? FlowrunBinary.require()
        self.scratch = scratch
        tag = UUID().uuidString.prefix(8).lowercased()
        marker = "m-\(UUID().uuidString)"
        var environment = ProcessInfo.processInfo.environment
        environment[Self.markerName] = marker
        environment["NO_COLOR"] = "1"
        // Under GitHub Actions, flowrun would add workflow commands to the output tests read.
        environment["GITHUB_ACTIONS"] = nil
        for (name, value) in extraEnvironment { environment[name] = value }

        #if canImport(Darwin)
        var actions: posix_spawn_file_actions_t? = nil
        var attributes: posix_spawnattr_t? = nil
        #else
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        for (fd, destination, name) in [(CInt(1), stdout, "stdout"), (CInt(2), stderr, "stderr")] {
            switch destination {
            case .file:
                posix_spawn_file_actions_addopen(
                    &actions, fd, scratch.file("\(tag).\(name)"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            case .devNull:
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
            case .descriptor(let source):
                posix_spawn_file_actions_adddup2(&actions, source, fd)
            }
        }

        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        // A shell that changes folder and execs: the pid stays the one launched.
        let prefix = directory.map { ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0] } ?? []
        let program = prefix.first ?? binary
        let argv = (prefix + [binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child: pid_t = 0
        started = .now
        if Self.viaForkingLauncher {
            // `setsid -f` forks and exits; its child (a shell that writes its pid
            // to a file and execs flowrun), orphaned, is adopted by this process
            // (a subreaper) and reaped by `wait` below. Why the hop: a child
            // started with posix_spawn (or fork) inherits this process's memory
            // high-water mark into its ru_maxrss; one forked by a small, freshly
            // exec'd program does not, so `maxRSS` is flowrun's own. flowrun then
            // leads its own session and group, as with SETPGROUP.
            let pidFile = scratch.file("\(tag).pid")
            let script = "cd \"$1\" && shift && echo $$ > \"$0.tmp\" && mv \"$0.tmp\" \"$0\" && exec \"$@\""
            let launcher = ([Self.setsid, "-f", "/bin/sh", "-c", script, pidFile, directory ?? ".", binary] + arguments)
                .map { strdup($0) }
                + [nil]
            defer { for pointer in launcher { free(pointer) } }
            var launcherPID: pid_t = 0
            let rc = posix_spawn(&launcherPID, Self.setsid, &actions, &attributes, launcher, envp)
            guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
            var status: CInt = 0
            _ = waitpid(launcherPID, &status, 0)
            pid = try Self.readPID(pidFile)
        } else {
            let rc = posix_spawn(&child, program, &actions, &attributes, argv, envp)
            guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
            pid = child
        }
    }

    private static let setsid = "/usr/bin/setsid"

    /// True on Linux when `setsid` is there and this process could become a subreaper.
    private static let viaForkingLauncher: Bool = {
        #if os(Linux)
        return FileManager.default.isExecutableFile(atPath: setsid) && flowrun_become_child_subreaper() == 0
        #else
        return false
        #endif
    }()

    /// The pid the launcher's shell wrote (renamed into place, so never half
    /// written); waits for it at most 5 s.
    private static func readPID(_ file: String) throws -> pid_t {
        let deadline = ContinuousClock.now + .seconds(5)
        repeat {
            if let text = try? String(contentsOfFile: file, encoding: .utf8),
               let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return pid
            }
            usleep(200)
        } while ContinuousClock.now < deadline
        throw POSIXError(.ESRCH)
    }

    deinit {
        // A test that failed half-way must not leave flowrun (or its tasks) running.
        if ending == nil {
            _ = kill(-pid, SIGKILL)
            var status: CInt = 0
            _ = waitpid(pid, &status, 0)
        }
        Descendants.kill(marker: marker)
    }

    public func signal(_ number: CInt) { _ = kill(pid, number) }
    public func signalGroup(_ number: CInt) { _ = kill(-pid, number) }

    /// Waits for flowrun to exit (polling `wait4`), at most `limit`; nil on timeout.
    public func wait(atMost limit: Duration = .seconds(20)) async -> Ending? {
        if let ending { return ending }
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            var status: CInt = 0
            var usage = rusage()
            let rc = wait4(pid, &status, WNOHANG, &usage)
            if rc == pid {
                let elapsed = ContinuousClock.now - started
                let low = status & 0x7f
                #if os(Linux)
                let rss = Int(usage.ru_maxrss) * 1024
                #else
                let rss = Int(usage.ru_maxrss)
                #endif
                let cpu = Duration.seconds(Int64(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec))
                    + .microseconds(Int64(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec))
                let result = low == 0
                    ? Ending(status: (status >> 8) & 0xff, signal: nil, elapsed: elapsed, maxRSS: rss, cpuTime: cpu)
                    : Ending(status: nil, signal: low, elapsed: elapsed, maxRSS: rss, cpuTime: cpu)
                ending = result
                return result
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return nil
    }

    public var stdout: String { scratch.read("\(tag).stdout") }
    public var stderr: String { scratch.read("\(tag).stderr") }
    public var stdoutPath: String { scratch.file("\(tag).stdout") }

    /// Live processes carrying this run's marker, flowrun itself excluded.
    public var descendants: [Descendants.Process] { Descendants.find(marker: marker).filter { $0.pid != pid } }
}

