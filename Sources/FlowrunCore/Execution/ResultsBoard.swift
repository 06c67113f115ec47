import Synchronization

/// The results of a run's finished tasks, by stage name then task name, and
/// the one place where run-time templates are filled from them (and from a
/// task's own output).
final class ResultsBoard: Sendable {
    private let results = Mutex<[String: [String: String]]>([:])
    /// States of finished tasks and stages, for conditions (`stages.S.state`, `…tasks.T.state`).
    private let states = Mutex<[String: String]>([:])

    /// Records a finished task's state.
    func post(_ result: TaskResult) {
        states.withLock { $0["\(result.stageName)\u{0}\(result.name)"] = result.state.name }
    }

    /// Records a finished stage's state: failed if a task failed (and was not
    /// tolerated), skipped if none ran, else succeeded.
    func postStage(_ name: String, tasks: [TaskResult]) {
        let state: String
        if tasks.contains(where: { !$0.countsAsSuccess }) {
            state = "failed"
        } else if tasks.allSatisfy({ $0.state == .skipped }) {
            state = "skipped"
        } else {
            state = "succeeded"
        }
        states.withLock { $0[name] = state }
    }

    /// What a condition sees of the run so far.
    func evaluator(_ status: ConditionEvaluator.Status) -> ConditionEvaluator {
        let results = results.withLock { $0 }
        let states = states.withLock { $0 }
        return ConditionEvaluator(status: status) { reference in
            switch reference {
            case .taskResult(let stage, let task): results[stage]?[task]
            case .taskState(let stage, let task): states["\(stage)\u{0}\(task)"]
            case .stageState(let stage): states[stage]
            case .variable, .environment, .hostOS, .hostArch: nil
            }
        }
    }

    /// Records the result of `task` in `stage`, for the templates of later stages.
    func post(_ value: String, stage: String, task: String) {
        results.withLock { $0[stage, default: [:]][task] = value }
    }

    /// Fills run-time holes: earlier results, and this task's own output.
    /// `${{ stdout }}` and `${{ stderr }}` lose one trailing newline, like the default result.
    func render(_ text: PlannedText, own: ProcessOutcome?) -> String {
        if text.isResolved { return text.render { _ in "" } }
        let known = results.withLock { $0 }
        return text.render { part in
            switch part {
            case .text(let s): return s
            case .taskResult(let stage, let task): return known[stage]?[task] ?? ""
            case .ownOutput(.stdout): return Self.droppingOneNewline(own?.stdout ?? "")
            case .ownOutput(.stderr): return Self.droppingOneNewline(own?.stderr ?? "")
            case .ownOutput(.exitCode):
                if case .exited(let code) = own?.termination { return String(code) }
                return ""
            }
        }
    }

    /// Which of its own outputs a task's `result` template reads.
    static func ownOutputs(_ text: PlannedText?) -> Set<Reference.OwnOutput> {
        var found = Set<Reference.OwnOutput>()
        for part in text?.parts ?? [] {
            if case .ownOutput(let which) = part { found.insert(which) }
        }
        return found
    }

    /// Drops one trailing `\n` byte (not a `\r\n` grapheme: only the newline goes).
    static func droppingOneNewline(_ text: String) -> String {
        guard text.utf8.last == 0x0A else { return text }
        return String(decoding: text.utf8.dropLast(), as: UTF8.self)
    }
}
