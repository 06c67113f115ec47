/// A workflow file with the files it includes, each read, validated and
/// matrix-expanded: what `IncludeExpander` flattens into one workflow.
public struct IncludeTree: Sendable {
    /// The file's own workflow; its `includes` say where the children go.
    public var workflow: Workflow
    /// The file as read: the name its locations carry.
    public var file: String
    /// One per entry of `workflow.includes`, in order; nil where the file
    /// could not be loaded (which was reported already).
    public var children: [IncludeTree?]

    public init(workflow: Workflow, file: String, children: [IncludeTree?] = []) {
        self.workflow = workflow
        self.file = file
        self.children = children
    }
}
