public enum FlowrunVersion { public static let string = "0.1.0" }
