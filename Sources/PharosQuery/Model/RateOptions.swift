/// OpenTSDB's `RateOptions`: whether the series is a monotonic counter, where it wraps, and how resets
/// are treated.
public struct RateOptions: Sendable, Equatable {
    public var counter: Bool
    /// The value a counter wraps at; OpenTSDB's default is `Long.MAX_VALUE`.
    public var counterMax: Double
    /// A wrapped rate above this is reported as 0; 0 turns the check off.
    public var resetValue: Double
    /// Skip the point after a counter reset instead of computing a wrapped rate.
    public var dropResets: Bool

    public init(counter: Bool = false, counterMax: Double = 9.223372036854775807e18, resetValue: Double = 0, dropResets: Bool = false) {
        self.counter = counter
        self.counterMax = counterMax
        self.resetValue = resetValue
        self.dropResets = dropResets
    }

    /// `rate{counter[,max[,reset]]}` / `rate{dropcounter,,}` options text (without braces), as
    /// `QueryRpc.parseRateOptions` reads it: empty slots keep the defaults.
    public init(parsing text: Substring) throws(QueryError) {
        self.init()
        guard !text.isEmpty else { return }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count <= 3 else {
            throw QueryError(
                "Incorrect number of values in rate options specification, must be counter[,counter max value,reset value], recieved: \(parts.count) parts"
            )
        }
        counter = parts[0].hasSuffix("counter")
        dropResets = parts[0] == "dropcounter"
        if parts.count > 1 && !parts[1].isEmpty {
            guard let max = Double(parts[1]) else { throw QueryError("Max value of counter was not a number, received '\(parts[1])'") }
            counterMax = max
        }
        if parts.count > 2 && !parts[2].isEmpty {
            guard let reset = Double(parts[2]) else { throw QueryError("Reset value of counter was not a number, received '\(parts[2])'") }
            resetValue = reset
        }
    }
}
