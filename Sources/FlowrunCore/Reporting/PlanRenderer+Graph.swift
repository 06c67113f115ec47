/// `flowrun plan --format dot` and `--format mermaid`.
extension PlanRenderer {
    /// Most lines of a command in a DOT label, and most characters per line.
    static let labelLines = 6
    static let labelWidth = 60

    /// Graphviz: each stage a cluster of its tasks, one edge from each stage
    /// to the next (`compound=true`, the edge clipped to the clusters by
    /// `ltail`/`lhead`), so the edges grow with the stages, not with the
    /// product of their tasks. Labels are left-justified lines (`\l`).
    func dot(_ plan: Plan, _ masker: SecretMask) -> String {
        var out = "digraph \(dotQuoted(DisplayText.escaped(plan.workflowName))) {\n"
        out += "  compound=true;\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n"
        var anchors: [String] = []
        for stage in plan.stages {
            out += "  subgraph cluster_\(stage.index) {\n"
            let from = stage.origin.map { " (from \($0.file))" } ?? ""
            out += "    label=\(dotQuoted(DisplayText.escaped("\(stage.index + 1). \(stage.name)\(from)")));\n"
            for task in stage.tasks {
                out += "    \(dotNode(task.id)) [label=\(dotLabel(dotLines(task, masker)))];\n"
            }
            // A stage with no task (a dynamic matrix of zero instances) still needs a node for its edges.
            if stage.tasks.isEmpty { out += "    \"s\(stage.index)\" [shape=point, style=invis];\n" }
            out += "  }\n"
            anchors.append(stage.tasks.first.map { dotNode($0.id) } ?? "\"s\(stage.index)\"")
        }
        for (a, b) in zip(plan.stages.indices, plan.stages.indices.dropFirst()) {
            out += "  \(anchors[a]) -> \(anchors[b]) [ltail=cluster_\(plan.stages[a].index), lhead=cluster_\(plan.stages[b].index)];\n"
        }
        return out + "}\n"
    }

    /// A task's node name: stable, by position.
    func dotNode(_ id: TaskID) -> String { "\"t\(id.stage)_\(id.task)\"" }

    /// A task's label lines: its name, then its action, a command line by line (escaped, cut).
    func dotLines(_ task: PlannedTask, _ masker: SecretMask) -> [String] {
        switch task.action {
        case .steps(let steps):
            return [task.name] + steps.prefix(Self.labelLines).map { DisplayText.escaped("\($0.name): " + stepAction($0.action, masker), limit: Self.labelWidth) }
        case .sleep(let duration):
            return [task.name, "sleep \(DurationFormat.written(duration))"]
        case .run(let command, _):
            var lines = masker.apply(display(command)).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.count > 1, lines.last == "" { lines.removeLast() }
            var shown = lines.prefix(Self.labelLines).map { DisplayText.escaped($0, limit: Self.labelWidth) }
            let more = lines.count - Self.labelLines
            if more > 0 { shown.append("… \(more) more line\(more == 1 ? "" : "s")") }
            if shown.count == 1 { return [task.name, "run: " + shown[0]] }
            return [task.name, "run:"] + shown.map { "  " + $0 }
        }
    }

    /// Lines as one DOT label, each ended by `\l` (a left-justified line break).
    func dotLabel(_ lines: [String]) -> String {
        "\"" + lines.map { dotEscaped($0) + "\\l" }.joined() + "\""
    }

    func dotQuoted(_ text: String) -> String { "\"" + dotEscaped(text) + "\"" }

    /// Text inside a DOT string: `\` and `"` escaped; the text has no line breaks (they are escaped before).
    private func dotEscaped(_ text: String) -> String {
        text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
    }

    /// Mermaid: a subgraph per stage, a node per task. A node's label is the
    /// task's name and then its action, line by line as in the DOT labels,
    /// joined with `<br>`: the line break mermaid documents (a `\n` is drawn
    /// as those two characters by the mermaid GitHub uses).
    func mermaid(_ plan: Plan, _ masker: SecretMask) -> String {
        func label(_ lines: [String]) -> String {
            "\"" + lines.map(mermaidEscaped).joined(separator: "<br>") + "\""
        }
        var out = "flowchart LR\n"
        for stage in plan.stages {
            out += "  subgraph s\(stage.index)[\(label([DisplayText.escaped(masker.apply("\(stage.index + 1). \(stage.name)"))]))]\n"
            for task in stage.tasks {
                out += "    t\(stage.index)_\(task.id.task)[\(label(dotLines(task, masker)))]\n"
            }
            out += "  end\n"
        }
        for (a, b) in zip(plan.stages, plan.stages.dropFirst()) { out += "  s\(a.index) --> s\(b.index)\n" }
        return out
    }

    /// Text in a quoted mermaid label: `"`, `#` and markup as mermaid's entity
    /// codes, so that `#include <stdio.h>` is drawn as written, not read as a tag.
    private func mermaidEscaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\"": out += "#quot;"
            case "#": out += "#35;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "&": out += "#amp;"
            default: out.append(character)
            }
        }
        return out
    }
}
