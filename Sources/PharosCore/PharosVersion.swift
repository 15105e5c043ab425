public enum PharosVersion { public static let string = "0.1.0" }
