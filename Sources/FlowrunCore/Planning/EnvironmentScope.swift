/// The environment a task is given, level by level (workflow, stage, task
/// `env` over flowrun's own), as `env.NAME` reads it.
struct EnvironmentScope {
    /// Values set by the workflow's levels; a later level's value replaces an earlier one.
    private(set) var values: [String: PlannedText] = [:]
    /// The variables the levels add, in first-appearance order, later values winning.
    private(set) var added: [PlannedTask.EnvironmentVariable] = []
    private var positions: [String: Int] = [:]

    /// The value `name` has at this level, if a level of the workflow sets it.
    subscript(name: String) -> PlannedText? { values[name] }

    mutating func set(_ name: String, _ value: PlannedText) {
        values[name] = value
        if let index = positions[name] {
            added[index].value = value
        } else {
            positions[name] = added.count
            added.append(.init(name: name, value: value))
        }
    }
}
