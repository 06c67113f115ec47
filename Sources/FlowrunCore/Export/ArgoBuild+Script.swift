/// The `source` of a task's script template. A plain `run` is the command
/// itself. A task with a `result:` template, `outputs` or `steps` is
/// wrapped: each command is written to a file and run by the task's shell,
/// its stdout and stderr shown; then the outputs written to
/// `$FLOWRUN_OUTPUT` are split into one file per name (GitHub Actions'
/// `NAME=VALUE` and `NAME<<DELIM` forms), a declared output not written
/// fails the task, and the result is written to `resultFile`.
extension ArgoBuild {
    mutating func scriptSource(
        _ task: PlannedTask, shell: [String], inputs: inout Inputs, secrets: inout [String], at location: SourceLocation?
    ) -> String? {
        let run = shell.map(ShellQuote.word).joined(separator: " ")
        var lines: [String] = []
        switch task.action {
        case .sleep:
            return nil
        case .run(let command, _):
            let source = render(command, inputs: &inputs, secrets: &secrets)
            if task.result == nil, task.outputs.isEmpty {
                return Self.prelude(inputs) + source
            }
            lines += Self.file("/tmp/flowrun-script", source)
            lines += outputsStart(task)
            lines += [
                "set +e",
                "\(run) /tmp/flowrun-script > /tmp/flowrun-stdout 2> /tmp/flowrun-stderr",
                "flowrun_exit=$?",
                "cat /tmp/flowrun-stdout",
                "cat /tmp/flowrun-stderr >&2",
            ]
        case .steps(let steps):
            lines += outputsStart(task)
            // `flowrun_failed`: the exit status of the first failed step; a step runs when its `if`
            // holds, by default `success()` (no step failed), as flowrun runs them.
            lines += ["set +e", "flowrun_failed=0"]
            for (index, step) in steps.enumerated() {
                lines.append("# step \(step.name)")
                guard let condition = stepCondition(step, inputs: &inputs, at: location) else { return nil }
                lines.append("if \(condition); then")
                var setup: [String] = []
                guard let directory = workingDirectory(step.workingDirectory, inputs: &inputs, at: location) else { return nil }
                let taskDirectory = workingDirectory(task.workingDirectory, inputs: &inputs, at: location) ?? ""
                // The workflow's own folder is the image's working directory, which a script cannot name: a step there stays in the task's.
                if directory != taskDirectory, !directory.isEmpty { setup.append("cd \(ShellQuote.word(directory)) || exit 1") }
                for entry in step.environment where !task.environment.contains(entry) {
                    setup.append("export \(entry.name)=\(shellWord(entry.value, inputs: &inputs, secrets: &secrets))")
                }
                let limit = step.timeout.map { "timeout -s TERM \(Self.seconds($0)) " } ?? ""
                switch step.action {
                case .sleep(let duration):
                    lines.append("sleep \(Self.decimalSeconds(duration)) > /tmp/flowrun-stdout 2> /tmp/flowrun-stderr")
                case .run(let command, _):
                    let file = "/tmp/flowrun-step-\(index + 1)"
                    lines += Self.file(file, render(command, inputs: &inputs, secrets: &secrets))
                    lines.append("(\((setup + ["\(limit)\(run) \(file)"]).joined(separator: "; "))) > /tmp/flowrun-stdout 2> /tmp/flowrun-stderr")
                case .steps: continue
                }
                lines += ["flowrun_exit=$?", "cat /tmp/flowrun-stdout", "cat /tmp/flowrun-stderr >&2"]
                if !step.continueOnError {
                    lines.append("[ \"$flowrun_exit\" = 0 ] || [ \"$flowrun_failed\" != 0 ] || flowrun_failed=$flowrun_exit")
                }
                lines.append("fi")
            }
            lines += ["flowrun_exit=$flowrun_failed", "[ \"$flowrun_exit\" = 0 ] || exit \"$flowrun_exit\""]
        }
        if !task.outputs.isEmpty {
            lines.append("[ \"$flowrun_exit\" = 0 ] || exit \"$flowrun_exit\"")
            lines.append("mkdir -p \(Self.outputsFolder) && awk \(ShellQuote.word(Self.outputsProgram)) \"$FLOWRUN_OUTPUT\" || exit 1")
            for name in task.outputs {
                let path = ShellQuote.word(Self.outputsFolder + "/" + name)
                lines.append("[ -f \(path) ] || { echo \(ShellQuote.word("output \(name) was not written")) >&2; exit 1; }")
            }
        }
        if fileResults[task.stageName]?.contains(task.name) == true {
            lines.append("printf '%s' \(resultWords(task.result, inputs: &inputs)) > \(Self.resultFile)")
        }
        lines.append("exit \"$flowrun_exit\"")
        return Self.prelude(inputs) + lines.joined(separator: "\n")
    }

