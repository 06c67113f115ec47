#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The run as JUnit XML (`--junit FILE`), the test-result format CI systems read.
///
/// One `<testsuite>` per stage, one `<testcase>` per task (`classname` is
/// `workflow.stage`, `name` the task's name). A task that failed, was killed
/// or timed out has a `<failure>`; one that could not start an `<error>`; a
/// skipped or cancelled task a `<skipped>`. A failure under
/// `continue-on-error` is still a `<failure>` (its message says so): the
/// file reports what happened, the exit status what it means.
/// Output is bounded by the `TaskOutputLog` it comes from; every text is
/// masked and escaped, and characters XML cannot carry are replaced.
public enum JUnitReport {
    /// Renders the document.
    /// - Parameters:
    ///   - outputs: the tasks' captured output for `<system-out>`/`<system-err>`; nil for none.
    ///   - mask: applied to every text taken from the run (output is masked already; this is a second line of defence).
    public static func render(_ run: RunResult, outputs: TaskOutputLog? = nil, mask: SecretMask = SecretMask([])) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let all = Counts(run.tasks)
        out += "<testsuites name=\"\(XMLText.attribute(run.workflowName))\"" + all.attributes
            + " time=\"\(DurationFormat.seconds(run.wallTime))\">\n"
        for stage in run.stages {
            let tasks = run.tasks.filter { $0.id.stage == stage.index }
            let counts = Counts(tasks)
            out += "  <testsuite name=\"\(XMLText.attribute(stage.name))\"" + counts.attributes
                + " time=\"\(DurationFormat.seconds(stage.duration))\""
                + (stage.started.map { " timestamp=\"\(timestamp(run.startedAt.adding($0)))\"" } ?? "") + ">\n"
            for task in tasks {
                out += testcase(task, workflow: run.workflowName, outputs: outputs, mask: mask)
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    private struct Counts {
        var tests = 0, failures = 0, errors = 0, skipped = 0

        init(_ tasks: [TaskResult]) {
            tests = tasks.count
            for task in tasks {
                switch task.state {
                case .failedToStart: errors += 1
                case .failed, .killed, .timedOut, .outputsInvalid: failures += 1
                case .cancelled, .skipped: skipped += 1
                case .succeeded, .upToDate: break
                }
            }
        }

        var attributes: String {
            " tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\""
        }
    }

    private static func testcase(_ task: TaskResult, workflow: String, outputs: TaskOutputLog?, mask: SecretMask) -> String {
        var out = "    <testcase classname=\"\(XMLText.attribute(workflow + "." + task.stageName))\""
            + " name=\"\(XMLText.attribute(task.name))\" time=\"\(DurationFormat.seconds(task.duration))\""
        var body = properties(task, mask: mask)
        let suffix = (task.attempts > 1 ? " after \(task.attempts) attempts" : "")
            + (task.continueOnError && task.state.isFailure ? " (continue-on-error)" : "")
        switch task.state {
        case .succeeded, .upToDate:
            break
        case .failed, .killed, .timedOut, .outputsInvalid:
            body += element("failure", message: mask.apply(failureMessage(task.state) + suffix),
                            type: task.state.name, text: mask.apply(tail(task)))
        case .failedToStart:
            body += element("error", message: mask.apply(failureMessage(task.state) + suffix),
                            type: "failed-to-start", text: mask.apply(tail(task)))
        case .cancelled:
            body += "      <skipped message=\"cancelled: stopped by fail-fast or an interrupt\"/>\n"
        case .skipped where task.reason == .condition:
            body += "      <skipped message=\"skipped: its condition (if) was false\"/>\n"
        case .skipped where task.reason == .notSelected:
            body += "      <skipped message=\"skipped: not selected (the run's targets do not need it)\"/>\n"
        case .skipped:
            body += "      <skipped message=\"skipped: not started because the run stopped earlier\"/>\n"
        }
        if let outputs {
            for (stream, tag) in [(OutputStreamKind.stdout, "system-out"), (.stderr, "system-err")] {
                let captured = outputs.captured(task.id, stream)
                guard !captured.lines.isEmpty || captured.droppedBytes > 0 else { continue }
                body += "      <\(tag)>\(XMLText.content(mask.apply(captured.text)))</\(tag)>\n"
            }
        }
        if body.isEmpty { return out + "/>\n" }
        out += ">\n" + body + "    </testcase>\n"
        return out
    }

    /// The task's resources and queueing as `<property>` elements (CPU in
    /// seconds, peak RSS in bytes), the same names as the JSON report's.
    private static func properties(_ task: TaskResult, mask: SecretMask) -> String {
        var pairs: [(String, String)] = []
        if let queued = task.queued { pairs.append(("queued", DurationFormat.seconds(queued))) }
        if let usage = task.resources {
            pairs += [
                ("userCPU", DurationFormat.seconds(usage.userCPU)), ("systemCPU", DurationFormat.seconds(usage.systemCPU)),
                ("maxRSS", String(usage.maxRSS)), ("readBlocks", String(usage.readBlocks)),
                ("writtenBlocks", String(usage.writtenBlocks)),
            ]
        }
        // Steps and outputs as properties: CI viewers list them under the test case, in order.
        for (index, step) in task.steps.enumerated() {
            var value = RunReport.describe(step) + (step.started != nil ? " in \(DurationFormat.seconds(step.duration))s" : "")
            if let usage = step.resources {
                value += " (cpu \(DurationFormat.seconds(usage.cpu))s, maxRSS \(usage.maxRSS))"
            }
            pairs.append(("step.\(index + 1).\(step.name)", value))
        }
        for output in task.outputs { pairs.append(("output.\(output.name)", output.value)) }
        guard !pairs.isEmpty else { return "" }
        return "      <properties>\n"
            + pairs.map { "        <property name=\"\(XMLText.attribute($0.0))\" value=\"\(XMLText.attribute(mask.apply($0.1)))\"/>\n" }.joined()
            + "      </properties>\n"
    }

    /// `exit status 2`, `killed by signal 9 (SIGKILL)`, `timed out`, `failed to start: …`.
    static func failureMessage(_ state: TaskState) -> String {
        switch state {
        case .failed(let code): "exit status \(code)"
        default: RunReport.describe(state)
        }
    }

    private static func tail(_ task: TaskResult) -> String {
        task.stderrTail.isEmpty ? "" : task.stderrTail.joined(separator: "\n") + "\n"
    }

    private static func element(_ name: String, message: String, type: String, text: String) -> String {
        let open = "      <\(name) message=\"\(XMLText.attribute(message))\" type=\"\(XMLText.attribute(type))\""
        return text.isEmpty ? open + "/>\n" : open + ">\(XMLText.content(text))</\(name)>\n"
    }

    /// ISO 8601 in UTC with milliseconds: `2026-11-26T11:40:00.123Z`.
    static func timestamp(_ time: WallTime) -> String {
        var seconds = time_t(time.seconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
            + "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))"
            + ".\(pad(Int32(time.nanoseconds / 1_000_000), 3))Z"
    }
}
