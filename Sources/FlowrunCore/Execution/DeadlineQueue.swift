/// Sleep tasks waiting for their deadlines, earliest first.
/// Equal deadlines come out in declaration (index) order.
///
/// Entries that come in order (deadline, then index, not before the last
/// one's: a stage of equal sleeps started one after another) wait in a plain
/// first-in first-out run, taken in O(1); the others in a binary min-heap.
/// Popping 100,000 equal sleeps off a heap was 10% of a big stage's CPU.
struct DeadlineQueue {
    /// 24 bytes: a sleep's start is its deadline less its duration, not kept (100,000 sleeps).
    struct Entry: Equatable {
        var deadline: Duration
        var index: Int
    }

    /// In order; `head` is the first not yet taken.
    private var ordered: [Entry] = []
    private var head = 0
    private var heap: [Entry] = []

    /// Room for `count` entries at once, not regrown (and copied) on the way.
    init(capacity count: Int = 0) {
        ordered.reserveCapacity(count)
    }

    var isEmpty: Bool { head == ordered.count && heap.isEmpty }
    var count: Int { ordered.count - head + heap.count }
    var earliest: Duration? { first?.deadline }

    private var first: Entry? {
        let run = head < ordered.count ? ordered[head] : nil
        guard let top = heap.first else { return run }
        guard let run else { return top }
        return precedes(top, run) ? top : run
    }

    mutating func insert(deadline: Duration, index: Int) {
        let entry = Entry(deadline: deadline, index: index)
        if head == ordered.count {
            // The run is used up: start it again from the front, keeping its storage.
            ordered.removeAll(keepingCapacity: true)
            head = 0
        }
        if ordered.last.map({ !precedes(entry, $0) }) ?? true {
            ordered.append(entry)
            return
        }
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Entries whose deadline is at or before `time`, in deadline then declaration order.
    mutating func removeDue(at time: Duration) -> [Entry] {
        var due: [Entry] = []
        while let entry = popDue(at: time) { due.append(entry) }
        return due
    }

    /// The earliest entry if its deadline is at or before `time`: one at a time, so that
    /// 100,000 sleeps due at once make no array of them (4.7 MB in heaptrack).
    mutating func popDue(at time: Duration) -> Entry? {
        guard let first, first.deadline <= time else { return nil }
        if head < ordered.count, ordered[head] == first {
            head += 1
        } else {
            _ = removeFirstOfHeap()
        }
        return first
    }

    /// Every entry, in declaration order (for a cancelled stage).
    mutating func removeAll() -> [Entry] {
        defer {
            ordered.removeAll()
            head = 0
            heap.removeAll()
        }
        return (ordered[head...] + heap).sorted { $0.index < $1.index }
    }

    private func precedes(_ a: Entry, _ b: Entry) -> Bool {
        a.deadline != b.deadline ? a.deadline < b.deadline : a.index < b.index
    }

    private mutating func removeFirstOfHeap() -> Entry {
        let first = heap[0]
        let last = heap.removeLast()
        guard !heap.isEmpty else { return first }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, precedes(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, precedes(heap[right], heap[smallest]) { smallest = right }
            guard smallest != parent else { return first }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
