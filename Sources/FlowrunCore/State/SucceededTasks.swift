/// The tasks of a run that succeeded (or were up to date): what the next
/// `--resume` may reuse, written to `runs/RUNID.tasks.json` at the run's end.
///
/// An array in the order recorded, not a table by name: at 100,000 tasks a
/// `[String: LastRunTask]` made big enough at once was 12.6 MB (heaptrack),
/// these entries are 56 bytes each. Results are not kept: the file takes
/// them from the run's JSON report.
public struct SucceededTasks: Sendable {
    public struct Entry: Sendable, Hashable {
        /// `stage/task`.
        public var name: String
        public var fingerprint: Fingerprint
        public var outputs: [String: String]

        public init(name: String, fingerprint: Fingerprint, outputs: [String: String] = [:]) {
            self.name = name
            self.fingerprint = fingerprint
            self.outputs = outputs
        }
    }

    /// Every entry recorded or reserved; only confirmed ones count (`confirmed`).
    private var entries: [Entry] = []
    /// False for an entry reserved for a task still running (or that did not succeed).
    private var confirmed: [Bool] = []

    public init(expected: Int = 0) {
        entries.reserveCapacity(expected)
        confirmed.reserveCapacity(expected)
    }

    /// The tasks of a table by name (results dropped).
    public init(_ tasks: [String: LastRunTask]) {
        entries = tasks.map { Entry(name: $0.key, fingerprint: $0.value.fingerprint, outputs: $0.value.outputs) }
        confirmed = Array(repeating: true, count: entries.count)
    }

    /// Records a task; a later entry of the same name replaces an earlier one.
    public mutating func record(_ entry: Entry) {
        entries.append(entry)
        confirmed.append(true)
    }

    /// Keeps `entry` for a task that has not succeeded yet; returns its token for `confirm`.
    public mutating func reserve(_ entry: Entry) -> Int {
        entries.append(entry)
        confirmed.append(false)
        return entries.count - 1
    }

    /// The task of `token` succeeded, with these outputs.
    public mutating func confirm(_ token: Int, outputs: [String: String]) {
        guard entries.indices.contains(token) else { return }
        if !outputs.isEmpty { entries[token].outputs = outputs }
        confirmed[token] = true
    }

    /// Each name once (its last entry), in UTF-8 byte order of the names; sorts
    /// positions, not a copy of the entries.
    public func forEachByName(_ body: (Entry) -> Void) {
        var order = entries.indices.filter { confirmed[$0] }
        order.sort { a, b in
            let (x, y) = (entries[a].name, entries[b].name)
            return x == y ? a < b : Fingerprint.byteOrder(x, y)
        }
        for (at, index) in order.enumerated() where at + 1 == order.count || entries[order[at + 1]].name != entries[index].name {
            body(entries[index])
        }
    }

    /// The entries by name, each name's last (for tests and `--resume` readers).
    public var byName: [String: Entry] {
        var table: [String: Entry] = [:]
        for (index, entry) in entries.enumerated() where confirmed[index] { table[entry.name] = entry }
        return table
    }
}
