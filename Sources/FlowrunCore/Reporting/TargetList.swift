/// `flowrun list`: the stages and tasks of a workflow, named as targets, for people or as JSON.
public enum TargetList {
    public static func text(_ plan: Plan) -> String {
        let masker = SecretMask(plan.secretValues)
        var out = "\(DisplayText.escaped(plan.workflowName)) (\(DisplayText.escaped(plan.sourcePath, limit: 4096)))\n"
        if let description = plan.description { out += "  \(DisplayText.escaped(masker.apply(description)))\n" }
        for stage in plan.stages {
            out += "\n" + DisplayText.escaped(stage.name)
            if let origin = stage.origin { out += " (from \(DisplayText.escaped(origin.file, limit: 4096)))" }
            if let description = stage.description { out += "  \(DisplayText.escaped(masker.apply(description)))" }
            if let condition = stage.conditionText { out += "  [if: \(DisplayText.escaped(masker.apply(condition)))]" }
            out += "\n"
            var matrixTask: String?
            for task in stage.tasks {
                // Instances of a static matrix stand under their matrix task, itself a target.
                let instance = task.instanceOf
                if let instance, instance != matrixTask {
                    let count = stage.tasks.filter { $0.instanceOf == instance }.count
                    out += "  " + DisplayText.escaped(stage.name + "/" + instance) + "  [matrix: \(count) instances]\n"
                }
                matrixTask = instance
                var line = (instance == nil ? "  " : "    ") + DisplayText.escaped(task.qualifiedName)
                if task.fanOut != nil { line += "  [matrix: expanded when its stage starts]" }
                if !task.sources.isEmpty { line += "  [sources: \(task.sources.count)]" }
                if let condition = task.conditionText { line += "  [if: \(DisplayText.escaped(masker.apply(condition)))]" }
                out += line + "\n"
            }
        }
        return out
    }

    public static func json(_ plan: Plan) -> String {
        let masker = SecretMask(plan.secretValues)
        func str(_ s: String?) -> String { JSONText.quoted(s.map(masker.apply)) }
        let stages = plan.stages.map { stage in
            let tasks = stage.tasks.map { task in
                "{\"name\": \(str(task.name)), \"target\": \(str(task.qualifiedName)), "
                    + "\"matrixTask\": \(str(task.instanceOf)), \"if\": \(str(task.conditionText)), "
                    + "\"sources\": [\(task.sources.map(str).joined(separator: ", "))], "
                    + "\"generates\": [\(task.generates.map(str).joined(separator: ", "))]}"
            }
            return "    {\"name\": \(str(stage.name)), \"description\": \(str(stage.description)), "
                + "\"if\": \(str(stage.conditionText)), \"tasks\": [\n      "
                + tasks.joined(separator: ",\n      ") + "\n    ]}"
        }
        return "{\n  \"workflow\": \(str(plan.workflowName)), \"source\": \(str(plan.sourcePath)), "
            + "\"description\": \(str(plan.description)),\n  \"stages\": [\n" + stages.joined(separator: ",\n") + "\n  ]\n}\n"
    }
}
