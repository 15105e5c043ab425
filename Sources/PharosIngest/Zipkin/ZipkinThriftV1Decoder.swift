public import PharosCore

/// Decodes the body of `POST /api/v1/spans` with `Content-Type: application/x-thrift` — a TBinaryProtocol
/// `list<Span>` of zipkinCore.thrift v1 spans — into v2 `Span`s, as zipkin-server stores it.
///
/// Why a hand-written reader: old Finagle, Brave 3 and zipkin-go-opentracing reporters still send Thrift,
/// and going through `ZipkinV1Span` and `ZipkinV1SpanConverter` (the path JSON v1 takes) makes a Thrift
/// span and its JSON v1 twin store identically.
///
/// Reading follows `ThriftCodec.readList` and `V1ThriftSpanReader` (zipkin2.internal):
/// - the list header's element type is ignored, then an i32 count: 0 or negative is no spans; bytes after
///   the last span are ignored;
/// - a field is used only when both its id and its type match zipkinCore.thrift (Span: 1 trace_id i64,
///   3 name, 4 id, 5 parent_id, 6 annotations list, 8 binary_annotations list, 9 debug bool, 10 timestamp,
///   11 duration, 12 trace_id_high); anything else is skipped by its type (`ZipkinThriftReader.skip`);
/// - an annotation (1 timestamp, 2 value, 3 host) with timestamp 0 or no value is dropped;
/// - a binary annotation (1 key, 2 value, 3 annotation_type, 4 host) needs key and value; type 6 STRING
///   is a tag, type 0 BOOL with value `0x01` on `ca`/`sa`/`ma` with a non-empty host is an address, every
///   other type (BYTES, I16, I32, I64, DOUBLE) is dropped;
/// - an endpoint (1 ipv4 i32, 2 port i16, 3 service_name, 4 ipv6 bytes): ipv4 0 is unset, the port is
///   unsigned, ipv6 bytes go through `ZipkinIPText.address(bytes:)`, an endpoint with nothing known is nil;
/// - `traceId == 0` / `id == 0` are rejected (`V1Span`), then `ZipkinV1SpanConverter` makes the v2 spans.
///
/// Errors are `ThriftCodec.exceptionReading`'s: the cause then ` reading List<Span> from TBinary`, e.g.
/// `Truncated: length 8 > bytes available 3 reading List<Span> from TBinary`, `traceId == 0 reading …`,
/// and `Malformed reading …` where Zipkin throws `IllegalStateException` (see `ZipkinThriftReader` for the
/// few inputs where Pharos says `Malformed` and Zipkin fails in other ways). Pure; thread-safe.
public enum ZipkinThriftV1Decoder: ZipkinSpanDecoder {
    /// Appends the spans of a TBinaryProtocol `list<Span>` body to `spans` (`SpanBytesDecoder.THRIFT.decodeList`).
    public static func decode(_ body: UnsafeRawBufferPointer, into spans: inout [Span]) throws(ZipkinDecodingError) {
        try read(body, reading: "List<Span>") { (reader, index) throws(ZipkinThriftReader.Failure) in
            _ = try reader.byte()  // element type, ignored as Zipkin does
            let count = try reader.i32()
            index = 0
            while index < Int(count) {
                try reader.convert(try reader.v1Span(), into: &spans)
                index += 1
            }
        }
    }

    /// Appends the spans of one bare TBinaryProtocol `Span` struct to `spans` (`SpanBytesDecoder.THRIFT.decodeOne`,
    /// the single-message form Kafka and Scribe transports carry; the HTTP collector only takes lists).
    public static func decodeSpan(_ body: UnsafeRawBufferPointer, into spans: inout [Span]) throws(ZipkinDecodingError) {
        try read(body, reading: "Span") { (reader, index) throws(ZipkinThriftReader.Failure) in
            index = 0
            try reader.convert(try reader.v1Span(), into: &spans)
        }
    }

    /// Runs `decode` over a reader and turns its failure into Zipkin's message. `decode` sets `index` to the
    /// span being read (it stays -1 while a list header is read, reported as no span).
    static func read(
        _ body: UnsafeRawBufferPointer, reading what: String,
        _ decode: (inout ZipkinThriftReader, inout Int) throws(ZipkinThriftReader.Failure) -> Void
    ) throws(ZipkinDecodingError) {
        guard body.count > 0, let base = body.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var reader = ZipkinThriftReader(base: base, end: body.count)
        var index = -1
        do {
            try decode(&reader, &index)
        } catch {
            throw ZipkinDecodingError(
                message: error.message + " reading \(what) from TBinary", spanIndex: index >= 0 ? index : nil,
                byteOffset: reader.pos)
        }
    }
}

