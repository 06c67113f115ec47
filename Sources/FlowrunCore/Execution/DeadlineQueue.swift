/// Sleep tasks waiting for their deadlines, earliest first (a binary min-heap).
/// Equal deadlines come out in declaration (index) order.
struct DeadlineQueue {
    struct Entry: Equatable {
        var deadline: Duration
        var index: Int
        var started: Duration
    }

    private var heap: [Entry] = []

    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }
    var earliest: Duration? { heap.first?.deadline }

    mutating func insert(deadline: Duration, index: Int, started: Duration) {
        heap.append(Entry(deadline: deadline, index: index, started: started))
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
        while let first = heap.first, first.deadline <= time { due.append(removeFirst()) }
        return due
    }

    /// Every entry, in declaration order (for a cancelled stage).
    mutating func removeAll() -> [Entry] {
        defer { heap.removeAll() }
        return heap.sorted { $0.index < $1.index }
    }

    private func precedes(_ a: Entry, _ b: Entry) -> Bool {
        a.deadline != b.deadline ? a.deadline < b.deadline : a.index < b.index
    }

    private mutating func removeFirst() -> Entry {
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
