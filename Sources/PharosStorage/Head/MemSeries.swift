import Synchronization
import PharosCore
/// A series' state in the head: its key and its points per open head window.
///
/// Mutable state is guarded by `lock`; never touch `windows` without it. A lock per series (4 bytes) means
/// two connections writing different series never contend.
final class MemSeries: @unchecked Sendable {
    let id: UInt32
    let key: SeriesKey
    let lock = Mutex<Void>(())
    var windows: [SeriesWindow] = []

    init(id: UInt32, key: SeriesKey) {
        self.id = id
        self.key = key
    }

    /// The window's slot, opening it (and registering the series with it) on first use.
    @inline(__always)
    func slot(for window: HeadWindow) -> Int {
        for index in windows.indices where windows[index].window === window { return index }
        windows.append(SeriesWindow(window: window))
        window.addMember(id)
        return windows.count - 1
    }
}
