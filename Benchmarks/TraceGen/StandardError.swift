import Foundation

/// Writes to stderr, where progress and summaries go so stdout stays machine-readable.
enum StandardError {
    /// Writes `line` and a newline.
    static func print(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Rewrites the current terminal line (progress).
    static func progress(_ line: String) {
        FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
    }
}
