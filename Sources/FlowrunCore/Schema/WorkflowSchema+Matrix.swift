// A task's matrix, static or expanded at run time.
extension WorkflowSchema {
    /// `$defs` `matrix` and `matrixEntry`.
    static let matrixDefinitions: String = #"""
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
    }
"""#
}
