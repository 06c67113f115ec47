/// The JSON Schema of the workflow format (placeholder until the full schema lands).
public enum WorkflowSchema {
    public static let json: String = "{}\n"
}
