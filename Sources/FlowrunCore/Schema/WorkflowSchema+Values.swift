// Value kinds the workflow parts share: globs, conditions, names, env, durations, retries, shells.
extension WorkflowSchema {
    /// `$defs/globs`: sources and generates patterns.
    static let globsDefinition: String = #"""
    "globs": {
      "description": "One glob pattern or a list of them; no templates.",
      "oneOf": [
        {"type": "string", "minLength": 1, "not": {"pattern": "\\$\\{\\{"}},
        {"type": "array", "items": {"type": "string", "minLength": 1, "not": {"pattern": "\\$\\{\\{"}}}
      ]
    }
"""#

    /// `$defs` from `condition` to `workingDirectory`: the value kinds the parts share.
    static let valueDefinitions: String = #"""
    "condition": {
      "description": "An expression, bare or in ${{ }}: references (vars.X, env.X, matrix.X, host.os, host.arch, stages.S.state, stages.S.tasks.T.result/state/outputs.NAME), 'strings', true, false; || && == != ! (); contains, startsWith, endsWith; on stages success(), failure(), always(), cancelled(); on steps success(), failure(), always().",
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
    }
"""#
}
