/// `resources:` on a task or in `defaults`: cpus, memory, gpus, time.
extension Validator.Pass {
    static let resourceKeys = ["cpus", "memory", "gpus", "time"]

    mutating func resourcesOf(_ node: Node) -> TaskResources {
        var resources = TaskResources()
        guard let entries = mapping(node, key: "resources") else { return resources }
        checkKeys(entries, allowed: Self.resourceKeys)
        for entry in entries {
            switch entry.key {
            case "cpus": resources.cpus = integer(entry.value, key: "resources.cpus", range: 1...100_000)
            case "gpus": resources.gpus = integer(entry.value, key: "resources.gpus", range: 0...1024)
            case "time": resources.time = duration(entry.value, key: "resources.time", allowsZero: false)
            case "memory": resources.memoryMegabytes = memoryOf(entry.value)
            default: break
            }
        }
        return resources
    }

    /// `512M`, `4G`, `1T` (also `512MB`, lower case); a bare number is megabytes, as in Slurm.
    mutating func memoryOf(_ node: Node) -> Int? {
        guard case .scalar(let scalar) = node.value, scalar.resolved != .null else {
            error(.wrongType(key: "resources.memory", expected: .memorySize, found: .kind(node.kind)), at: node.location)
            return nil
        }
        guard let megabytes = Self.megabytes(scalar.text) else {
            error(.invalidMemory(scalar.text), at: node.location)
            return nil
        }
        return megabytes
    }

    /// Megabytes in `text`, rounded up; nil when it is not a positive size.
    static func megabytes(_ text: String) -> Int? {
        var digits = Substring(text)
        var unit = ""
        while let last = digits.last, last.isLetter {
            unit = String(last).uppercased() + unit
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = Int(digits), value > 0 else { return nil }
        let factor: (multiply: Int, divide: Int)
        switch unit {
        case "", "M", "MB", "MI", "MIB": factor = (1, 1)
        case "K", "KB", "KI", "KIB": factor = (1, 1024)
        case "G", "GB", "GI", "GIB": factor = (1024, 1)
        case "T", "TB", "TI", "TIB": factor = (1024 * 1024, 1)
        default: return nil
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: factor.multiply)
        guard !overflow, product <= 1 << 40 else { return nil }
        return (product + factor.divide - 1) / factor.divide
    }
}
