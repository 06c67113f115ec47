/// What `plan` and `--dry-run` show of the state: which tasks would be up to
/// date or resumed. Reads the state folder and writes nothing.
///
/// Tasks are checked in run order, a reused task's stored result filling the
/// templates of later ones; a task that would run has no result yet, so the
/// tasks that use it are shown as running (they will be, unless that result
/// comes out the same).
public enum StatePreview {
    public static func marks(_ plan: Plan, cache: any TaskCache) -> [TaskID: TaskReason] {
        let board = ResultsBoard()
        var marks: [TaskID: TaskReason] = [:]
        for stage in plan.stages {
            for task in stage.tasks where task.selected {
                let decision = cache.check(task, inputs: task.fingerprintInput { board.render($0, own: nil) })
                guard let reuse = decision.reuse else { continue }
                marks[task.id] = reuse.reason
                if let result = reuse.result { board.post(result, stage: task.stageName, task: task.name) }
            }
        }
        return marks
    }
}
