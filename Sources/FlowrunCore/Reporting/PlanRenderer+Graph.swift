/// `flowrun plan --format dot` and `--format mermaid`.
extension PlanRenderer {
    func dot(_ plan: Plan, _ masker: SecretMask) -> String {
        func quote(_ s: String) -> String {
            "\"" + masker.apply(s).replacing("\\", with: "\\\\").replacing("\"", with: "\\\"").replacing("\n", with: "\\n") + "\""
        }
        var out = "digraph \(quote(plan.workflowName)) {\n  rankdir=LR;\n  node [shape=box];\n"
        for stage in plan.stages {
            out += "  subgraph cluster_\(stage.index) {\n    label=\(quote("\(stage.index + 1). \(stage.name)"));\n"
            for task in stage.tasks {
                out += "    \"t\(stage.index)_\(task.id.task)\" [label=\(quote(task.name + "\n" + action(task, masker)))];\n"
            }
            out += "  }\n"
        }
        for (a, b) in zip(plan.stages, plan.stages.dropFirst()) {
            for from in a.tasks {
                for to in b.tasks { out += "  \"t\(a.index)_\(from.id.task)\" -> \"t\(b.index)_\(to.id.task)\";\n" }
            }
        }
        return out + "}\n"
    }

    func mermaid(_ plan: Plan, _ masker: SecretMask) -> String {
        func label(_ s: String) -> String {
            "\"" + masker.apply(s).replacing("\"", with: "#quot;").replacing("\n", with: " ") + "\""
        }
        var out = "flowchart LR\n"
        for stage in plan.stages {
            out += "  subgraph s\(stage.index)[\(label("\(stage.index + 1). \(stage.name)"))]\n"
            for task in stage.tasks {
                out += "    t\(stage.index)_\(task.id.task)[\(label(task.name + ": " + action(task, masker)))]\n"
            }
            out += "  end\n"
        }
        for (a, b) in zip(plan.stages, plan.stages.dropFirst()) { out += "  s\(a.index) --> s\(b.index)\n" }
        return out
    }
}
