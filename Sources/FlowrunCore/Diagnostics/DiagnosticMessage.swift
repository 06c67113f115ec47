/// Every problem flowrun reports about a workflow file. The wording of each
/// lives in one place: `text`.
public enum DiagnosticMessage: Error, Sendable, Hashable {
    // Reading the file.
    case fileNotFound
    case fileUnreadable(reason: String)
    case isDirectory
    case notRegularFile
    case fileTooLarge(limit: Int)
    case fileEmpty
    case utf16Encoding
    case invalidUTF8
    case nulByte
    case controlCharacter(code: UInt32)

    // YAML and JSON structure.
    case yamlSyntax(problem: String, context: String?)
    case tabIndentation
    /// libyaml's "mapping values are not allowed" where a value on the line holds `: `.
    case colonInPlainScalar
    case jsonSyntax(String)
    case jsonTrailingComma
    case jsonInvalidEscape(String)
    case jsonUnpairedSurrogate
    case nestingTooDeep(limit: Int)
    case tooManyAliases(limit: Int)
    case aliasExpansionTooLarge(limit: Int)
    case scalarTooLarge(limit: Int)
    case multipleDocuments
    case tagNotAllowed(tag: String)
    case nonStringKey(found: ValueKind)
    case duplicateKey(String)
    case mergeKeyNotSupported

    // Shape of the workflow.
    case wrongType(key: String, expected: Expected, found: Found)
    case unknownKey(key: String, allowed: [String], suggestion: String?)
    case missingKey(key: String, in: Container)
    case emptyList(key: String)
    case invalidName(kind: NameKind, name: String)
    case emptyName(kind: NameKind)
    case nameTooLong(kind: NameKind, limit: Int)
    case unprintableName(kind: NameKind, name: String)
    case duplicateName(kind: NameKind, name: String)
    case noAction
    case multipleActions([String])
    case invalidDuration(String)
    case durationNotPositive(key: String)
    case numberOutOfRange(key: String, value: String, range: AllowedRange)
    case notAnInteger(key: String, value: String)
    case unsupportedVersion(String)
    case invalidShell(String)
    case invalidEnvironmentName(String)
    case undefinedSecret(String, suggestion: String?)
    case stringTooLong(key: String, limit: Int)

    // Templates.
    case unterminatedExpression
    case emptyExpression
    case malformedExpression(String)
    case unknownExpression(String, suggestion: String?)
    case unknownVariable(String, suggestion: String?)
    case unknownStage(String, suggestion: String?)
    case unknownTask(stage: String, task: String, suggestion: String?)
    case resultOfSameStage(stage: String)
    case resultOfLaterStage(stage: String)
    case ownOutputOutsideResult(String)
    case templateNotAllowed(key: String)
    case resultOutsideStage(key: String)
    case environmentCycle([String])
    case templateInsideQuotes(String, quote: Character)
    case secretOnCommandLine(String, shell: [String])

    // Steps, matrix, outputs, arguments.
    case stepNoAction
    case stepMultipleActions([String])
    case retriesOnStep
    case matrixValuesWrongType(key: String, found: Found)
    case matrixEntryUnknownKey(entry: String, key: String, suggestion: String?)
    case matrixIncludeMissingKey(key: String)
    case matrixOutsideMatrixTask(key: String)
    case unknownMatrixKey(String, suggestion: String?)
    case nameTemplateNotMatrix
    case duplicateInstance(name: String)
    case tooManyInstances(limit: Int)
    case tooManyCombinations(limit: Int)
    case instanceNameTooLong(name: String, limit: Int)
    case resultOfMatrixTask(stage: String, task: String)
    case resultsOfPlainTask(stage: String, task: String)
    case referenceToDynamicMatrix(stage: String, task: String)
    case unknownOutput(stage: String, task: String, name: String, declared: [String], suggestion: String?)
    case invalidOutputName(String)
    case argumentsOutsideRun(key: String)
    case outputNotWritten(String)
    case outputFileInvalid(OutputFile.Problem)
    case outputFileUnreadable(reason: String)
    case undeclaredOutput(String)
    // dotenv files.
    case dotenvSyntax(DotenvProblem)
    case dotenvFileMissing(String)

    // `include:` (other workflow files).
    case includeFileMissing(String)
    case includeFileUnreadable(String, reason: String)
    /// The files of the cycle as their `include:` entries name them, the first again last.
    case includeCycle([String])
    case includeTooDeep(limit: Int)
    case includesTooLarge(limit: Int)
    case unknownIncludedVariable(String, file: String, declared: [String], suggestion: String?)
    case includePrefixInvalid(String)

