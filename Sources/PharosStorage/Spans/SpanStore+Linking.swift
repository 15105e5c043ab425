import Logging
import PharosCore
import Synchronization

extension SpanStore {
    /// The dependency links a sealing head adds, by minute: for a trace seen for the first time, its links;
    /// for a trace with parts in earlier partitions, the links of the whole trace minus those the earlier
    /// parts already counted. So the stored per-minute sums are always those of whole traces, however the
    /// spans of a trace were split between requests and partitions (rows may be negative corrections).
    func sealLinks(_ head: SpanHead, _ snapshot: Snapshot) -> [Int64: [DependencyLink]] {
        var minutes: [Int64: DependencyLinkAccumulator] = [:]
        let lows = Set(head.byTraceValues.map { head.spans[$0[0]].traceIdLow })
        let earlier = sealedSpans(lows: lows, snapshot)
        for low in lows {
            let fresh = head.trace(high: 0, low: low, strict: false)
            let old = earlier[low] ?? []
            if !old.isEmpty, let timestamp = SpanHead.traceTimestamp(old) {
                minutes[SpanPartitionWriter.minuteMs(ofUs: timestamp), default: DependencyLinkAccumulator()]
                    .subtract(DependencyLinker.links(inTrace: old))
            }
            let whole = old + fresh
            guard let timestamp = SpanHead.traceTimestamp(whole) else { continue }
            minutes[SpanPartitionWriter.minuteMs(ofUs: timestamp), default: DependencyLinkAccumulator()]
                .add(DependencyLinker.links(inTrace: whole))
        }
        return minutes.mapValues(\.links)
    }

    /// The sealed spans of the traces `lows` (grouped by the lower 64 bits, as dependency linking groups them),
    /// reading each block once however many of the traces it holds.
    func sealedSpans(lows: Set<UInt64>, _ snapshot: Snapshot) -> [UInt64: [Span]] {
        var blocks: [Int64: [Int: Set<UInt64>]] = [:]
        do {
            for fragment in try catalog.fragments(lows: lows) where snapshot.partitions[fragment.partition] != nil {
                blocks[fragment.partition, default: [:]][fragment.block, default: []].insert(fragment.low)
            }
        } catch { logger.error("span index lookup failed while linking", metadata: ["error": "\(error)"]) }
        var found: [UInt64: [Span]] = [:]
        for (partitionID, byBlock) in blocks {
            guard let partition = snapshot.partitions[partitionID] else { continue }
            for (block, wanted) in byBlock {
                do {
                    for span in try partition.spans(inBlock: block, where: { _, low in wanted.contains(low) }) {
                        found[span.traceIdLow, default: []].append(span)
                    }
                } catch {
                    corruptReads.add(1)
                    logger.error("skipping an unreadable span block", metadata: ["error": "\(error)"])
                }
            }
        }
        return found
    }
}
