extension DiagnosticMessage {
    /// The message as printed after `error:` or `warning:`.
    public var text: String {
        switch self {
        case .fileNotFound: "no such file"
        case .fileUnreadable(let reason): "cannot read the file: \(reason)"
        case .isDirectory: "is a directory, not a workflow file"
        case .notRegularFile: "is not a regular file (a FIFO, device or socket cannot be read as a workflow)"
        case .fileTooLarge(let limit): "the file is larger than \(byteCount(limit)); flowrun reads workflow files of at most that size"
        case .fileEmpty: "the file is empty; a workflow needs at least `stages:`"
        case .utf16Encoding: "the file is UTF-16; workflow files must be UTF-8"
        case .invalidUTF8: "invalid UTF-8 byte sequence; workflow files must be UTF-8"
        case .nulByte: "NUL byte in the file; workflow files are text"
        case .controlCharacter(let code): "control character U+\(hex(code)) in the file; inside a double-quoted string, write it as an escape"
        case .yamlSyntax(let problem, let context):
            if let context { "YAML syntax error: \(problem) (\(context))" } else { "YAML syntax error: \(problem)" }
        case .tabIndentation: "tab character used for indentation; YAML indentation must use spaces"
        case .colonInPlainScalar:
            "YAML syntax error: mapping values are not allowed in this context; a plain scalar cannot contain `: `; quote the value"
        case .jsonSyntax(let what): "JSON syntax error: \(what)"
        case .jsonTrailingComma: "JSON syntax error: trailing comma"
        case .jsonInvalidEscape(let escape): "JSON syntax error: invalid escape `\(escape)`"
        case .jsonUnpairedSurrogate: "JSON syntax error: unpaired UTF-16 surrogate in \\u escape"
        case .nestingTooDeep(let limit): "nesting deeper than \(limit) levels"
        case .tooManyAliases(let limit): "more than \(limit) alias uses in one document"
        case .aliasExpansionTooLarge(let limit): "aliases expand to more than \(limit) nodes (an alias bomb?)"
        case .scalarTooLarge(let limit): "a single value is larger than \(byteCount(limit))"
        case .multipleDocuments: "a second YAML document; a workflow file holds exactly one"
        case .tagNotAllowed(let tag): "YAML tags are not allowed (found `\(tag)`)"
        case .nonStringKey(let found): "mapping keys must be strings, found \(found.text)"
        case .duplicateKey(let key): "duplicate key `\(key)`"
        case .mergeKeyNotSupported: "merge keys (`<<`) are not supported (YAML 1.2 has none); repeat the keys instead"
        case .wrongType(let key, let expected, let found): "`\(key)` must be \(expected.text), found \(found.text)"
        case .unknownKey(let key, let allowed, let suggestion):
            if let suggestion { "unknown key `\(key)`; did you mean `\(suggestion)`?" } else {
                "unknown key `\(key)`; expected one of: \(allowed.joined(separator: ", "))"
            }
        case .missingKey(let key, let container): "\(container.text) is missing required key `\(key)`"
        case .emptyList(let key): "`\(key)` must not be empty"
        case .invalidName(let kind, let name): "invalid \(kind.rawValue) name `\(name)`; names use only A-Z a-z 0-9 _ . -"
        case .emptyName(let kind): "\(kind.rawValue) name must not be empty"
        case .unprintableName(let kind, let name): "\(kind.rawValue) name `\(name)` contains control or bidirectional-override characters"
        case .nameTooLong(let kind, let limit): "\(kind.rawValue) name is longer than \(limit) characters"
        case .duplicateName(let kind, let name): "duplicate \(kind.rawValue) name `\(name)`"
        case .noAction: "task has no action; give exactly one of `run`, `sleep` or `steps`"
        case .multipleActions(let keys): "task has more than one action (\(keys.map { "`\($0)`" }.joined(separator: ", "))); give exactly one of `run`, `sleep` or `steps`"
        case .invalidDuration(let text): "invalid duration `\(text)`; use seconds (`3`, `3.5`) or units ms, s, m, h (`250ms`, `1m30s`)"
        case .durationNotPositive(let key): "`\(key)` must be at least 1ms"
        case .numberOutOfRange(let key, let value, let range): "`\(key)` is \(value), must be \(range.text)"
        case .notAnInteger(let key, let value): "`\(key)` must be a whole number, found `\(value)`"
        case .unsupportedVersion(let value): "unsupported version `\(value)`; this flowrun reads version 1"
        case .invalidShell(let value): "invalid shell `\(value)`; use `sh`, `bash`, or a list such as [bash, -eu, -c]"
        case .invalidEnvironmentName(let name): "invalid environment variable name `\(name)`; use letters, digits and _ and do not start with a digit"
        case .undefinedSecret(let name, let suggestion):
            suffix("`secrets` names `\(name)`, which is neither in `env` nor in `vars`", suggestion)
        case .stringTooLong(let key, let limit): "`\(key)` is longer than \(limit) characters"
        case .unterminatedExpression: "`${{` without a closing `}}`"
        case .emptyExpression: "empty expression `${{ }}`"
        case .malformedExpression(let text): "malformed expression `\(text)`"
        case .unknownExpression(let text, let suggestion):
            suffix("unknown expression `\(text)`; expected vars.NAME, env.NAME, matrix.KEY, stages.STAGE.tasks.TASK.result, stages.STAGE.tasks.TASK.results, stages.STAGE.tasks.TASK.outputs.NAME, stdout, stderr, exit-code, args, workflow.name, stage.name or task.name", suggestion)
        case .unknownVariable(let name, let suggestion): suffix("unknown variable `vars.\(name)`", suggestion)
        case .unknownStage(let name, let suggestion): suffix("unknown stage `\(name)`", suggestion)
        case .unknownTask(let stage, let task, let suggestion): suffix("stage `\(stage)` has no task `\(task)`", suggestion)
        case .resultOfSameStage(let stage): "a task cannot use a result of its own stage `\(stage)`: tasks of a stage run concurrently"
        case .resultOfLaterStage(let stage): "stage `\(stage)` runs later; only results of earlier stages can be used"
        case .ownOutputOutsideResult(let name): "`\(name)` can only be used in a task's `result`"
        case .templateNotAllowed(let key): "`${{ }}` is not allowed in `\(key)`"
        case .resultOutsideStage(let key): "task results cannot be used in workflow-level `\(key)`; use them in a task of a later stage"
        case .stepNoAction: "step has no action; give exactly one of `run` or `sleep`"
        case .stepMultipleActions(let keys): "step has more than one action (\(keys.map { "`\($0)`" }.joined(separator: ", "))); give exactly one of `run` or `sleep`"
        case .retriesOnStep: "`retries` applies to the whole task, not to a step; move it to the task (each retry runs every step again)"
        case .matrixValuesWrongType(let key, let found):
            "`matrix.\(key)` must be a list of values or a template such as `${{ stages.S.tasks.T.result }}` (one value per line), found \(found.text)"
        case .matrixEntryUnknownKey(let entry, let key, let suggestion):
            suffix("`\(entry)` names `\(key)`, which is not a key of this matrix", suggestion)
        case .matrixIncludeMissingKey(let key): "an `include` entry must give every key of the matrix; `\(key)` is missing"
        case .matrixOutsideMatrixTask(let key): "`matrix.\(key)` can only be used in a task with a `matrix`"
        case .unknownMatrixKey(let key, let suggestion): suffix("the matrix has no key `\(key)`", suggestion)
        case .nameTemplateNotMatrix: "a task's `name` may only use `${{ matrix.KEY }}`, which names each matrix instance"
        case .duplicateInstance(let name): "the matrix gives two instances named `\(name)`; use a `name` template with `${{ matrix.KEY }}` that tells them apart"
        case .tooManyInstances(let limit): "the matrix has more than \(limit) instances"
        case .tooManyCombinations(let limit): "the matrix crosses to more than \(limit) combinations before `exclude`"
        case .instanceNameTooLong(let name, let limit): "matrix instance name `\(name.prefix(40))…` is longer than \(limit) characters"
        case .resultOfMatrixTask(let stage, let task):
            "`\(stage)/\(task)` is a matrix task; use `stages.\(stage).tasks.\(task).results` (every instance, one per line) or an instance's name"
        case .resultsOfPlainTask(let stage, let task):
            "`results` is for matrix tasks; `\(stage)/\(task)` has no matrix, use `stages.\(stage).tasks.\(task).result`"
        case .referenceToDynamicMatrix(let stage, let task):
            "`\(stage)/\(task)` has a dynamic matrix, whose instances are known only at run time; use `stages.\(stage).tasks.\(task).results`"
        case .unknownOutput(let stage, let task, let name, let declared, let suggestion):
            if declared.isEmpty {
                "task `\(stage)/\(task)` declares no outputs; add `outputs: [\(name)]` to it"
            } else {
                suffix("task `\(stage)/\(task)` declares no output `\(name)` (it declares \(declared.map { "`\($0)`" }.joined(separator: ", ")))", suggestion)
            }
        case .invalidOutputName(let name): "invalid output name `\(name)`; use letters, digits, _ and -, not starting with a digit"
        case .argumentsOutsideRun(let key): "`${{ args }}` can only be used in `run`, not in `\(key)`"
        case .outputNotWritten(let name): "output \(name) was not written"
        case .outputFileInvalid(let problem):
            switch problem {
            case .tooLarge(let limit): "FLOWRUN_OUTPUT holds more than \(byteCount(limit))"
            case .malformedLine(let line): "FLOWRUN_OUTPUT line \(line) is neither NAME=VALUE nor NAME<<DELIMITER"
            case .invalidName(let line): "FLOWRUN_OUTPUT line \(line) has an invalid output name"
            case .unterminated(let line, let delimiter): "FLOWRUN_OUTPUT line \(line) opens `\(delimiter)`, which no later line closes"
            case .invalidUTF8: "FLOWRUN_OUTPUT is not UTF-8 text"
            }
        case .outputFileUnreadable(let reason): "cannot read FLOWRUN_OUTPUT: \(reason)"
        case .undeclaredOutput(let name): "the task wrote output `\(name)`, which its `outputs` does not declare; it is ignored"
        case .firstDefinedHere: "first defined here"
        case .startsHere(let what): "\(what) starts here"
        case .includedFromHere: "included from here"
        case .environmentCycle(let names):
            "`env` entries refer to each other in a circle: \(names.joined(separator: " → ")); an entry may use the others of its mapping, but not itself through them"
        case .templateInsideQuotes(let reference, let quote):
            "`${{ \(reference) }}` is inside \(quote == "\"" ? "double" : "single") quotes; flowrun quotes each value as one shell word already, so the quotes would show: write it outside the quotes (\(quote)text\(quote)${{ \(reference) }}), or pass it through `env` and write \"$NAME\""
        case .secretOnCommandLine(let name, let shell):
            "secret `\(name)` is templated into `run`, and the shell [\(shell.joined(separator: ", "))] takes the command as its last argument, where any local user can read it (`ps`); pass it through `env` and write \"$NAME\", or use sh or bash (a list ending in -c), which read the command from a file descriptor"
        case .dotenvSyntax(let problem): "malformed dotenv line: \(problem.text)"
        case .dotenvFileMissing(let path):
            "dotenv file `\(path)` does not exist; create it, or list it as {path: \(path), required: false}"
        case .includeFileMissing(let path): "included file `\(path)` does not exist (paths are relative to the including file's folder)"
        case .includeFileUnreadable(let path, let reason): "cannot read included file `\(path)`: \(reason)"
        case .includeCycle(let files):
            "include cycle: \(files.joined(separator: " → ")); a file may not include itself, directly or through others"
        case .includeTooDeep(let limit): "includes nest deeper than \(limit) files"
        case .includesTooLarge(let limit):
            "the workflow and the files it includes hold more than \(byteCount(limit)) together (every inclusion counts)"
        case .unknownIncludedVariable(let name, let file, let declared, let suggestion):
            suffix("`\(file)` declares no variable `\(name)`"
                + (declared.isEmpty ? "; it declares no `vars`" : "; it declares \(declared.map { "`\($0)`" }.joined(separator: ", "))"), suggestion)
        case .includePrefixInvalid(let name):
            "the included workflow's name `\(name)` is not a valid stage name prefix; give the include a `name:`"
        case .conditionSyntax(let problem): "malformed condition: \(problem.text)"
        case .unknownConditionReference(let word, let suggestion):
            suffix("unknown name `\(word)` in a condition; expected vars.NAME, env.NAME, matrix.KEY, host.os, host.arch, stages.STAGE.state, stages.STAGE.tasks.TASK.result, .outputs.NAME or .state, a 'string', true or false", suggestion)
        case .unknownFunction(let name, let suggestion):
            suffix("unknown function `\(name)()`; conditions know contains, startsWith, endsWith, success, failure, always and cancelled", suggestion)
        case .functionArity(let name, let expected, let found):
            "`\(name)()` takes \(expected == 0 ? "no arguments" : "\(expected) arguments"), found \(found)"
        case .statusFunctionOutsideStage(let name):
            "`\(name)()` can only be used in a stage's `if`: it asks how the earlier stages went"
        case .cancelledOnStep:
            "`cancelled()` can only be used in a stage's `if`; a step's `if` may use success(), failure() and always(), which ask how the earlier steps of its task went"
        case .conditionTypeMismatch(let op, let left, let right):
            "`\(op)` compares \(left.rawValue) with \(right.rawValue); compare text with text (quote it: 'true') or booleans with booleans"
        case .argumentNotText(let function, let position):
            "argument \(position) of `\(function)()` must be text, found a boolean"
        case .unknownVariableOverride(let name, let suggestion): suffix("--var \(name): the workflow declares no variable `\(name)` in `vars`", suggestion)
        case .unusedVariable(let name): "variable `\(name)` is never used"
        case .environmentVariableUnset(let name): "environment variable `\(name)` is not set; `env.\(name)` expands to the empty string"
        case .reportFileUnwritable(let kind, let path, let reason): "cannot write \(kind.noun) \(path): \(reason)"
        case .jobSummaryUnwritable(let path, let reason): "cannot append the job summary to \(path): \(reason)"
        case .emptyPattern(let key): "an empty pattern in `\(key)` matches nothing; remove it"
        case .unknownTarget(let name, let suggestion):
            suffix("unknown target `\(name)`: a target is STAGE, STAGE/TASK or STAGE/MATRIXTASK (see `flowrun list`)", suggestion)
        case .stateFileCorrupt(let path, let movedTo):
            if let movedTo { "state file \(path) is corrupt; moved aside to \(movedTo) and ignored" }
            else { "state file \(path) is corrupt; ignored" }
        case .stateFileUnreadable(let path, let reason): "cannot read state file \(path): \(reason); ignored"
        case .stateFormatUnsupported(let path, let found, let expected):
            "state file \(path) has format \(found), this flowrun reads format \(expected); ignored"
        case .stateFolderUnwritable(let path, let reason): "cannot write the state folder \(path): \(reason); running without state"
        case .stateLockWaiting(let path): "waiting for another flowrun holding \(path)"
        case .stateNeedsDigest(let reason): "\(reason); running without state"
        case .runNotKept(let runID, let directory): "no run \(runID) is kept in \(directory)"
        case .fingerprintingTook(let milliseconds, let files, let hashed, let bytes):
            "fingerprinting took \(DurationFormat.human(.milliseconds(milliseconds))) (\(files) files, \(hashed) read, \(bytes < 1 << 20 ? "\(bytes) bytes" : "\(bytes >> 20) MiB"))"
        case .unknownExecutor(let name, let suggestion): suffix("unknown executor `\(name)`; flowrun has local and slurm", suggestion)
        case .unknownExecutorSetting(let value, let variable): "\(variable)=\(value): unknown executor; use local or slurm"
        case .invalidMemory(let text): "invalid memory `\(text)`; use a whole number with M or G, e.g. 512M or 4G"
        case .executorNotInstalled(let executor, let program):
            "the \(executor) executor needs `\(program)`, which is not in PATH"
        case .clusterUnreachable(let reason): "cannot reach the Slurm controller: \(reason)"
        case .exportUnsupported(let feature, let engine): "\(feature) cannot be expressed in \(engine)"
        case .unknownPartition(let name, let known, let suggestion):
            suffix("the cluster has no partition `\(name)`" + (known.isEmpty ? "" : " (it has \(known.map { "`\($0)`" }.joined(separator: ", ")))"), suggestion)
        }
    }
}