    /// The shell test that decides whether a step runs (`ShellCondition`), or nil (reported).
    mutating func stepCondition(_ step: PlannedStep, inputs: inout Inputs, at location: SourceLocation?) -> String? {
        guard let condition = step.condition else { return "[ \"$flowrun_failed\" = 0 ]" }
        for source in Self.sources(condition) { _ = inputs.parameter(source) }
        for key in Self.matrixKeys(condition) { _ = inputs.matrix(key) }
        let known = inputs
        let translator = ShellCondition(word: { reference in
            switch reference {
            case .taskResult(let stage, let task): known.sources.firstIndex(of: .result(stage: stage, task: task)).map { "\"$FLOWRUN_RESULT_\($0)\"" }
            case .taskOutput(let stage, let task, let name):
                known.sources.firstIndex(of: .output(stage: stage, task: task, name: name)).map { "\"$FLOWRUN_RESULT_\($0)\"" }
            case .matrix(let key): known.matrixKeys.firstIndex(of: key).map { "\"$FLOWRUN_MATRIX_\($0)\"" }
            default: nil
            }
        })
        do {
            // A condition that calls no status function is `success() && condition`, as for stages.
            let test = try translator.command(condition)
            return condition.callsStatusFunction ? test : "[ \"$flowrun_failed\" = 0 ] && \(test)"
        } catch {
            problems.append(.error(.exportUnsupported(feature: error.feature, engine: "an exported script"), at: error.location ?? location))
            return nil
        }
    }

    /// The matrix keys a condition reads.
    static func matrixKeys(_ condition: Condition) -> [String] {
        condition.references.compactMap { reference, _ in
            if case .matrix(let key) = reference { key } else { nil }
        }
    }

    /// `FLOWRUN_OUTPUT`, a new empty file, for a task that declares outputs.
    func outputsStart(_ task: PlannedTask) -> [String] {
        task.outputs.isEmpty ? [] : ["export FLOWRUN_OUTPUT=/tmp/flowrun-output", ": > \"$FLOWRUN_OUTPUT\""]
    }

    /// The result as shell words: the `result:` template, or the (last step's) stdout without its trailing newline.
    func resultWords(_ result: PlannedText?, inputs: inout Inputs) -> String {
        guard let result else { return "\"$(cat /tmp/flowrun-stdout)\"" }
        var rendered = ""
        for part in result.parts {
            switch part {
            case .text(let literal): rendered += ShellQuote.word(literal)
            case .ownOutput(.stdout): rendered += "\"$(cat /tmp/flowrun-stdout)\""
            case .ownOutput(.stderr): rendered += "\"$(cat /tmp/flowrun-stderr)\""
            case .ownOutput(.exitCode): rendered += "\"$flowrun_exit\""
            default:
                var ignored: [String] = []
                rendered += render(PlannedText(parts: [part]), inputs: &inputs, secrets: &ignored)
            }
        }
        return rendered.isEmpty ? "''" : rendered
    }

    /// An env value as one shell word: its text quoted, its holes as variables.
    func shellWord(_ text: PlannedText, inputs: inout Inputs, secrets: inout [String]) -> String {
        if text.parts.isEmpty { return "''" }
        var out = ""
        for part in text.parts {
            if case .text(let literal) = part { out += ShellQuote.word(literal) } else {
                out += render(PlannedText(parts: [part]), inputs: &inputs, secrets: &secrets)
            }
        }
        return out
    }

    /// Lines that write `text` to `path` unchanged (a quoted here-document).
    static func file(_ path: String, _ text: String) -> [String] {
        var delimiter = "FLOWRUN_SCRIPT_END"
        while text.contains(delimiter) { delimiter += "_" }
        return ["cat > \(path) <<'\(delimiter)'", text, delimiter]
    }

    /// Turns each matrix's aggregated results (Argo's JSON list) into lines, as flowrun's `results` are.
    static func prelude(_ inputs: Inputs) -> String {
        var out = ""
        for (index, source) in inputs.sources.enumerated() {
            guard case .results = source else { continue }
            let variable = "FLOWRUN_RESULT_\(index)"
            out += "\(variable)=$(printf '%s' \"$\(variable)\" | awk \(ShellQuote.word(jsonLinesProgram))); export \(variable)\n"
        }
        return out
    }

    static func decimalSeconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 { return String(milliseconds / 1000) }
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// awk: `NAME=VALUE` and `NAME<<DELIM … DELIM` lines into one file per name.
    static let outputsProgram = #"""
        d != "" { if ($0 == d) { close(f); d = ""; next } printf "%s%s", (n++ ? "\n" : ""), $0 > f; next }
        /^[A-Za-z0-9_.-]+<</ { i = index($0, "<<"); f = "/tmp/flowrun-outputs/" substr($0, 1, i - 1); d = substr($0, i + 2); n = 0; printf "" > f; next }
        /^[A-Za-z0-9_.-]+=/ { i = index($0, "="); f = "/tmp/flowrun-outputs/" substr($0, 1, i - 1); printf "%s", substr($0, i + 1) > f; close(f) }
        """#

    /// awk: a JSON list of strings (as Argo aggregates a looped step's outputs) as one string per line.
    static let jsonLinesProgram = #"""
        { s = s $0 "\n" }
        END {
          h = "0123456789abcdef"; n = length(s); out = ""; k = 0
          for (i = 1; i <= n; i++) {
            if (substr(s, i, 1) != "\"") continue
            v = ""
            for (i++; i <= n && (c = substr(s, i, 1)) != "\""; i++) {
              if (c != "\\") { v = v c; continue }
              e = substr(s, ++i, 1)
              if (e == "n") v = v "\n"; else if (e == "t") v = v "\t"; else if (e == "r") v = v "\r"
              else if (e == "u") {
                x = 0
                for (j = 1; j <= 4; j++) x = x * 16 + index(h, tolower(substr(s, i + j, 1))) - 1
                i += 4; v = v sprintf("%c", x)
              } else v = v e
            }
            out = out (k++ ? "\n" : "") v
          }
          printf "%s", out
        }
        """#
}
