/// The values to mask, gathered while planning: each secret's value, and
/// each line of a multi-line value.
struct SecretValues {
    let names: Set<String>
    private var values: Set<String> = []

    init(names: Set<String>) {
        self.names = names
    }

    mutating func add(_ value: String) {
        guard !value.isEmpty else { return }
        values.insert(value)
        for line in value.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) where line.count >= 3 {
            values.insert(String(line))
        }
    }

    /// The values of a task's secret variables; run-time results count as empty.
    mutating func add(_ environment: [PlannedTask.EnvironmentVariable]) {
        guard !names.isEmpty else { return }
        for variable in environment where names.contains(variable.name) {
            add(variable.value.render { _ in "" })
        }
    }

    /// Longest first, so that a secret containing another is masked whole.
    var sorted: [String] {
        values.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }
}
