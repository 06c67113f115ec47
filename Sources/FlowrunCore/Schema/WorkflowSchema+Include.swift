// An `include:` entry of `stages:`.
extension WorkflowSchema {
    /// `$defs/include`.
    static let includeDefinition: String = #"""
    "include": {
      "description": "Another workflow file's stages, inserted here as PREFIX.STAGE. Its vars, env, dotenv, defaults and max-parallel apply to its stages only; its paths are relative to its own folder.",
      "type": "object",
      "additionalProperties": false,
      "required": ["include"],
      "properties": {
        "include": {
          "description": "The workflow file, relative to this file's folder.",
          "type": "string",
          "minLength": 1
        },
        "name": {
          "description": "Prefix of its stages. Default: that workflow's name.",
          "$ref": "#/$defs/name"
        },
        "vars": {
          "description": "Values for variables the included file declares.",
          "type": "object",
          "propertyNames": {
            "$ref": "#/$defs/name"
          },
          "additionalProperties": {
            "$ref": "#/$defs/scalarValue"
          }
        }
      }
    }
"""#
}
