// A task: its keys and the list of tasks in a stage.
extension WorkflowSchema {
    /// `$defs` `tasks` and `task`.
    static let taskDefinitions: String = #"""
    "tasks": {
      "description": "Tasks, run concurrently.",
      "type": "array",
      "minItems": 1,
      "items": {
        "$ref": "#/$defs/task"
      }
    },
    "task": {
      "oneOf": [
        {
          "description": "A shell command: short for `run: <command>`.",
          "type": "string",
          "minLength": 1
        },
        {
          "description": "A task: exactly one of `run`, `sleep` or `steps`.",
          "type": "object",
          "additionalProperties": false,
          "oneOf": [
            {
              "required": ["run"]
            },
            {
              "required": ["sleep"]
            },
            {
              "required": ["steps"]
            }
          ],
          "properties": {
            "name": {
              "description": "Task name, unique in the stage. Default: its position, 1, 2, ... With a `matrix`, it may use ${{ matrix.KEY }} to name each instance.",
              "type": "string",
              "pattern": "^(?:[A-Za-z0-9_.-]|\\$\\{\\{[^}]*\\}\\})+$"
            },
            "steps": {
              "description": "Steps run one after another in each attempt; the first failing one fails the task and skips the rest.",
              "type": "array",
              "minItems": 1,
              "items": {
                "$ref": "#/$defs/step"
              }
            },
            "matrix": {
              "$ref": "#/$defs/matrix"
            },
            "outputs": {
              "description": "Names the task writes to $FLOWRUN_OUTPUT (NAME=VALUE or NAME<<DELIMITER lines); each must be written.",
              "type": "array",
              "uniqueItems": true,
              "items": {
                "type": "string",
                "pattern": "^[A-Za-z_][A-Za-z0-9_-]*$"
              }
            },
            "interactive": {
              "description": "Run with flowrun's terminal (stdin, stdout, stderr, foreground process group), alone in its stage.",
              "type": "boolean"
            },
            "run": {
              "description": "Shell command. Each ${{ ... }} becomes one shell-quoted word.",
              "type": "string",
              "minLength": 1
            },
            "sleep": {
              "description": "Wait this long, without a process.",
              "$ref": "#/$defs/duration"
            },
            "env": {
              "description": "Environment variables for this task.",
              "$ref": "#/$defs/env"
            },
            "working-directory": {
              "$ref": "#/$defs/workingDirectory"
            },
            "shell": {
              "description": "Shell for this task; overrides `defaults.shell`.",
              "$ref": "#/$defs/shell"
            },
            "timeout": {
              "description": "Longest time one attempt may take; then its process group gets SIGTERM, and SIGKILL 5 s later.",
              "$ref": "#/$defs/duration"
            },
            "retries": {
              "$ref": "#/$defs/retries"
            },
            "retry-delay": {
              "description": "Wait between attempts (0 allowed).",
              "$ref": "#/$defs/delay"
            },
            "if": {
              "description": "Condition: a false one skips the task (reason: condition); it counts as a success.",
              "$ref": "#/$defs/condition"
            },
            "continue-on-error": {
              "description": "Record a failure but count it as a success for the stage.",
              "type": "boolean"
            },
            "result": {
              "description": "Template for the task's result; may use ${{ stdout }}, ${{ stderr }}, ${{ exit-code }}.",
              "type": "string"
            },
            "sources": {
              "description": "Files the task reads: globs (*, ?, [...], **) relative to its working directory. Unchanged sources, command and env make the task up-to-date.",
              "$ref": "#/$defs/globs"
            },
            "generates": {
              "description": "Files the task writes: globs relative to its working directory; each must match for the task to be up-to-date.",
              "$ref": "#/$defs/globs"
            },
            "resources": {
              "$ref": "#/$defs/resources"
            },
            "executor": {
              "description": "local keeps this task on this machine.",
              "$ref": "#/$defs/executorName"
            }
          }
        }
      ]
    }
"""#
}
