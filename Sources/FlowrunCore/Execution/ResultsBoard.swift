import Synchronization

/// The results of a run's finished tasks, by stage name then task name, and
/// the one place where run-time templates are filled from them (and from a
/// task's own output).
final class ResultsBoard: Sendable {
    private struct Entries {
        var results: [String: [String: String]] = [:]
        var outputs: [String: [String: [TaskOutput]]] = [:]
        /// Matrix instances' results by stage, then matrix task, keyed by instance id for their order.
        var instances: [String: [String: [TaskID: String]]] = [:]
    }

    private let entries = Mutex(Entries())
    /// States of finished tasks and stages, for conditions (`stages.S.state`, `…tasks.T.state`).
    private let states = Mutex<[String: String]>([:])
    /// False when no `if:` could read a task's state: then none is kept (12 MB at 100,000 tasks).
    private let keepsTaskStates: Bool
    /// The stages whose results and outputs something reads (`ResultReaders`); nil keeps every stage's.
    private let readStages: Set<String>?

    /// - Parameter plan: the run's plan, to know whether any `if:` (of a stage, task or step) may ask for
    ///   task states, and which stages' results are read.
    init(for plan: Plan? = nil) {
        keepsTaskStates = plan.map(Self.hasConditions) ?? true
        readStages = plan.map { ResultReaders($0).stages }
    }

    /// Whether the results of `stage` are kept: something may read them.
    func keepsResults(of stage: String) -> Bool { readStages?.contains(stage) ?? true }

    /// True when a stage, task or step of `plan` has an `if:`.
    static func hasConditions(_ plan: Plan) -> Bool {
        plan.stages.contains { stage in
            stage.condition != nil || stage.tasks.contains { task in
                guard task.condition == nil else { return true }
                guard case .steps(let steps) = task.action else { return false }
                return steps.contains { $0.condition != nil }
            }
        }
    }

    /// Records a finished task's state.
    func post(_ result: TaskResult) {
        guard keepsTaskStates else { return }
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
        let (results, outputs) = entries.withLock { ($0.results, $0.outputs) }
        let states = states.withLock { $0 }
        return ConditionEvaluator(status: status) { reference in
            switch reference {
            case .taskResult(let stage, let task): results[stage]?[task]
            case .taskOutput(let stage, let task, let name): outputs[stage]?[task]?.first { $0.name == name }?.value
            case .taskState(let stage, let task): states["\(stage)\u{0}\(task)"]
            case .stageState(let stage): states[stage]
            case .variable, .environment, .hostOS, .hostArch, .matrix: nil
            }
        }
    }

    /// Records the result of `task` in `stage`, for the templates of later stages.
    func post(_ value: String, stage: String, task: String) {
        guard keepsResults(of: stage) else { return }
        entries.withLock { $0.results[stage, default: [:]][task] = value }
    }

    /// Records a finished task: its result, its outputs and, for a matrix
    /// instance, its place in the matrix task's `results`.
    func post(_ task: PlannedTask, result: String, outputs: [TaskOutput]) {
        guard keepsResults(of: task.stageName) else { return }
        entries.withLock { entries in
            entries.results[task.stageName, default: [:]][task.name] = result
            if !outputs.isEmpty { entries.outputs[task.stageName, default: [:]][task.name] = outputs }
            if let matrixTask = task.matrixTask {
                entries.instances[task.stageName, default: [:]][matrixTask, default: [:]][task.id] = result
            }
        }
    }

    /// Fills run-time holes: earlier results, and this task's own output.
    /// `${{ stdout }}` and `${{ stderr }}` lose one trailing newline, like the default result.
    func render(_ text: PlannedText, own: ProcessOutcome?) -> String {
        if text.isResolved { return text.render { _ in "" } }
        let known = entries.withLock { $0 }
        return text.render { part in
            switch part {
            case .text(let s): return s
            case .taskResult(let stage, let task): return known.results[stage]?[task] ?? ""
            case .taskResults(let stage, let task):
                let instances = known.instances[stage]?[task] ?? [:]
                return instances.sorted { $0.key < $1.key }.map(\.value).joined(separator: "\n")
            case .taskOutput(let stage, let task, let name):
                return known.outputs[stage]?[task]?.first { $0.name == name }?.value ?? ""
            case .matrix:
                // Filled when the instances were made; an unfilled one has no value.
                return ""
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
