/// A failure of a tracegen command, with a message that says what and where; printed and exit status 1.
struct ToolError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