extension ZipkinThriftReader {
    /// `V1Span`'s checks, then `V1SpanConverter`.
    func convert(_ span: ZipkinV1Span, into spans: inout [Span]) throws(Failure) {
        var v1 = span
        do {
            try v1.validateAndSort()
            try ZipkinV1SpanConverter.convert(v1, into: &spans)
        } catch {
            throw Failure(message: error.message)
        }
    }

    /// `V1ThriftSpanReader.read`: one Span struct; a repeated field overwrites, repeated lists append.
    mutating func v1Span() throws(Failure) -> ZipkinV1Span {
        var s = ZipkinV1Span()
        while true {
            let f = try field()
            switch (f.type, f.id) {
            case (TType.stop, _): return s
            case (TType.i64, 12): s.traceIdHigh = UInt64(bitPattern: try i64())
            case (TType.i64, 1): s.traceIdLow = UInt64(bitPattern: try i64())
            case (TType.string, 3): s.name = try name()
            case (TType.i64, 4): s.id = UInt64(bitPattern: try i64())
            case (TType.i64, 5): s.parentId = UInt64(bitPattern: try i64())
            case (TType.list, 6):
                for _ in 0..<max(try listLength(), 0) { try annotation(into: &s) }
            case (TType.list, 8):
                for _ in 0..<max(try listLength(), 0) { try binaryAnnotation(into: &s) }
            case (TType.bool, 9): s.debug = try byte() == 1
            case (TType.i64, 10): s.timestampUs = try i64()
            case (TType.i64, 11): s.durationUs = try i64()
            default: try skip(f.type)
            }
        }
    }

    /// `ThriftCodec.readListLength`: the element type is ignored, the count is taken as sent. Each element
    /// then consumes at least its stop byte or throws, so a huge count fails at the body's end.
    mutating func listLength() throws(Failure) -> Int32 {
        _ = try byte()
        return try i32()
    }

    /// `V1ThriftSpanReader.AnnotationReader`.
    mutating func annotation(into s: inout ZipkinV1Span) throws(Failure) {
        var timestamp: Int64 = 0
        var value: String? = nil
        var host: Endpoint? = nil
        while true {
            let f = try field()
            switch (f.type, f.id) {
            case (TType.stop, _):
                guard timestamp != 0, let value else { return }
                s.annotations.append(.init(timestampUs: timestamp, value: value, endpoint: host))
                return
            case (TType.i64, 1): timestamp = try i64()
            case (TType.string, 2): value = try text()
            case (TType.struct, 3): host = try endpoint()
            default: try skip(f.type)
            }
        }
    }

    /// `V1ThriftSpanReader.BinaryAnnotationReader`.
    mutating func binaryAnnotation(into s: inout ZipkinV1Span) throws(Failure) {
        var key: String? = nil
        var value: (start: Int, count: Int)? = nil
        var host: Endpoint? = nil
        var isBool = false
        var isString = false
        while true {
            let f = try field()
            switch (f.type, f.id) {
            case (TType.stop, _):
                guard let key, let value else { return }
                if isString {
                    s.binaryAnnotations.append(.init(key: key, stringValue: strings.text(base + value.start, value.count), endpoint: host))
                } else if isBool, value.count == 1, base[value.start] == 1, let host, key == "ca" || key == "sa" || key == "ma" {
                    s.binaryAnnotations.append(.init(key: key, stringValue: nil, endpoint: host))
                }
                return
            case (TType.string, 1): key = try text()
            case (TType.string, 2): value = try bytes()
            case (TType.i32, 3):
                switch try i32() {
                case 0: isBool = true
                case 6: isString = true
                default: break
                }
            case (TType.struct, 4): host = try endpoint()
            default: try skip(f.type)
            }
        }
    }

    /// `ThriftEndpointCodec.read`, then `V1Span.Builder`'s "an empty endpoint is no endpoint".
    mutating func endpoint() throws(Failure) -> Endpoint? {
        var e = Endpoint()
        while true {
            let f = try field()
            switch (f.type, f.id) {
            case (TType.stop, _): return e.isEmpty ? nil : e
            case (TType.i32, 1):
                let v = try i32()
                if v != 0 { e.ipv4 = UInt32(bitPattern: v) }
            case (TType.i16, 2): e.port = UInt16(bitPattern: try i16())
            case (TType.string, 3): e.serviceName = try name()
            case (TType.string, 4):
                let (start, n) = try bytes()
                switch ZipkinIPText.address(bytes: UnsafeBufferPointer(start: base + start, count: n)) {
                case .v4(let v)?: e.ipv4 = v
                case .v6(let v)?: e.ipv6 = v
                case nil: break
                }
            default: try skip(f.type)
            }
        }
    }
}