private func suffix(_ text: String, _ suggestion: String?) -> String {
    if let suggestion { "\(text); did you mean `\(suggestion)`?" } else { text }
}

private func byteCount(_ bytes: Int) -> String {
    bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}

extension ReportFileKind {
    /// How the kind is named in a message ("cannot write JUnit report …").
    var noun: String {
        switch self {
        case .json: "report"
        case .junit: "JUnit report"
        case .trace: "trace"
        case .html: "HTML report"
        case .summary: "summary"
        }
    }
}

extension ValueKind {
    /// The kind as messages name it: "a list", "null".
    public var text: String {
        switch self {
        case .list: "a list"
        case .mapping: "a mapping"
        case .null: "null"
        case .boolean: "a boolean"
        case .number: "a number"
        case .string: "a string"
        }
    }
}

extension DiagnosticMessage.Expected {
    /// What a value must be, as `wrongType` says it.
    public var text: String {
        switch self {
        case .mapping: "a mapping"
        case .list: "a list"
        case .string: "a string"
        case .boolean: "true or false"
        case .wholeNumber: "a whole number"
        case .duration: "a duration"
        case .numberOne: "the number 1"
        case .stage: "a mapping or a list of tasks"
        case .task: "a mapping or a command string"
        case .shell: "`sh`, `bash` or a list of strings"
        case .memorySize: "a size such as 512M or 4G"
        case .allocationMode: "run or task"
        case .oneWord: "one word (no spaces or commas)"
        }
    }
}

