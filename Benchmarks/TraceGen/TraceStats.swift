import Foundation
import PharosCore

/// Running totals over generated traces, to check the generator models what it claims (span counts,
/// error share, span kinds) and to print with `generate` and `sample`. Not thread-safe.
struct TraceStats {
    private(set) var traces = 0
    private(set) var spans = 0
    private(set) var errors = 0
    private(set) var shared = 0
    private(set) var byKind: [SpanKind?: Int] = [:]
    private var sizes: [Int] = Array(repeating: 0, count: 65)

    /// Counts one trace.
    mutating func add(_ trace: [Span]) {
        traces += 1
        spans += trace.count
        sizes[min(trace.count, 64)] += 1
        for span in trace {
            if span.tag("error") != nil { errors += 1 }
            if span.shared { shared += 1 }
            byKind[span.kind, default: 0] += 1
        }
    }

    /// The smallest trace size with at least `fraction` of traces at or below it.
    func sizeQuantile(_ fraction: Double) -> Int {
        let target = Double(traces) * fraction
        var seen = 0
        for (size, count) in sizes.enumerated() {
            seen += count
            if Double(seen) >= target && count > 0 { return size }
        }
        return 64
    }

    /// One line: traces, spans per trace (mean, min, p50, p99, max), error and shared shares, kinds.
    var summary: String {
        guard traces > 0 else { return "no traces" }
        func percent(_ n: Int) -> String { String(format: "%.2f%%", 100 * Double(n) / Double(spans)) }
        let kinds = [SpanKind.server, .client, .producer, .consumer].map { "\($0.zipkinName.lowercased()) \(percent(byKind[$0] ?? 0))" }
        let minSize = sizes.firstIndex { $0 > 0 } ?? 0
        let maxSize = sizes.lastIndex { $0 > 0 } ?? 0
        return "\(traces) traces, \(spans) spans; spans/trace mean \(String(format: "%.1f", Double(spans) / Double(traces))) "
            + "min \(minSize) p50 \(sizeQuantile(0.5)) p99 \(sizeQuantile(0.99)) max \(maxSize); errors \(percent(errors)), "
            + "shared \(percent(shared)); " + kinds.joined(separator: ", ") + ", local \(percent(byKind[nil] ?? 0))"
    }
}
