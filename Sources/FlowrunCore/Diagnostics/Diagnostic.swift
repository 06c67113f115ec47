/// One finding about a workflow file: where it is, how bad it is, what it says.
///
/// The data is kept apart from its rendering: `DiagnosticRenderer` writes the
/// text, and `DiagnosticMessage.text` is the only place message wording lives.
public struct Diagnostic: Error, Sendable, Hashable {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
        /// Information, not a problem: how long fingerprinting took.
        case note
    }

    /// A secondary location that explains the main one, e.g. "first defined here".
    public struct Note: Sendable, Hashable {
        public var location: SourceLocation
        public var message: DiagnosticMessage

        public init(location: SourceLocation, message: DiagnosticMessage) {
            self.location = location
            self.message = message
        }
    }

    public var severity: Severity
    /// Where the problem is; nil when the file could not be read at all.
    public var location: SourceLocation?
    public var message: DiagnosticMessage
    public var notes: [Note]

    public init(
        _ severity: Severity = .error, _ message: DiagnosticMessage, at location: SourceLocation?,
        notes: [Note] = []
    ) {
        self.severity = severity
        self.message = message
        self.location = location
        self.notes = notes
    }

    /// Shorthand for an error.
    public static func error(_ message: DiagnosticMessage, at location: SourceLocation?, notes: [Note] = []) -> Diagnostic {
        Diagnostic(.error, message, at: location, notes: notes)
    }

    /// Shorthand for a warning.
    public static func warning(_ message: DiagnosticMessage, at location: SourceLocation?) -> Diagnostic {
        Diagnostic(.warning, message, at: location)
    }
}
