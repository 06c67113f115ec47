/// The items of the collections still open while a tree is built: every open
/// collection appends to one stack, and a closed one moves its tail out into
/// an array of exactly its size.
///
/// Moving, not copying: `Array(items[start...])` then `removeSubrange` retained
/// every string and node of the tail and released them again, once per
/// collection closed — for a 50,000-task file, a few hundred thousand values.
final class OpenStack<Element> {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init() {
        capacity = 64
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    func append(_ element: consuming Element) {
        if count == capacity {
            let grown = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: base, count: count)
            base.deallocate()
            base = grown
            capacity *= 2
        }
        (base + count).initialize(to: element)
        count += 1
    }

    /// The element in place, not a copy of it.
    subscript(index: Int) -> Element {
        unsafeAddress {
            precondition(index >= 0 && index < count)
            return UnsafePointer(base + index)
        }
    }

    /// Moves the elements from `start` on into an array, leaving `start` elements.
    func take(from start: Int) -> [Element] {
        precondition(start >= 0 && start <= count)
        let n = count - start
        let taken = [Element](unsafeUninitializedCapacity: n) { buffer, initialized in
            if let target = buffer.baseAddress { target.moveInitialize(from: base + start, count: n) }
            initialized = n
        }
        count = start
        return taken
    }
}
