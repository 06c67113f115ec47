/// A named value a task wrote to its `FLOWRUN_OUTPUT` file.
public struct TaskOutput: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
