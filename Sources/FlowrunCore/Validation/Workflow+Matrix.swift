extension Workflow {
    /// A task's `matrix:`: axes of values, crossed, then filtered and extended.
    ///
    /// Static when every axis is a list; dynamic when an axis is a template
    /// (over an earlier stage's result), expanded when its stage starts.
    public struct Matrix: Sendable {
        /// One key of the matrix and its values.
        public struct Axis: Sendable {
            /// Where an axis' values come from.
            public enum Values: Sendable {
                case list([String])
                /// A template whose text, split into lines (empty ones dropped), gives the values.
                case dynamic(Template)
            }

            public var name: String
            public var values: Values
            public var location: SourceLocation

            public init(name: String, values: Values, location: SourceLocation) {
                self.name = name
                self.values = values
                self.location = location
            }
        }

        public var axes: [Axis]
        /// Each entry removes every combination that has all of its pairs.
        public var exclude: [[String: String]]
        /// Each entry is one more combination; it gives a value for every axis.
        public var include: [[String: String]]
        public var location: SourceLocation

        public init(axes: [Axis], exclude: [[String: String]] = [], include: [[String: String]] = [], location: SourceLocation) {
            self.axes = axes
            self.exclude = exclude
            self.include = include
            self.location = location
        }

        /// True when some axis is known only at run time.
        public var isDynamic: Bool {
            axes.contains { if case .dynamic = $0.values { true } else { false } }
        }
    }

    /// One binding of a matrix instance: `matrix.name` is `value`.
    public struct MatrixValue: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }
}
