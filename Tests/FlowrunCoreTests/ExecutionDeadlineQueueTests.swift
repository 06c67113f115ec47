import Testing
@testable import FlowrunCore

/// The sleep tasks' min-heap, as pure data: no clock, no sleeping.
@Suite("Deadline queue")
struct ExecutionDeadlineQueueTests {
    private func queue(_ deadlines: [Int]) -> DeadlineQueue {
        var queue = DeadlineQueue()
        for (index, deadline) in deadlines.enumerated() {
            queue.insert(deadline: .milliseconds(deadline), index: index)
        }
        return queue
    }

    @Test func emptyQueueHasNoEarliestAndNothingDue() {
        var empty = DeadlineQueue()
        #expect(empty.isEmpty)
        #expect(empty.earliest == nil)
        #expect(empty.removeDue(at: .seconds(1000)).isEmpty)
    }

    @Test(arguments: [
        ([5, 3, 9, 1, 7], [1, 3, 5, 7, 9]),
        ([4, 4, 4], [4, 4, 4]),
        ([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0], Array(0...10)),
    ])
    func entriesComeOutEarliestFirst(deadlines: [Int], expected: [Int]) {
        var queue = queue(deadlines)
        #expect(queue.earliest == .milliseconds(expected[0]))
        let all = queue.removeDue(at: .milliseconds(Int.max / 2_000_000))
        #expect(all.map(\.deadline) == expected.map { .milliseconds($0) })
        #expect(queue.isEmpty)
    }

    @Test func equalDeadlinesKeepDeclarationOrder() {
        var queue = queue([7, 3, 7, 3, 7])
        #expect(queue.removeDue(at: .milliseconds(7)).map(\.index) == [1, 3, 0, 2, 4])
    }

    @Test func onlyDueEntriesAreRemovedAndTheBoundIsInclusive() {
        var queue = queue([30, 10, 20, 40])
        #expect(queue.removeDue(at: .milliseconds(9)).isEmpty)
        #expect(queue.removeDue(at: .milliseconds(20)).map(\.index) == [1, 2])
        #expect(queue.count == 2)
        #expect(queue.earliest == .milliseconds(30))
    }

    @Test func removeAllGivesDeclarationOrder() {
        var queue = queue([50, 10, 40, 20, 30])
        #expect(queue.removeAll().map(\.index) == [0, 1, 2, 3, 4])
        #expect(queue.isEmpty)
    }

    /// A larger random-looking set against a sort: the heap invariant holds
    /// through interleaved inserts and removals.
    @Test func interleavedInsertsAndRemovalsMatchASort() {
        var queue = DeadlineQueue()
        var reference: [(deadline: Int, index: Int)] = []
        var removed: [Int] = []
        var expected: [Int] = []
        for index in 0..<500 {
            let deadline = (index * 7919) % 211
            queue.insert(deadline: .milliseconds(deadline), index: index)
            reference.append((deadline, index))
            if index % 50 == 49 {
                let bound = index % 211
                removed += queue.removeDue(at: .milliseconds(bound)).map(\.index)
                let due = reference.filter { $0.deadline <= bound }.sorted { ($0.deadline, $0.index) < ($1.deadline, $1.index) }
                expected += due.map(\.index)
                reference.removeAll { $0.deadline <= bound }
            }
        }
        #expect(removed == expected)
        #expect(queue.count == reference.count)
    }

    /// Entries in order (the common stage of equal sleeps) and ones that come
    /// late go to different places; what comes out is still one order.
    @Test func inOrderEntriesAndLateOnesComeOutAsOneOrder() {
        var queue = queue([1, 2, 2, 5, 3, 5, 9, 0, 9])
        #expect(queue.earliest == .milliseconds(0))
        #expect(queue.removeDue(at: .milliseconds(2)).map(\.index) == [7, 0, 1, 2])
        #expect(queue.removeDue(at: .milliseconds(9)).map(\.index) == [4, 3, 5, 6, 8])
        #expect(queue.isEmpty)
        // Used up, it takes entries again from the start.
        queue.insert(deadline: .milliseconds(4), index: 20)
        queue.insert(deadline: .milliseconds(3), index: 21)
        #expect(queue.count == 2 && queue.earliest == .milliseconds(3))
        #expect(queue.removeAll().map(\.index) == [20, 21])
    }

    @Test func popDueTakesOneDueEntryAtATime() {
        var queue = queue([3, 1, 2, 8])
        #expect(queue.popDue(at: .milliseconds(2))?.index == 1)
        #expect(queue.popDue(at: .milliseconds(2))?.index == 2)
        #expect(queue.popDue(at: .milliseconds(2)) == nil)
        #expect(queue.count == 2 && queue.earliest == .milliseconds(3))
    }
}
