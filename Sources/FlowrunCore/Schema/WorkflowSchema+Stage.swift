// A stage: its keys and the plain-list form.
extension WorkflowSchema {
    /// `$defs/stage`.
    static let stageDefinition: String = #"""
    "stage": {
      "oneOf": [
        {
          "description": "A stage given as a plain list of tasks; it is named by its position (1, 2, ...).",
          "$ref": "#/$defs/tasks"
        },
        {
          "$ref": "#/$defs/include"
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
    }
"""#
}
