/// A downsampler, `<n><unit>[c]-<aggregator>[-<fill>]` or `0all-<aggregator>`, as OpenTSDB's
/// `DownsamplingSpecification` parses it.
public struct DownsampleSpec: Sendable, Equatable {
    /// How empty buckets are emitted.
    public enum FillPolicy: String, Sendable, Equatable {
        /// Empty buckets are absent (and later interpolated across series).
        case none
        /// Empty buckets are NaN, rendered `"NaN"`.
        case nan
        /// Empty buckets are NaN, rendered `null`.
        case null
        /// Empty buckets are 0.
        case zero
    }

    /// Bucket width; ignored for `0all`. For calendar specs it is `count` × the unit's nominal length.
    public var intervalMs: Int64
    /// One bucket over `[start, end)` (`0all`).
    public var isAll: Bool
    /// Buckets anchored on calendar boundaries in the query's time zone (`1dc`).
    public var calendarUnit: Substring?
    public var calendarCount: Int64
    public var aggregator: Aggregator
    public var fill: FillPolicy
    /// The text it was parsed from, echoed by `showQuery`.
    public var text: String

    /// Parses a downsample specification; throws OpenTSDB's 400 messages.
    public init(parsing text: String) throws(QueryError) {
        self.text = text
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty else {
            throw QueryError("Invalid downsampling specifier '\(text)'")
        }
        guard let aggregator = Aggregator.named(String(parts[1])) else {
            throw QueryError("No such downsampling function: \(parts[1])")
        }
        guard aggregator.function != .none else { throw QueryError("cannot use the NONE aggregator for downsampling") }
        self.aggregator = aggregator
        if parts.count == 3 {
            guard let fill = FillPolicy(rawValue: String(parts[2])) else { throw QueryError("Unrecognized fill policy: \(parts[2])") }
            self.fill = fill
        } else {
            fill = .none
        }
        calendarUnit = nil
        calendarCount = 0
        if parts[0].contains("all") {
            isAll = true
            intervalMs = 0
            return
        }
        isAll = false
        var interval = parts[0]
        if interval.last == "c" {
            interval = interval.dropLast()
            let (count, unit) = try Duration.parts(interval)
            guard unit != "ms" else { throw QueryError("Calendar downsampling does not support milliseconds: \(text)") }
            calendarUnit = unit
            calendarCount = count
        }
        intervalMs = try Duration.milliseconds(interval)
    }
}
