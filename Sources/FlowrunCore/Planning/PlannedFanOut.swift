/// A dynamic matrix in the plan: its axes, some known only when the stage starts.
public struct PlannedFanOut: Sendable, Hashable {
    /// One axis: a list known now, or text whose lines are the values.
    public enum Axis: Sendable, Hashable {
        case list(name: String, values: [String])
        case lines(name: String, text: PlannedText)

        public var name: String {
            switch self {
            case .list(let name, _), .lines(let name, _): name
            }
        }
    }

    public var axes: [Axis]
    public var exclude: [[String: String]]
    public var include: [[String: String]]
    /// The instance name pattern, when `name` uses `matrix.KEY`.
    public var namePattern: [MatrixExpansion.NamePart]?

    public init(
        axes: [Axis], exclude: [[String: String]] = [], include: [[String: String]] = [],
        namePattern: [MatrixExpansion.NamePart]? = nil
    ) {
        self.axes = axes
        self.exclude = exclude
        self.include = include
        self.namePattern = namePattern
    }
}