    // Conditions (`if:`).
    case conditionSyntax(ConditionProblem)
    case unknownConditionReference(String, suggestion: String?)
    case unknownFunction(String, suggestion: String?)
    case functionArity(String, expected: Int, found: Int)
    case statusFunctionOutsideStage(String)
    /// `cancelled()` in a step's `if` (steps have success(), failure(), always()).
    case cancelledOnStep
    case conditionTypeMismatch(operator: String, left: ConditionValueType, right: ConditionValueType)
    case argumentNotText(function: String, position: Int)

    // Notes: what a secondary location shows.
    case firstDefinedHere
    case startsHere(String)
    case includedFromHere

    // Command line values that meet the workflow.
    case unknownVariableOverride(String, suggestion: String?)
    case environmentVariableUnset(String)
    case unusedVariable(String)

    // Report files a run writes (`--json-file`, `--junit`, `--trace`, `--html`, `--summary`, the job summary).
    case reportFileUnwritable(kind: ReportFileKind, path: String, reason: String)
    case jobSummaryUnwritable(path: String, reason: String)

    // Targets and the state folder (issue 11).
    case unknownTarget(String, suggestion: String?)
    case emptyPattern(key: String)
    case stateFileCorrupt(path: String, movedTo: String?)
    case stateFileUnreadable(path: String, reason: String)
    case stateFormatUnsupported(path: String, found: String, expected: Int)
    case stateFolderUnwritable(path: String, reason: String)
    case stateLockWaiting(path: String)
    /// No SHA-256 for fingerprints (libcrypto missing): the run goes on without its state folder.
    case stateNeedsDigest(reason: String)
    /// `flowrun log RUNID`: the state folder holds no such run.
    case runNotKept(runID: String, directory: String)
    case fingerprintingTook(milliseconds: Int, files: Int, hashed: Int, bytes: Int64)

    // Executors and resources (issue 13).
    case unknownExecutor(String, suggestion: String?)
    case unknownExecutorSetting(String, variable: String)
    case invalidMemory(String)
    case executorNotInstalled(executor: String, program: String)
    case clusterUnreachable(reason: String)
    case unknownPartition(String, known: [String], suggestion: String?)

    // Exporting to another engine.
    case exportUnsupported(feature: String, engine: String)

    /// What a value must be; `wrongType` says it.
    public enum Expected: Sendable, Hashable {
        case mapping, list, string, boolean, wholeNumber, duration
        /// `version`: only the number 1.
        case numberOne
        /// A stage: a mapping, or the list shorthand.
        case stage
        /// A task: a mapping, or the string shorthand.
        case task
        case shell
        /// `resources.memory`: 512M, 4G.
        case memorySize
        /// `executor.allocation`.
        case allocationMode
        /// A Slurm partition, account or QOS.
        case oneWord
    }

    /// What a value was instead.
    public enum Found: Sendable, Hashable {
        case kind(ValueKind)
        /// A scalar quoted as written, with its kind.
        case scalar(String, ValueKind)
        /// `yes`, `on`…: a boolean in YAML 1.1, a string here.
        case yaml11Boolean(String)
    }

    /// The values a number may take.
    public enum AllowedRange: Sendable, Hashable {
        case atLeast(Int)
        case between(Int, Int)
        case atMostSeconds(Int)

        /// The range of `range` as a message says it: an upper bound of a
        /// million or more is no bound a user needs to hear of.
        public init(_ range: ClosedRange<Int>) {
            self = range.upperBound >= 1_000_000 ? .atLeast(range.lowerBound) : .between(range.lowerBound, range.upperBound)
        }
    }

    /// What is wrong with the syntax of an `if:` expression.
    public enum ConditionProblem: Sendable, Hashable {
        case empty
        case unterminatedString
        case unexpected(String)
        case expectedOperand
        case expectedClosingParenthesis
    }

    /// What is wrong with a dotenv line.
    public enum DotenvProblem: Sendable, Hashable {
        case expectedEquals
        case unterminatedQuote
        case textAfterQuote
        case unknownEscape(String)
    }

    /// The two kinds of value a condition computes with.
    public enum ConditionValueType: String, Sendable, Hashable {
        case text
        case boolean
    }

    /// What a name names.
    public enum NameKind: String, Sendable, Hashable {
        case workflow, stage, task, variable, step, output
    }

    /// What holds a missing key.
    public enum Container: Sendable, Hashable {
        case workflow
        case dotenv
        case stage(String)
        /// A stage without a usable name, by its 1-based position.
        case stageAt(Int)
        /// The workflow's `executor:` mapping.
        case executor
    }
}