extension DiagnosticMessage.Found {
    /// What a value was instead, as `wrongType` says it.
    public var text: String {
        switch self {
        case .kind(let kind): kind.text
        case .scalar(let text, let kind): "`\(text)` (\(kind.text))"
        case .yaml11Boolean(let text): "`\(text)`, a string (YAML 1.2 reads only true and false as booleans)"
        }
    }
}

extension DiagnosticMessage.AllowedRange {
    /// The values allowed, as `numberOutOfRange` says them.
    public var text: String {
        switch self {
        case .atLeast(let low): "at least \(low)"
        case .between(let low, let high): "from \(low) to \(high)"
        case .atMostSeconds(let high): "at most \(high) seconds"
        }
    }
}

extension DiagnosticMessage.Container {
    /// The holder as `missingKey` names it.
    public var text: String {
        switch self {
        case .workflow: "the workflow"
        case .dotenv: "a `dotenv` entry"
        case .stage(let name): "stage `\(name)`"
        case .stageAt(let position): "stage \(position)"
        case .executor: "`executor`"
        }
    }
}

extension DiagnosticMessage.ConditionProblem {
    /// The problem as `conditionSyntax` says it.
    public var text: String {
        switch self {
        case .empty: "the condition is empty"
        case .unterminatedString: "a quoted string without its closing quote"
        case .unexpected(let what): "unexpected `\(what)`"
        case .expectedOperand: "expected a value after the operator"
        case .expectedClosingParenthesis: "expected `)`"
        }
    }
}

extension DiagnosticMessage.DotenvProblem {
    /// The problem as `dotenvSyntax` says it.
    public var text: String {
        switch self {
        case .expectedEquals: "expected `NAME=VALUE`"
        case .unterminatedQuote: "a quoted value without its closing quote (values are one line; write a line break as \\n in double quotes)"
        case .textAfterQuote: "text after the closing quote; only a `#` comment may follow"
        case .unknownEscape(let c): "unknown escape `\\\(c)`; double quotes know \\n \\t \\r \\\" \\\\ \\$"
        }
    }
}
