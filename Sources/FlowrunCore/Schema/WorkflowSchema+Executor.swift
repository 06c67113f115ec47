// Where tasks run and what they ask of the machine.
extension WorkflowSchema {
    /// `$defs` `executorName`, `slurmWord` and `resources`.
    static let executorDefinitions: String = #"""
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
    }
"""#
}
