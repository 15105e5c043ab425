import Foundation
import PharosCore

/// Start times of generated traces: a Poisson arrival process at a fixed mean rate from `startUs`, so a
/// dataset covers a predictable window of simulated time (10 M spans at 200 traces/s ≈ 40 minutes).
struct SimulatedClock {
    private(set) var nowUs: Int64
    let meanGapUs: Double

    init(startUs: Int64, tracesPerSecond: Double) {
        nowUs = startUs
        meanGapUs = 1_000_000 / max(tracesPerSecond, 0.001)
    }

    /// The next trace's start (exponential gaps).
    mutating func next(_ random: inout SplitMix64) -> Int64 {
        let gap = -meanGapUs * log(max(random.unit(), 1e-12))
        nowUs += Int64(gap.rounded())
        return nowUs
    }
}
