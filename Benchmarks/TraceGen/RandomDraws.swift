import Foundation
import PharosCore

/// The distributions the trace generator draws from, on top of the seeded `SplitMix64`.
///
/// Latencies of real services are log-normal in the body with a power-law tail (GC pauses, lock waits,
/// retries), so `latencyUs` mixes the two; counts and choices are uniform or weighted. Every draw consumes
/// a fixed number of words from the generator, so a dataset depends only on its seed.
extension SplitMix64 {
    /// A uniform double in [0, 1) from the top 53 bits of one word.
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        unit() < p
    }

    /// A uniform integer in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(truncatingIfNeeded: next() % UInt64(range.count))
    }

    /// A uniform index below `count` (which must be positive).
    mutating func index(below count: Int) -> Int {
        Int(truncatingIfNeeded: next() % UInt64(count))
    }

    /// A standard normal variate (Box–Muller; two words, one result).
    mutating func normal() -> Double {
        let u1 = max(unit(), 0x1.0p-53)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A log-normal latency with median `medianUs` and shape `sigma`, times a Pareto(α 1.5) factor capped
    /// at 100× with probability `tail`; at least 1 µs.
    mutating func latencyUs(medianUs: Double, sigma: Double = 0.5, tail: Double = 0.02) -> Int64 {
        var value = medianUs * exp(sigma * normal())
        if chance(tail) {
            value *= min(100, pow(max(unit(), 1e-9), -1 / 1.5))
        }
        return max(1, Int64(value.rounded()))
    }

    /// A non-zero 64-bit id, as tracers draw span and trace ids.
    mutating func nonZeroId() -> UInt64 {
        while true {
            let id = next()
            if id != 0 { return id }
        }
    }

    /// An element of `weights.indices`, each with a chance proportional to its weight.
    mutating func weightedIndex(_ weights: [Double], total: Double) -> Int {
        var x = unit() * total
        for (i, w) in weights.enumerated() {
            x -= w
            if x < 0 { return i }
        }
        return weights.count - 1
    }
}
