#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import PharosCore
import PharosIngest
import PharosStorage

/// OpenTSDB's telnet-style protocol: `put` lines and a few commands, one connection each.
///
/// Runs on the connection's event loop. Each TCP read is split into lines in place; `put` lines become
/// one `SampleBatch`, written to the WAL and the head when the read is done (or before any reply, so a
/// `version` answers after every earlier put is stored, as the benchmark harness relies on). Successful
/// puts get no reply; a bad line gets one `put: …` line and the connection stays open.
final class TelnetHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let store: MetricStore
    private let limits: PutLimits
    private let stats: ServerStats
    private var cache = SeriesRefCache()
    private var batch = SampleBatch()
    private var scratch = AppendScratch()
    private var pending = ByteBuffer()
    private var discardingLongLine = false
    private var replies = ByteBuffer()
    private var rejectedInRead: Int64 = 0
    private var closeAfterFlush = false
    /// With `--fsync always`: replies wait until the WAL sync covers the puts before them.
    private var awaitingSync = false

    init(store: MetricStore, limits: PutLimits, stats: ServerStats) {
        self.store = store
        self.limits = limits
        self.stats = stats
    }

    // Added by the sniffer after the channel became active, so count the connection here.
    func handlerAdded(context: ChannelHandlerContext) {
        stats.telnetConnections.add(1)
    }

    func channelInactive(context: ChannelHandlerContext) {
        stats.telnetConnections.add(-1)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if pending.readableBytes > 0 {
            // Complete the line left over from the last read with this read's first line only, so the bulk
            // of the buffer is parsed where it lies instead of being copied.
            let newline = buffer.withUnsafeReadableBytes { raw in raw.firstIndex(of: 0x0A) }
            guard let newline else {
                pending.writeBuffer(&buffer)
                let consumed = pending.withUnsafeReadableBytes { process($0, context: context) }
                pending.moveReaderIndex(forwardBy: consumed)
                pending.discardReadBytes()
                return
            }
            var head = buffer.readSlice(length: newline + 1)!
            pending.writeBuffer(&head)
            let consumed = pending.withUnsafeReadableBytes { process($0, context: context) }
            pending.moveReaderIndex(forwardBy: consumed)
            pending.discardReadBytes()
        }
        let consumed = buffer.withUnsafeReadableBytes { process($0, context: context) }
        buffer.moveReaderIndex(forwardBy: consumed)
        if buffer.readableBytes > 0 { pending.writeBuffer(&buffer) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        commit(context: context)
        flushReplies(context: context)
    }

    /// Handles every complete line in `bytes`; returns how many bytes were consumed.
    private func process(_ bytes: UnsafeRawBufferPointer, context: ChannelHandlerContext) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        var start = 0
        while start < bytes.count {
            guard let newline = memchr(base + start, 0x0A, bytes.count - start) else {
                // No complete line: keep it for the next read unless it is already over the limit.
                if bytes.count - start > limits.maxLineBytes {
                    if !discardingLongLine { replyLineTooLong(bytes.count - start) }
                    discardingLongLine = true
                    return bytes.count
                }
                return start
            }
            let end = base.distance(to: UnsafeRawPointer(newline))
            var lineEnd = end
            if lineEnd > start && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            if discardingLongLine {
                discardingLongLine = false
            } else if lineEnd - start > limits.maxLineBytes {
                replyLineTooLong(lineEnd - start)
            } else {
                handleLine(UnsafeRawBufferPointer(rebasing: bytes[start..<lineEnd]), context: context)
            }
            start = end + 1
        }
        return start
    }

    private func replyLineTooLong(_ length: Int) {
        stats.pointsRejected.add(1)
        stats.limitHits.add(1)
        replies.writeString("put: illegal argument: line too long: more than \(limits.maxLineBytes) bytes (\(length) seen); discarded\n")
    }

    @inline(__always)
    private func handleLine(_ line: UnsafeRawBufferPointer, context: ChannelHandlerContext) {
        if line.count > 4 && line[0] == 0x70 && line[1] == 0x75 && line[2] == 0x74 && line[3] == 0x20 {  // "put "
            if let raw = TelnetPutParser.parseFast(line) {
                let metric = UnsafeRawBufferPointer(rebasing: line[raw.metric])
                let tags = UnsafeRawBufferPointer(rebasing: line[raw.tags])
                let hash = SeriesRefCache.hash(metric: metric, tags: tags)
                if let ref = cache.lookup(metric: metric, tags: tags, hash: hash) {
                    batch.append(series: ref, timestampMs: raw.timestampMs, value: raw.value)
                    return
                }
                if let ref = putStrict(line) { cache.insert(metric: metric, tags: tags, hash: hash, ref: ref) }
                return
            }
            _ = putStrict(line)
            return
        }
        command(line, context: context)
    }

    /// The exact OpenTSDB path: validates everything, resolves the series, queues the point or replies the error.
    private func putStrict(_ line: UnsafeRawBufferPointer) -> SeriesRef? {
        switch TelnetPutParser.parseStrict(line, limits: limits) {
        case .failure(let error):
            rejectedInRead += 1
            replies.writeString(error.telnetLine + "\n")
            return nil
        case .success(let (key, point)):
            do {
                let ref = try store.resolve(key)
                batch.append(series: ref, timestampMs: point.timestampMs, value: point.value)
                return ref
            } catch {
                rejectedInRead += 1
                stats.storageErrors.add(1)
                replies.writeString("put: storage error: \(error)\n")
                return nil
            }
        }
    }

    private func command(_ line: UnsafeRawBufferPointer, context: ChannelHandlerContext) {
        let text = String(decoding: line, as: UTF8.self)
        let word = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        // Replies follow every earlier put of the connection into the store.
        commit(context: context)
        switch word {
        case "":
            break  // a blank line; OpenTSDB would answer "unknown command", which only confuses netcat users
        case "version":
            replies.writeString("net.opentsdb.tools BuildData built at revision pharos-\(PharosVersion.string)\n")
            replies.writeString("Built by Pharos \(PharosVersion.string), OpenTSDB 2.4 compatible write and query API\n")
        case "help":
            replies.writeString("available commands: put version help stats dropcaches exit\n")
        case "stats":
            let now = Int64(time(nil))
            replies.writeString("tsd.datapoints.added \(now) \(stats.pointsAccepted.value) host=pharos type=all\n")
            replies.writeString("tsd.rpc.errors \(now) \(stats.pointsRejected.value) host=pharos type=put\n")
            replies.writeString("tsd.uid.cache-size \(now) \(store.seriesCount) host=pharos kind=series\n")
        case "dropcaches":
            cache.clear()
            replies.writeString("Caches dropped.\n")
        case "exit":
            closeAfterFlush = true
        default:
            replies.writeString("unknown command: \(word).  Try `help'.\n")
        }
    }

    /// Writes the batch to the store; on failure every point of it is answered with one error line.
    private func commit(context: ChannelHandlerContext) {
        stats.pointsRejected.add(rejectedInRead)
        rejectedInRead = 0
        guard !batch.isEmpty else { return }
        do {
            let sequence = try store.append(batch, scratch: &scratch)
            stats.pointsAccepted.add(Int64(batch.count))
            if store.options.fsync == .always { waitForSync(sequence, context: context) }
        } catch {
            stats.storageErrors.add(1)
            stats.pointsRejected.add(Int64(batch.count))
            replies.writeString("put: storage error: \(batch.count) points not stored: \(error)\n")
        }
        batch.removeAll()
    }

    /// With `--fsync always`, stops reading until the WAL sync covers what this connection wrote.
    private func waitForSync(_ sequence: UInt64, context: ChannelHandlerContext) {
        awaitingSync = true
        context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        store.whenDurable(sequence) { result in
            eventLoop.execute {
                let (handler, context) = loopBound.value
                handler.awaitingSync = false
                if case .failure(let error) = result {
                    handler.replies.writeString("put: storage error: the write-ahead log did not sync: \(error)\n")
                }
                handler.flushReplies(context: context)
                context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
            }
        }
    }

    private func flushReplies(context: ChannelHandlerContext) {
        guard !awaitingSync else { return }
        if replies.readableBytes > 0 {
            context.writeAndFlush(wrapOutboundOut(replies), promise: nil)
            replies = context.channel.allocator.buffer(capacity: 256)
        }
        if closeAfterFlush { context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
