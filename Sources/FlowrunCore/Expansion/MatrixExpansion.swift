/// Turns a matrix's values into its instances: the one function both the
/// expansion step (static matrices) and the executor (dynamic ones, when their
/// stage starts) call. Pure and total: bad input is a `Problem`, never a crash.
public enum MatrixExpansion {
    /// Most instances one matrix may have.
    public static let instanceLimit = 10_000
    /// Most combinations enumerated before `exclude`; beyond it the matrix is
    /// refused without enumerating, so a huge cross product cannot hang flowrun.
    public static let combinationLimit = 1_000_000

    /// An axis with its values known.
    public struct Axis: Sendable, Hashable {
        public var name: String
        public var values: [String]

        public init(name: String, values: [String]) {
            self.name = name
            self.values = values
        }
    }

    /// A piece of a `name` template: text as written, or a matrix key's value.
    public enum NamePart: Sendable, Hashable {
        case text(String)
        case key(String)
    }

    /// One expanded instance: its name and its values in axis order.
    public struct Instance: Sendable, Hashable {
        public var name: String
        public var values: [Workflow.MatrixValue]

        public init(name: String, values: [Workflow.MatrixValue]) {
            self.name = name
            self.values = values
        }

        /// The value of `matrix.key`, if the instance has that key.
        public func value(_ key: String) -> String? {
            values.first { $0.name == key }?.value
        }
    }

    /// Why a matrix has no instances list.
    public enum Problem: Error, Sendable, Hashable {
        case tooManyInstances(limit: Int)
        case tooManyCombinations(limit: Int)
        case duplicateInstance(name: String)
        case nameTooLong(name: String, limit: Int)
    }

    /// Expands a matrix.
    ///
    /// Combinations cross the axes with the first axis varying slowest; an
    /// `exclude` entry removes every combination holding all of its pairs; each
    /// `include` entry is appended as given (it names every axis). Instances
    /// are named `task-V1-V2…` (values sanitized), or by `namePattern`.
    public static func expand(
        task: String, axes: [Axis], exclude: [[String: String]] = [], include: [[String: String]] = [],
        namePattern: [NamePart]? = nil, nameLimit: Int = Validator.maxNameLength
    ) -> Result<[Instance], Problem> {
        var product = 1
        for axis in axes {
            let (next, overflow) = product.multipliedReportingOverflow(by: axis.values.count)
            if overflow || next > combinationLimit { return .failure(.tooManyCombinations(limit: combinationLimit)) }
            product = next
        }
        if axes.isEmpty { product = 0 }
        var combinations: [[Workflow.MatrixValue]] = []
        var counters = [Int](repeating: 0, count: axes.count)
        for _ in 0..<product {
            let values = zip(axes, counters).map { Workflow.MatrixValue(name: $0.name, value: $0.values[$1]) }
            if !exclude.contains(where: { matches(values, $0) }) {
                combinations.append(values)
                if combinations.count > instanceLimit { break }
            }
            // Odometer: the last axis turns fastest.
            var position = axes.count - 1
            while position >= 0 {
                counters[position] += 1
                if counters[position] < axes[position].values.count { break }
                counters[position] = 0
                position -= 1
            }
        }
        for entry in include {
            let values = axes.map { Workflow.MatrixValue(name: $0.name, value: entry[$0.name] ?? "") }
            combinations.append(values)
            if combinations.count > instanceLimit { break }
        }
        if combinations.count > instanceLimit {
            return .failure(.tooManyInstances(limit: instanceLimit))
        }
        var seen: Set<String> = []
        var instances: [Instance] = []
        instances.reserveCapacity(combinations.count)
        for values in combinations {
            let name = instanceName(task: task, values: values, pattern: namePattern)
            if name.unicodeScalars.count > nameLimit { return .failure(.nameTooLong(name: name, limit: nameLimit)) }
            guard seen.insert(name).inserted else { return .failure(.duplicateInstance(name: name)) }
            instances.append(Instance(name: name, values: values))
        }
        return .success(instances)
    }

    /// `task-V1-V2…`, or the pattern filled in; substituted values keep only
    /// `[A-Za-z0-9_.-]`, every other character becomes `_`.
    public static func instanceName(task: String, values: [Workflow.MatrixValue], pattern: [NamePart]?) -> String {
        guard let pattern else {
            return ([task] + values.map { sanitized($0.value) }).joined(separator: "-")
        }
        var name = ""
        for part in pattern {
            switch part {
            case .text(let text): name += text
            case .key(let key): name += sanitized(values.first { $0.name == key }?.value ?? "")
            }
        }
        return name
    }

    /// Splits a dynamic axis' text into values: one per line, empty lines dropped.
    public static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map(String.init)
            .filter { !$0.allSatisfy { $0 == " " || $0 == "\t" } }
    }

    static func sanitized(_ value: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            let v = scalar.value
            let keep = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
                || v == 0x5F || v == 0x2E || v == 0x2D
            out.append(keep ? scalar : "_")
        }
        return String(out)
    }

    private static func matches(_ values: [Workflow.MatrixValue], _ entry: [String: String]) -> Bool {
        entry.allSatisfy { key, value in values.contains { $0.name == key && $0.value == value } }
    }
}
