import NIOCore
import PharosCore

/// One value per event loop, for state a handler reuses across requests without locking (caches,
/// scratch buffers). Only ever touch the value of the loop you are running on.
final class EventLoopLocal<Value>: @unchecked Sendable {
    private final class Box {
        var value: Value
        init(_ value: Value) { self.value = value }
    }

    private let boxes: [ObjectIdentifier: Box]

    init(loops: [any EventLoop], make: () -> Value) {
        var boxes: [ObjectIdentifier: Box] = [:]
        for loop in loops { boxes[ObjectIdentifier(loop)] = Box(make()) }
        self.boxes = boxes
    }

    /// Runs `body` with the value of `loop`; the caller must be on `loop`.
    func withValue<T>(on loop: any EventLoop, _ body: (inout Value) throws -> T) rethrows -> T {
        guard let box = boxes[ObjectIdentifier(loop)] else {
            preconditionFailure("BUG: EventLoopLocal used from a loop it was not made for")
        }
        loop.preconditionInEventLoop()
        return try body(&box.value)
    }
}
