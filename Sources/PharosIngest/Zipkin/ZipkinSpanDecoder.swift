public import PharosCore

/// One of Zipkin's span-list encodings (JSON v2, JSON v1, proto3): the collector picks one per request.
public protocol ZipkinSpanDecoder {
    /// Appends the spans of `body` to `spans`; on error `spans` may hold the spans before the bad one.
    static func decode(_ body: UnsafeRawBufferPointer, into spans: inout [Span]) throws(ZipkinDecodingError)
}

extension ZipkinSpanDecoder {
    /// The spans of `body`.
    public static func decode(_ body: [UInt8]) throws(ZipkinDecodingError) -> [Span] {
        var spans: [Span] = []
        var failure: ZipkinDecodingError? = nil
        body.withUnsafeBytes { raw in
            do throws(ZipkinDecodingError) { try decode(raw, into: &spans) } catch { failure = error }
        }
        if let failure { throw failure }
        return spans
    }
}

extension ZipkinJSONReader {
    /// Runs `read` over a JSON body and turns its failure into Zipkin's message, with the bad span's index.
    static func decodeList(
        _ body: UnsafeRawBufferPointer, into spans: inout [Span],
        _ read: (inout ZipkinJSONReader, inout [Span]) throws(ZipkinJSONCursor.Failure) -> Void
    ) throws(ZipkinDecodingError) {
        guard body.count > 0 else { return }
        var reader = ZipkinJSONReader(body)
        do {
            try read(&reader, &spans)
        } catch {
            let index = reader.path.spanIndex >= 0 ? reader.path.spanIndex : nil
            throw ZipkinDecodingError(
                message: reader.path.message(error, reader.cursor), spanIndex: index, byteOffset: reader.cursor.pos)
        }
    }
}
