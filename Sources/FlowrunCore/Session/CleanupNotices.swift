/// Says on stderr when a clean-up stage starts after an interrupt, and how to
/// end it, so that a user who pressed Ctrl-C knows why flowrun goes on.
struct CleanupNotices: RunEventSink {
    let output: any TextSink
    /// Whether the run was interrupted (the trap got a signal).
    let interrupted: @Sendable () -> Bool

    func receive(_ event: RunEvent) {
        guard case .stageStarted(_, let name, _) = event, interrupted() else { return }
        output.write("flowrun: clean-up stage \(name) runs; interrupt again to end it\n")
    }
}
