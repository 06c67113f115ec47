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
    ///
    /// The top level is written here; each `$defs` part has its own file
    /// (`WorkflowSchema+Task.swift`, `+Step`, `+Stage`, `+Include`, `+Matrix`, `+Executor`, `+Values`).
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
\#(definitions.joined(separator: ",\n"))
  }
}

"""#

    /// The `$defs` entries in their order in the document; each part is one file.
    static let definitions: [String] = [
        globsDefinition, executorDefinitions, valueDefinitions,
        stageDefinition, includeDefinition, stepDefinition, matrixDefinitions, taskDefinitions,
    ]
}
