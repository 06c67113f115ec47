/// The JSON Schema (draft 2020-12) of the workflow format, version 1, as `flowrun schema` prints it.
///
/// Editors use it (yaml-language-server, VS Code) to flag unknown keys, wrong
/// types, bad names and durations while a workflow is written. It is looser
/// than flowrun's validator in what a schema cannot say: unique names,
/// templates and their references, YAML loader limits. It must never be
/// stricter: every workflow flowrun accepts must conform (SchemaTests checks
/// the files in `workflows/` with an independent validator).
public enum WorkflowSchema {
    /// The schema document, pretty-printed JSON ending in a newline.
    public static let json: String = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "flowrun workflow, version 1",
  "description": "A workflow for flowrun: stages run one after another; the tasks of a stage run concurrently. See flowrun-workflow(5).",
  "type": "object",
  "additionalProperties": false,
  "required": ["stages"],
  "properties": {
    "version": {
      "description": "Format version. Optional; if present it must be 1.",
      "const": 1
    },
    "name": {
      "description": "Workflow name. Default: the file name without its extension.",
      "type": "string",
      "minLength": 1
    },
    "description": {
      "description": "What the workflow does.",
      "type": "string"
    },
    "dotenv": {
      "description": "Files of NAME=VALUE lines exported to every task, in order (a later file wins); flowrun's own environment wins over them.",
      "type": "array",
      "items": {
        "oneOf": [
          {"type": "string", "minLength": 1},
          {
            "type": "object",
            "properties": {
              "path": {"description": "The file, relative to the workflow's folder.", "type": "string", "minLength": 1},
              "required": {"description": "false: a missing file is no error.", "type": "boolean"}
            },
            "required": ["path"],
            "additionalProperties": false
          }
        ]
      }
    },
    "vars": {
      "description": "Variables with their default values, used as ${{ vars.NAME }}; `--var NAME=VALUE` overrides a default.",
      "type": "object",
      "propertyNames": {
        "$ref": "#/$defs/name"
      },
      "additionalProperties": {
        "$ref": "#/$defs/scalarValue"
      }
    },
    "env": {
      "description": "Environment variables exported to every task. Values may use templates.",
      "$ref": "#/$defs/env"
    },
    "secrets": {
      "description": "Names of `vars` or `env` entries whose values are masked as *** in every output.",
      "type": "array",
      "uniqueItems": true,
      "items": {
        "$ref": "#/$defs/name"
      }
    },
    "defaults": {
      "description": "Defaults for every task.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "shell": {
          "$ref": "#/$defs/shell"
        },
        "timeout": {
          "$ref": "#/$defs/duration"
        },
        "retries": {
          "$ref": "#/$defs/retries"
        },
        "working-directory": {
          "$ref": "#/$defs/workingDirectory"
        },
        "resources": {
          "$ref": "#/$defs/resources"
        }
      }
    },
    "executor": {
      "description": "Where run tasks go: local (default) or slurm, as a name or with settings. `--executor` and FLOWRUN_EXECUTOR override the name.",
      "oneOf": [
        {
          "$ref": "#/$defs/executorName"
        },
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["name"],
          "properties": {
            "name": {
              "$ref": "#/$defs/executorName"
            },
            "partition": {
              "$ref": "#/$defs/slurmWord"
            },
            "account": {
              "$ref": "#/$defs/slurmWord"
            },
            "qos": {
              "$ref": "#/$defs/slurmWord"
            },
            "allocation": {
              "description": "run (default): one allocation for the whole run, tasks as job steps. task: a job per task.",
              "enum": ["run", "task"]
            },
            "srun-args": {
              "description": "Extra srun arguments, appended as given.",
              "type": "array",
              "items": {
                "type": "string"
              }
            }
          }
        }
      ]
    },
    "max-parallel": {
      "description": "Most tasks running at once, over all stages. Default: no limit beyond `--jobs`.",
      "$ref": "#/$defs/maxParallel"
    },
    "stages": {
      "description": "Stages, run one after another.",
      "type": "array",
      "minItems": 1,
      "items": {
        "$ref": "#/$defs/stage"
      }
    }
  },
  "$defs": {
    "globs": {
      "description": "One glob pattern or a list of them; no templates.",
      "oneOf": [
        {"type": "string", "minLength": 1, "not": {"pattern": "\\$\\{\\{"}},
        {"type": "array", "items": {"type": "string", "minLength": 1, "not": {"pattern": "\\$\\{\\{"}}}
      ]
    },
    "executorName": {
      "enum": ["local", "slurm"]
    },
    "slurmWord": {
      "type": "string",
      "pattern": "^[^\\s,]+$"
    },
    "resources": {
      "description": "What a task asks of the machine. On Slurm: -c, --mem, --gpus, --time; locally cpus counts as that many slots against --jobs and max-parallel.",
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "cpus": {
          "type": "integer",
          "minimum": 1,
          "maximum": 100000
        },
        "memory": {
          "description": "A size: a whole number with K, M, G or T (512M, 4G); a bare number is megabytes.",
          "type": ["string", "integer"],
          "pattern": "^[0-9]+([KkMmGgTt]([Ii]?[Bb])?)?$",
          "minimum": 1
        },
        "gpus": {
          "type": "integer",
          "minimum": 0,
          "maximum": 1024
        },
        "time": {
          "$ref": "#/$defs/duration"
        }
      }
    },
    "condition": {
      "description": "An expression, bare or in ${{ }}: references (vars.X, env.X, host.os, host.arch, stages.S.state, stages.S.tasks.T.result/state), 'strings', true, false; || && == != ! (); contains, startsWith, endsWith; on stages success(), failure(), always(), cancelled().",
      "type": ["string", "boolean"]
    },
    "name": {
      "description": "A name: letters, digits, '_', '.' and '-'.",
      "type": "string",
      "pattern": "^[A-Za-z0-9_.-]+$"
    },
    "envName": {
      "description": "An environment variable name.",
      "type": "string",
      "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"
    },
    "scalarValue": {
      "description": "A string; a number or boolean is taken as it is written.",
      "type": ["string", "number", "boolean"]
    },
    "env": {
      "type": "object",
      "propertyNames": {
        "$ref": "#/$defs/envName"
      },
      "additionalProperties": {
        "$ref": "#/$defs/scalarValue"
      }
    },
    "duration": {
      "description": "A duration greater than zero: a number of seconds (3, 3.5) or a string with units ms, s, m, h (250ms, 1m30s, 2h).",
      "oneOf": [
        {
          "type": "number",
          "exclusiveMinimum": 0
        },
        {
          "type": "string",
          "pattern": "^(?=.*[1-9])(?:[0-9]+(?:\\.[0-9]+)?(?:ms|s|m|h))+$"
        }
      ]
    },
    "delay": {
      "description": "A duration of zero or more: a number of seconds or a string with units ms, s, m, h.",
      "oneOf": [
        {
          "type": "number",
          "minimum": 0
        },
        {
          "type": "string",
          "pattern": "^(?:[0-9]+(?:\\.[0-9]+)?(?:ms|s|m|h))+$"
        }
      ]
    },
    "retries": {
      "description": "Extra attempts after a failure, 0 to 100.",
      "type": "integer",
      "minimum": 0,
      "maximum": 100
    },
    "maxParallel": {
      "type": "integer",
      "minimum": 1
    },
    "shell": {
      "description": "`sh` (default; `sh -e -c`), `bash` (`bash --noprofile --norc -e -o pipefail -c`), or an argv prefix used as written, to which the command is appended, e.g. [bash, -eu, -c].",
      "oneOf": [
        {
          "enum": ["sh", "bash"]
        },
        {
          "type": "array",
          "minItems": 1,
          "items": {
            "type": "string",
            "minLength": 1
          }
        }
      ]
    },
    "workingDirectory": {
      "description": "Directory to run in, relative to the workflow file's folder. May use templates.",
      "type": "string",
      "minLength": 1
    },
    "stage": {
      "oneOf": [
        {
          "description": "A stage given as a plain list of tasks; it is named by its position (1, 2, ...).",
          "$ref": "#/$defs/tasks"
        },
        {
          "description": "A stage: tasks that run concurrently.",
          "type": "object",
          "additionalProperties": false,
          "required": ["name", "tasks"],
          "properties": {
            "name": {
              "description": "Stage name, unique in the workflow.",
              "$ref": "#/$defs/name"
            },
            "description": {
              "type": "string"
            },
            "max-parallel": {
              "description": "Most tasks of this stage running at once.",
              "$ref": "#/$defs/maxParallel"
            },
            "if": {
              "description": "Condition: whether the stage runs. Default success(); always(), failure(), cancelled() also run it after a failure.",
              "$ref": "#/$defs/condition"
            },
            "fail-fast": {
              "description": "true (default): the first failure cancels the stage's other tasks. false: all tasks run to their end.",
              "type": "boolean"
            },
            "env": {
              "description": "Environment variables for this stage's tasks.",
              "$ref": "#/$defs/env"
            },
            "executor": {
              "description": "local keeps this stage's tasks on this machine.",
              "$ref": "#/$defs/executorName"
            },
            "tasks": {
              "$ref": "#/$defs/tasks"
            }
          }
        }
      ]
    },
    "step": {
      "oneOf": [
        {
          "description": "A shell command: short for `run: <command>`.",
          "type": "string",
          "minLength": 1
        },
        {
          "description": "A step: exactly one of `run` or `sleep`. `retries` belong to the task.",
          "type": "object",
          "additionalProperties": false,
          "oneOf": [
            {
              "required": ["run"]
            },
            {
              "required": ["sleep"]
            }
          ],
          "properties": {
            "name": {
              "description": "Step name, unique in the task. Default: its position, 1, 2, ...",
              "$ref": "#/$defs/name"
            },
            "run": {
              "description": "Shell command, run with the task's shell.",
              "type": "string",
              "minLength": 1
            },
            "sleep": {
              "$ref": "#/$defs/duration"
            },
            "env": {
              "description": "Environment variables added to the task's for this step.",
              "$ref": "#/$defs/env"
            },
            "working-directory": {
              "$ref": "#/$defs/workingDirectory"
            },
            "timeout": {
              "description": "Longest time this step may take.",
              "$ref": "#/$defs/duration"
            },
            "continue-on-error": {
              "description": "A failure of this step does not fail the task; the next step runs.",
              "type": "boolean"
            }
          }
        }
      ]
    },
    "matrix": {
      "description": "Expand the task into one instance per combination of values; the first key varies slowest. A key given as a template (one value per line) is expanded when the stage starts.",
      "type": "object",
      "minProperties": 1,
      "properties": {
        "exclude": {
          "description": "Remove every combination that has all of an entry's pairs.",
          "type": "array",
          "items": {
            "$ref": "#/$defs/matrixEntry"
          }
        },
        "include": {
          "description": "Append combinations; each gives a value for every key.",
          "type": "array",
          "items": {
            "$ref": "#/$defs/matrixEntry"
          }
        }
      },
      "propertyNames": {
        "pattern": "^[A-Za-z_][A-Za-z0-9_-]*$"
      },
      "additionalProperties": {
        "oneOf": [
          {
            "description": "The key's values.",
            "type": "array",
            "minItems": 1,
            "items": {
              "type": ["string", "number", "boolean"]
            }
          },
          {
            "description": "A template over an earlier stage's result; each non-empty line is a value.",
            "type": "string",
            "pattern": "\\$\\{\\{"
          }
        ]
      }
    },
    "matrixEntry": {
      "type": "object",
      "minProperties": 1,
      "additionalProperties": {
        "type": ["string", "number", "boolean"]
      }
    },
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
  }
}

"""#
}
