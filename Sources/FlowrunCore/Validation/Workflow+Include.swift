extension Workflow {
    /// A `- include: FILE` entry of `stages:`, as the validator read it: the
    /// file is not read yet (that is I/O, done by `WorkflowLoader`), and its
    /// stages are inserted by `IncludeExpander`.
    public struct Include: Sendable {
        /// The file as written: relative to the including file's folder unless absolute.
        public var file: String
        /// Where the file name is written, for errors about reading it.
        public var fileLocation: SourceLocation
        /// `name:`, the prefix of its stages; nil takes the included workflow's name.
        public var prefix: String?
        public var prefixLocation: SourceLocation?
        /// `vars:`, values for variables the included file declares.
        public var variables: [Variable]
        /// How many of this file's own stages come before the entry.
        public var position: Int

        public init(
            file: String, fileLocation: SourceLocation, prefix: String? = nil, prefixLocation: SourceLocation? = nil,
            variables: [Variable] = [], position: Int
        ) {
            self.file = file
            self.fileLocation = fileLocation
            self.prefix = prefix
            self.prefixLocation = prefixLocation
            self.variables = variables
            self.position = position
        }
    }

    /// Where an expanded stage came from, for a stage of an included file:
    /// what of that file's workflow-level settings applies to it.
    public struct StageOrigin: Sendable {
        /// The included file, as read (the name its locations carry).
        public var file: String
        /// The `include:` values that led here, outermost first.
        public var includedAt: [SourceLocation]
        /// The included file's folder: its working directories start there.
        public var directory: String
        /// The `env` of each including workflow below the top one, outermost first, then the file's own.
        public var environmentLevels: [[EnvironmentEntry]]
        /// Its dotenv values over those of the files that include it.
        public var dotenv: [String: String]
        /// Every `max-parallel` along the way: the smallest applies.
        public var maxParallel: Int?
    }
}
