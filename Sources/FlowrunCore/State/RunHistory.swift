/// The runs a state folder keeps, read for `flowrun log`. Reads only.
public struct RunHistory: Sendable {
    /// A kept run and the workflow it belongs to.
    public struct Entry: Sendable, Hashable {
        public var workflow: String
        public var source: String
        public var summary: RunSummary
    }

    public let layout: StateLayout
    private let reader: StateFileReader

    public init(directory: String, onWarning: @escaping @Sendable (DiagnosticMessage) -> Void) {
        layout = StateLayout(root: directory)
        reader = StateFileReader(quarantine: false, onWarning: onWarning)
    }

    /// The runs of `workflow` (every workflow when nil), newest first.
    public func runs(of workflow: String? = nil) -> [Entry] {
        let paths = workflow.map { [layout.workflow($0)] }
            ?? DirectoryListing.entries(layout.workflows).filter { $0.name.hasSuffix(".json") }.map { layout.workflows + "/" + $0.name }
        var entries: [Entry] = []
        for path in paths {
            guard let record = reader.workflow(path) else { continue }
            entries += record.runs.map { Entry(workflow: record.workflow, source: record.source, summary: $0) }
        }
        return entries.sorted {
            ($0.summary.startedAt.seconds, $0.summary.startedAt.nanoseconds) > ($1.summary.startedAt.seconds, $1.summary.startedAt.nanoseconds)
        }
    }

    /// A run's stored report: `txt` (the text report) or `json`; nil when it is not kept.
    public func report(_ runID: String, ext: String) -> String? {
        guard RunSummary.isValidID(runID), let bytes = reader.bytes(layout.runReport(runID, ext: ext)) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func text(_ entries: [Entry]) -> String {
        guard !entries.isEmpty else { return "no runs kept\n" }
        let showWorkflow = Set(entries.map(\.workflow)).count > 1
        var out = "RUN ID            STARTED (UTC)        DURATION  STATUS       " + (showWorkflow ? "WORKFLOW  " : "") + "TASKS\n"
        for entry in entries {
            let run = entry.summary
            func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
            let counts = run.counts.keys.sorted().map { "\(run.counts[$0]!) \($0)" }.joined(separator: ", ")
            out += pad(run.runID, 18) + pad(utc(run.startedAt), 21) + pad(DurationFormat.human(run.duration), 10)
                + pad(run.status, 13) + (showWorkflow ? pad(DisplayText.escaped(entry.workflow), 10) : "") + counts + "\n"
        }
        return out
    }

    public static func json(_ entries: [Entry]) -> String {
        let runs = entries.map { entry in
            let run = entry.summary
            return "    {\"workflow\": \(JSONText.quoted(entry.workflow)), \"source\": \(JSONText.quoted(entry.source)), "
                + "\"runId\": \(JSONText.quoted(run.runID)), \"started\": \(JSONText.quoted(utc(run.startedAt, iso: true))), "
                + "\"duration\": \(DurationFormat.seconds(run.duration)), \"status\": \(JSONText.quoted(run.status)), "
                + "\"exitCode\": \(run.exitCode), \"counts\": {"
                + run.counts.keys.sorted().map { "\(JSONText.quoted($0)): \(run.counts[$0]!)" }.joined(separator: ", ") + "}}"
        }
        return "{\"runs\": [\n" + runs.joined(separator: ",\n") + (runs.isEmpty ? "" : "\n") + "]}\n"
    }

    /// `2026-12-01 09:15:00`, or `2026-12-01T09:15:00Z` for JSON.
    static func utc(_ time: WallTime, iso: Bool = false) -> String {
        let stamp = StateFileReader.timestamp(time)
        let chars = Array(stamp)
        let date = String(chars[0..<4]) + "-" + String(chars[4..<6]) + "-" + String(chars[6..<8])
        let clock = String(chars[9..<11]) + ":" + String(chars[11..<13]) + ":" + String(chars[13..<15])
        return iso ? date + "T" + clock + "Z" : date + " " + clock
    }
}
