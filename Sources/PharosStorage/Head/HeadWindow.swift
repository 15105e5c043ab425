import Synchronization
import PharosCore

/// One time partition's worth of head data that has not been sealed yet.
///
/// A window is identified by its start (UTC-aligned) and a generation: generation 0 takes the window's
/// points while it is current; a point that arrives after the window was sealed opens a new generation
/// (the "late area"), which is sealed into a partition of its own and merged by compaction.
/// Thread-safe: flags are atomic, the series list has its own lock.
final class HeadWindow: Sendable {
    let id: UInt64
    let startMs: Int64
    let endMs: Int64
    let generation: Int
    /// When this window was opened (monotonic), so late generations can be sealed once they go quiet.
    let openedAt: ContinuousClock.Instant
    private let sealingFlag = Atomic<Bool>(false)
    private let members = Mutex<[UInt32]>([])
    let pointCount = Atomic<Int64>(0)
    /// The WAL position when sealing began (set once, under the append gate); replay skips this window's
    /// points before it, since the partition holds them.
    let sealMark = Mutex<WALPosition?>(nil)

    init(id: UInt64, startMs: Int64, endMs: Int64, generation: Int) {
        self.id = id
        self.startMs = startMs
        self.endMs = endMs
        self.generation = generation
        self.openedAt = .now
    }

    var isLate: Bool { generation > 0 }

    /// Set once by the sealer; appenders that see it under a series lock go to the next generation.
    var isSealing: Bool { sealingFlag.load(ordering: .acquiring) }

    func markSealing() { sealingFlag.store(true, ordering: .releasing) }

    /// Records that series `id` has data here; called once per series, under that series' lock.
    func addMember(_ id: UInt32) {
        members.withLock { $0.append(id) }
    }

    var memberIDs: [UInt32] { members.withLock { $0 } }
}
