/// The message of a Java `NumberFormatException`, produced by the Java-compatible number parsers.
///
/// Telnet reports it as `put: invalid value: <message>`; `/api/put` replaces it with
/// `Unable to parse value to a number`.
struct NumberFormatFailure: Error, Equatable {
    let message: String
}
