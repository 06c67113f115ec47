/// A sink that moves the live status line out of the way of its writes (see `ProgressLine`).
struct ProgressGuardedSink: TextSink {
    let progress: ProgressLine
    let sink: any TextSink

    func write(_ text: String) {
        progress.write(text, to: sink)
    }
}
