/// flowrun's exit statuses, defined in one place.
public enum ExitStatus: Int32, Sendable {
    case success = 0
    case taskFailed = 1
    case invalidWorkflow = 2
    case usage = 64
    case hangup = 129
    case interrupted = 130
    case terminated = 143
}
