/// The `srun` command that runs one task attempt on Slurm. Pure: the same
/// inputs give the same arguments, so the table of cases in the tests is the
/// specification.
///
/// Invariants:
/// - the task's script is never an argument of `srun` (issue 16.3): it travels
///   in `FLOWRUN_SLURM_SCRIPT`, carried by `--export=ALL`, and reaches the
///   task's shell as a here-document on a file descriptor, so neither `ps` on
///   either host nor `scontrol show job`/`squeue -o %o` shows it;
/// - the working directory is entered inside the step (`cd DIR || exit 1`):
///   `srun --chdir` to a missing directory silently runs in `/tmp`;
/// - the step's stdin is `/dev/null`, as locally: `--input=none` leaves the
///   step a pipe at end of file (`[ -p /dev/stdin ]` is true), so the step
///   program redirects it itself.
public struct SrunCommand: Sendable, Equatable {
    public var arguments: [String]
    /// Variables for `srun`'s own environment; `--export=ALL` hands them to the step.
    public var environment: [(name: String, value: String)]

    public static func == (a: SrunCommand, b: SrunCommand) -> Bool {
        a.arguments == b.arguments && a.environment.elementsEqual(b.environment) { $0 == $1 }
    }

    /// Names of the variables that carry the script and the directory to the step.
    public static let scriptVariable = "FLOWRUN_SLURM_SCRIPT"
    public static let directoryVariable = "FLOWRUN_SLURM_DIR"
    /// What the step writes first on stderr, so that the runner learns where it ran.
    public static let placementPrefix = "flowrun-slurm: "

    /// The `sh` program run in the step: enters the directory, reports where
    /// it runs, and hands the script to the task's shell on fd 3. The script
    /// variable is unset first, so the task's own processes do not inherit it.
    static let stepProgram = stepPrologue + """
        exec "$@" 3<<FLOWRUN_SCRIPT_END
        $flowrun_script
        FLOWRUN_SCRIPT_END
        """

    /// The `sh` program for a shell that cannot read its script from a file
    /// (a list `shell:` whose last element is not `-c`): the script becomes its
    /// last argument on the node, as it would locally.
    static let argumentProgram = stepPrologue + """
        exec "$@" "$flowrun_script"
        """

    /// Enters the directory and reports where the step runs (and whether the
    /// directory could be entered) on one line of stderr that the runner takes out.
    private static let stepPrologue = """
        flowrun_where="job=$SLURM_JOB_ID step=${SLURM_STEP_ID:-0} node=$SLURMD_NODENAME"
        if ! cd -- "$FLOWRUN_SLURM_DIR" 2>/dev/null; then
            printf 'flowrun-slurm: %s directory=missing\\n' "$flowrun_where" >&2
            exit 1
        fi
        printf 'flowrun-slurm: %s\\n' "$flowrun_where" >&2
        flowrun_script=$FLOWRUN_SLURM_SCRIPT
        unset FLOWRUN_SLURM_SCRIPT FLOWRUN_SLURM_DIR flowrun_where
        exec </dev/null

        """

    /// - Parameters:
    ///   - shell: the task's shell, e.g. `["sh", "-c"]`: sh and bash take `ScriptFileForm`'s
    ///     arguments; for another program, a last `-c` is replaced by `/dev/fd/3`.
    ///   - jobID: the run's allocation for a job step (`allocation: run`), or nil for a job of its own.
    ///   - jobName: `flowrun-RUNID-…`, what a clean-up finds the job or step by.
    public init(
        shell: [String], script: String, environment: [(name: String, value: String)],
        workingDirectory: String, resources: TaskResources, settings: ExecutorSettings,
        jobID: String?, jobName: String
    ) {
        var arguments = ["srun", "--quiet", "--input=none", "--nodes=1", "--ntasks=1", "--export=ALL"]
        if let jobID {
            arguments += ["--jobid=\(jobID)", "--exact"]
        } else {
            if let partition = settings.partition { arguments.append("--partition=\(partition)") }
            if let account = settings.account { arguments.append("--account=\(account)") }
            if let qos = settings.qos { arguments.append("--qos=\(qos)") }
        }
        arguments.append("--job-name=\(jobName)")
        arguments.append("--cpus-per-task=\(resources.cpus ?? 1)")
        if let memory = resources.memoryMegabytes { arguments.append("--mem=\(memory)M") }
        if let gpus = resources.gpus { arguments.append("--gpus=\(gpus)") }
        if let time = resources.time { arguments.append("--time=\(TaskResources.slurmMinutes(time))") }
        arguments += settings.srunArguments
        // sh and bash read fd 3 as they do locally (`ScriptFileForm`: `$0`
        // stays the shell's name, fd 3 is closed before the script runs);
        // another program ending in `-c` gets the file as its script argument.
        let form = ScriptFileForm.arguments(shell: shell, command: script)
        let readsFile = form != nil || (shell.count >= 2 && shell.last == "-c")
        let taskShell = form?.arguments ?? (readsFile ? shell.dropLast() + ["/dev/fd/3"] : shell)
        arguments += ["--", "/bin/sh", "-c", readsFile ? Self.stepProgram : Self.argumentProgram, "flowrun-step"]
        arguments += taskShell
        self.arguments = arguments
        self.environment = environment + [
            (Self.scriptVariable, form.map { String(decoding: $0.script, as: UTF8.self) } ?? script),
            (Self.directoryVariable, workingDirectory),
        ]
    }

    /// The name of every job and step of a run: `flowrun-RUNID-SUFFIX`, with
    /// characters Slurm or a shell would mangle replaced by `_`.
    public static func jobName(runID: String, _ suffix: String) -> String {
        let cleaned = suffix.unicodeScalars.map { scalar -> Character in
            let ok = scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_.".unicodeScalars.contains(scalar))
            return ok ? Character(scalar) : "_"
        }
        return "flowrun-\(runID)-" + String(cleaned.prefix(160))
    }
}
