// A step of a task.
extension WorkflowSchema {
    /// `$defs/step`.
    static let stepDefinition: String = #"""
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
            },
            "if": {
              "description": "Condition: a false one skips the step (reason: condition). success(), failure() and always() ask about the earlier steps of the task; none is success().",
              "$ref": "#/$defs/condition"
            }
          }
        }
      ]
    }
"""#
}
