/// Writes a `Plan` for people (text) and for machines and pictures (JSON, DOT, Mermaid).
public struct PlanRenderer: Sendable {
    /// The forms `flowrun plan --format` offers.
    public enum Format: String, Sendable, CaseIterable {
        case text
        case json
        case dot
        case mermaid
    }

    public init() {}

    public func render(_ plan: Plan, as format: Format) -> String {
        let masker = SecretMask(plan.secretValues)
        switch format {
        case .text: return text(plan, masker)
        case .json: return json(plan, masker)
        case .dot: return dot(plan, masker)
        case .mermaid: return mermaid(plan, masker)
        }
    }

    // MARK: Shared

    /// The text with holes shown as the expressions that fill them.
    func display(_ text: PlannedText) -> String {
        var out = ""
        for part in text.parts {
            switch part {
            case .text(let s): out += s
            case .taskResult(let stage, let task): out += "${{ stages.\(stage).tasks.\(task).result }}"
            case .taskResults(let stage, let task): out += "${{ stages.\(stage).tasks.\(task).results }}"
            case .taskOutput(let stage, let task, let name): out += "${{ stages.\(stage).tasks.\(task).outputs.\(name) }}"
            case .matrix(let key): out += "${{ matrix.\(key) }}"
            case .ownOutput(let output): out += "${{ \(output.rawValue) }}"
            }
        }
        return out
    }

    func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }
}
