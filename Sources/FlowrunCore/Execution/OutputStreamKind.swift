/// Which of a task's output streams a line came from.
public enum OutputStreamKind: String, Sendable, Hashable {
    case stdout
    case stderr
}
