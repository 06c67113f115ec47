/// Fields that most values leave at their defaults, kept out of line in one
/// copy-on-write box: values holding the same box share it, a copy of the
/// value costs one retain for all of them, and the box is copied only when a
/// shared one is changed. `Workflow.Task`, `PlannedTask` and `TaskResult`
/// keep their rarely set fields this way (hundreds of thousands of each).
struct SharedFields<Fields: Sendable>: @unchecked Sendable {
    // @unchecked: the box is changed only through `set`, which copies a shared one first.
    private final class Box {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    init(_ fields: Fields) { box = Box(fields) }

    /// The fields, read in place (a field is read without copying the others).
    var fields: Fields { _read { yield box.fields } }

    /// Sets one field, copying the box first when another value shares it.
    /// Inlined so that the key path is a literal where it is applied, which the
    /// optimizer turns into a plain stored-field access (a key path applied at
    /// run time costs ~80 ns: 0.07 s of planning 100,000 tasks).
    @inline(__always)
    mutating func set<Value>(_ field: WritableKeyPath<Fields, Value>, _ value: Value) {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
        box.fields[keyPath: field] = value
    }

    /// Sets one field unless it already holds `value`: setting a default copies no box.
    @inline(__always)
    mutating func update<Value: Equatable>(_ field: WritableKeyPath<Fields, Value>, _ value: Value) {
        guard box.fields[keyPath: field] != value else { return }
        set(field, value)
    }

    /// Whether `a` and `b` hold the very same box.
    static func === (a: SharedFields, b: SharedFields) -> Bool { a.box === b.box }
    static func !== (a: SharedFields, b: SharedFields) -> Bool { a.box !== b.box }
}

extension SharedFields: Equatable where Fields: Equatable {
    static func == (a: SharedFields, b: SharedFields) -> Bool { a === b || a.box.fields == b.box.fields }
}
