/// The last successful run of one task: what lets a later run skip it.
///
/// The result is stored as the run showed it, secrets already masked, so no
/// secret value reaches the state; the fingerprint covers env values only as
/// a SHA-256. The file is still written mode 0600, as a stored result may be
/// whatever the task printed.
public struct TaskRecord: Sendable, Hashable {
    public var task: String
    public var fingerprint: Fingerprint
    public var runID: String
    /// When the run that produced it finished, seconds since the epoch.
    public var finishedAt: Int
    public var result: String?
    public var outputs: [String: String]

    public init(task: String, fingerprint: Fingerprint, runID: String, finishedAt: Int, result: String?, outputs: [String: String] = [:]) {
        self.task = task
        self.fingerprint = fingerprint
        self.runID = runID
        self.finishedAt = finishedAt
        self.result = result
        self.outputs = outputs
    }

    func json() -> String {
        var out = "{\n  \"format\": \(StateFormat.version),\n  \"task\": \(JSONText.quoted(task)),\n"
        out += "  \"fingerprint\": \(JSONText.quoted(fingerprint.hex)),\n  \"runId\": \(JSONText.quoted(runID)),\n"
        out += "  \"finishedAt\": \(finishedAt),\n  \"result\": \(JSONText.quoted(result)),\n"
        out += "  \"outputs\": {" + outputs.keys.sorted().map { "\(JSONText.quoted($0)): \(JSONText.quoted(outputs[$0]!))" }
            .joined(separator: ", ") + "}\n}\n"
        return out
    }

    init?(_ json: StateJSON) {
        guard let task = json["task"]?.string, let hex = json["fingerprint"]?.string,
              let digest = SHA256Digest(hex: hex), let runID = json["runId"]?.string,
              let finishedAt = json["finishedAt"]?.int, let result = json["result"],
              let outputs = json["outputs"]?.stringMap
        else { return nil }
        guard result.isNull || result.string != nil else { return nil }
        self.init(task: task, fingerprint: Fingerprint(digest: digest), runID: runID, finishedAt: finishedAt,
                  result: result.string, outputs: outputs)
    }
}

/// A run as `flowrun log` lists it.
public struct RunSummary: Sendable, Hashable {
    public var runID: String
    /// Seconds since the epoch.
    public var startedAt: WallTime
    public var duration: Duration
    /// `succeeded`, `failed` or `interrupted`.
    public var status: String
    public var exitCode: Int
    /// How many tasks ended in each state, by state name.
    public var counts: [String: Int]
    /// What its kept reports take (`runs/RUNID.*`), in bytes, set once they are written;
    /// nil in a record from before 0.2.1, whose reports are then measured on disk. Kept here
    /// so that pruning by size reads no file: 100 kept runs were 300 `stat`s every run.
    public var bytes: Int?

    public init(
        runID: String, startedAt: WallTime, duration: Duration, status: String, exitCode: Int, counts: [String: Int],
        bytes: Int? = nil
    ) {
        self.runID = runID
        self.startedAt = startedAt
        self.duration = duration
        self.status = status
        self.exitCode = exitCode
        self.counts = counts
        self.bytes = bytes
    }

    func json() -> String {
        "{\"runId\": \(JSONText.quoted(runID)), \"startedAt\": \(startedAt.seconds), "
            + "\"startedAtNanoseconds\": \(startedAt.nanoseconds), "
            + "\"duration\": \(DurationFormat.seconds(duration)), \"status\": \(JSONText.quoted(status)), "
            + "\"exitCode\": \(exitCode), \"counts\": {"
            + counts.keys.sorted().map { "\(JSONText.quoted($0)): \(counts[$0]!)" }.joined(separator: ", ") + "}"
            + (bytes.map { ", \"bytes\": \($0)" } ?? "") + "}"
    }

    init?(_ json: StateJSON) {
        guard let runID = json["runId"]?.string, RunSummary.isValidID(runID),
              let seconds = json["startedAt"]?.int, let duration = json["duration"]?.double,
              let status = json["status"]?.string, let exitCode = json["exitCode"]?.int,
              let countEntries = json["counts"]?.entries
        else { return nil }
        var counts: [String: Int] = [:]
        for (key, value) in countEntries {
            guard let count = value.int else { return nil }
            counts[key] = count
        }
        self.init(
            runID: runID, startedAt: WallTime(seconds: seconds, nanoseconds: json["startedAtNanoseconds"]?.int ?? 0),
            duration: .milliseconds(Int64((duration * 1000).rounded())), status: status, exitCode: exitCode, counts: counts,
            bytes: json["bytes"]?.int.flatMap { $0 >= 0 ? $0 : nil })
    }

