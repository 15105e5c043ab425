/// One of OpenTSDB 2.4's aggregation functions: how values are combined (within a downsample bucket or
/// across the series of a group) and how a series with no point at a timestamp is filled in.
///
/// Identified by OpenTSDB's name; `named(_:)` resolves it and `all` is what `/api/aggregators` lists.
public struct Aggregator: Sendable, Hashable, CustomStringConvertible {
    /// What the function computes.
    public enum Function: Sendable, Hashable {
        case sum, min, max, avg, median, dev, count, first, last, none, diff, mult, squareSum
        case percentile(Double, PercentileEstimation)
    }

    /// How a series is filled in at a timestamp where it has no point (OpenTSDB's `Interpolation`).
    public enum Interpolation: Sendable, Hashable {
        /// Linear between the neighbours (integer arithmetic when both are integers).
        case lerp
        /// Zero.
        case zim
        /// The type's largest value (so it never wins a `min`).
        case max
        /// The type's smallest value (so it never wins a `max`).
        case min
        /// The previous value.
        case prev
    }

    public let name: String
    public let function: Function
    public let interpolation: Interpolation

    public var description: String { name }

    /// The aggregator OpenTSDB registers under `name`, or nil.
    public static func named(_ name: String) -> Aggregator? { byName[name] }

    /// Every registered aggregator, in `/api/aggregators` order.
    public static let all: [Aggregator] = {
        var list: [Aggregator] = [
            .init("sum", .sum, .lerp), .init("zimsum", .sum, .zim), .init("pfsum", .sum, .prev),
            .init("min", .min, .lerp), .init("mimmin", .min, .max), .init("max", .max, .lerp), .init("mimmax", .max, .min),
            .init("avg", .avg, .lerp), .init("median", .median, .lerp), .init("dev", .dev, .lerp),
            .init("count", .count, .zim), .init("first", .first, .zim), .init("last", .last, .zim),
            .init("none", .none, .zim), .init("diff", .diff, .lerp), .init("mult", .mult, .lerp),
            .init("squareSum", .squareSum, .zim),
        ]
        let percentiles: [(String, Double)] = [("50", 50), ("75", 75), ("90", 90), ("95", 95), ("99", 99), ("999", 99.9)]
        for (suffix, p) in percentiles { list.append(.init("p" + suffix, .percentile(p, .legacy), .lerp)) }
        for (suffix, p) in percentiles { list.append(.init("ep" + suffix + "r3", .percentile(p, .r3), .lerp)) }
        for (suffix, p) in percentiles { list.append(.init("ep" + suffix + "r7", .percentile(p, .r7), .lerp)) }
        return list
    }()

    private static let byName: [String: Aggregator] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    init(_ name: String, _ function: Function, _ interpolation: Interpolation) {
        self.name = name
        self.function = function
        self.interpolation = interpolation
    }

    public static let sum = named("sum")!
    public static let avg = named("avg")!
    public static let none = named("none")!
}

/// commons-math3's percentile estimation types that OpenTSDB exposes (`pNN` = legacy, `epNNr3`, `epNNr7`).
public enum PercentileEstimation: Sendable, Hashable {
    case legacy, r3, r7
}
