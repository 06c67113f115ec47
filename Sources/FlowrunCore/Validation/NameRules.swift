/// The characters a name may hold: the one place that decides it, for the
/// validator's checks and the template parser alike.
enum NameRules {
    /// What the name names.
    enum Kind {
        /// Stage and task names, and the names after `vars.`/`env.` in a
        /// reference before they are checked: `[A-Za-z0-9_.-]+`.
        case stageOrTask
        /// `vars` keys: `[A-Za-z_-][A-Za-z0-9_-]*`.
        case variable
        /// `env` keys, as POSIX shells take them: `[A-Za-z_][A-Za-z0-9_]*`.
        case environment
    }

    static func isValid(_ name: String, as kind: Kind) -> Bool {
        var bytes = name.utf8.makeIterator()
        guard let first = bytes.next() else { return false }
        if kind != .stageOrTask, isDigit(first) { return false }
        guard allowed(first, kind) else { return false }
        while let b = bytes.next() {
            if !allowed(b, kind) { return false }
        }
        return true
    }

    private static func allowed(_ b: UInt8, _ kind: Kind) -> Bool {
        if isDigit(b) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F { return true }
        switch kind {
        case .stageOrTask: return b == 0x2E || b == 0x2D
        case .variable: return b == 0x2D
        case .environment: return false
        }
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
}