    /// Run ids name files: hex digits and dashes only, so no id can name a path outside `runs/`.
    public static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || $0 == 0x2D }
    }
}

/// A workflow's history: which run was last (for `--resume`) and the runs kept (for `flowrun log`).
public struct WorkflowRecord: Sendable, Hashable {
    public var workflow: String
    /// The workflow file, absolute.
    public var source: String
    /// Oldest first; the last one is the last run.
    public var runs: [RunSummary]

    public init(workflow: String, source: String, runs: [RunSummary] = []) {
        self.workflow = workflow
        self.source = source
        self.runs = runs
    }

    func json() -> String {
        var out = "{\n  \"format\": \(StateFormat.version),\n  \"workflow\": \(JSONText.quoted(workflow)),\n"
        out += "  \"source\": \(JSONText.quoted(source)),\n"
        out += "  \"runs\": [\n" + runs.map { "    " + $0.json() }.joined(separator: ",\n") + "\n  ]\n}\n"
        return out
    }

    init?(_ json: StateJSON) {
        guard let workflow = json["workflow"]?.string, let source = json["source"]?.string, let runs = json["runs"]?.array
        else { return nil }
        var summaries: [RunSummary] = []
        for run in runs {
            guard let summary = RunSummary(run) else { return nil }
            summaries.append(summary)
        }
        self.init(workflow: workflow, source: source, runs: summaries)
    }
}

/// `runs/RUNID.tasks.json`: the tasks a run ended with a success, for the next
/// `--resume`: fingerprints and outputs. Their results are read from the run's
/// JSON report beside it, not stored twice (a result can be a megabyte).
enum LastRunFile {
    static func json(_ tasks: [String: LastRunTask]) -> String {
        var out = ""
        write(SucceededTasks(tasks), to: &out)
        return out
    }

    /// The same file written piece by piece (100,000 tasks are 11 MB).
    static func write<Out: TextOutputStream>(_ tasks: SucceededTasks, to out: inout Out) {
        out.write("{\n  \"format\": \(StateFormat.version),\n  \"tasks\": {\n")
        // Names and digests need no String of their own per entry (100,000 entries are 11 MB).
        var first = true
        tasks.forEachByName { entry in
            out.write(first ? "    " : ",\n    ")
            first = false
            JSONText.write(entry.name, to: &out)
            out.write(": {\"fingerprint\": \"")
            out.write(entry.fingerprint.hex)
            out.write("\", \"outputs\": {")
            if !entry.outputs.isEmpty {
                out.write(entry.outputs.keys.sorted().map { "\(JSONText.quoted($0)): \(JSONText.quoted(entry.outputs[$0]!))" }
                    .joined(separator: ", "))
            }
            out.write("}}")
        }
        out.write("\n  }\n}\n")
    }

    /// The tasks, their results taken from `results` (by `stage/task`); a task without one there is left out.
    static func tasks(_ json: StateJSON, results: [String: String?]) -> [String: LastRunTask]? {
        guard let entries = json["tasks"]?.entries else { return nil }
        var tasks: [String: LastRunTask] = [:]
        for (name, value) in entries {
            guard let hex = value["fingerprint"]?.string, let digest = SHA256Digest(hex: hex),
                  let outputs = value["outputs"]?.stringMap
            else { return nil }
            guard let result = results[name] else { continue }
            tasks[name] = LastRunTask(fingerprint: Fingerprint(digest: digest), result: result, outputs: outputs)
        }
        return tasks
    }

    /// Each task's result in a JSON report (`JSONReport`), by `stage/task`; nil when it is not one.
    static func results(report json: StateJSON) -> [String: String?]? {
        guard let tasks = json["tasks"]?.array else { return nil }
        var results: [String: String?] = [:]
        for task in tasks {
            guard let stage = task["stage"]?.string, let name = task["name"]?.string, let result = task["result"],
                  result.isNull || result.string != nil
            else { return nil }
            results[stage + "/" + name] = .some(result.string)
        }
        return results
    }
}

/// The version of the state layout; a file with another `format` is ignored with a warning.
public enum StateFormat {
    public static let version = 1
}
