import NIOCore
import NIOHTTP1
import PharosCore

/// Tells HTTP from telnet-style lines on the OpenTSDB port by the first byte, as OpenTSDB does
/// (`'A'…'Z'` starts an HTTP method), then installs the right handlers and steps aside.
final class ProtocolSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private let installHTTP: (ChannelPipeline.SynchronousOperations, any ChannelHandler) throws -> Void
    private let installTelnet: (ChannelPipeline.SynchronousOperations, any ChannelHandler) throws -> Void

    init(
        installHTTP: @escaping (ChannelPipeline.SynchronousOperations, any ChannelHandler) throws -> Void,
        installTelnet: @escaping (ChannelPipeline.SynchronousOperations, any ChannelHandler) throws -> Void
    ) {
        self.installHTTP = installHTTP
        self.installTelnet = installTelnet
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return }
        do {
            let pipeline = context.pipeline.syncOperations
            if first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z") {
                try installHTTP(pipeline, self)
            } else {
                try installTelnet(pipeline, self)
            }
        } catch {
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(data)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}
