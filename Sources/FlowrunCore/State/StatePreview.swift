/// What `plan` and `--dry-run` show of the state: which tasks would be up to
/// date or resumed. Reads the state folder and writes nothing.
///
/// Tasks are checked in run order, a reused task's stored result filling the
/// templates of later ones. A task that would run has no result yet: its
/// result in the last run (`expected`) stands in for it, so a task that uses
/// it is shown up to date if that result comes out the same again.
public enum StatePreview {
    public static func marks(_ plan: Plan, cache: any TaskCache, expected: [String: LastRunTask] = [:]) -> [TaskID: TaskReason] {
        let board = ResultsBoard()
        var marks: [TaskID: TaskReason] = [:]
        for stage in plan.stages {
            for task in stage.tasks where task.selected {
                let decision = cache.check(task, inputs: task.fingerprintInput { board.render($0, own: nil) })
                guard let reuse = decision.reuse else {
                    if let result = expected[task.qualifiedName]?.result { board.post(result, stage: task.stageName, task: task.name) }
                    continue
                }
                marks[task.id] = reuse.reason
                if let result = reuse.result { board.post(result, stage: task.stageName, task: task.name) }
            }
        }
        return marks
    }
}
