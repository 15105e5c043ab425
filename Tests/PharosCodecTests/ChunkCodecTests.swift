import PharosCore
import Testing

@testable import PharosCodec

/// Round-trips of ``ChunkEncoder``/``ChunkDecoder`` over seeded data shaped like every encoding's use case.
@Suite struct ChunkCodecTests {
    /// Encodes, checks the header, decodes after existing elements, and requires bit-exact equality.
    @discardableResult
    static func roundTrip(
        _ timestamps: [Int64], _ values: [Double], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (header: ChunkHeader, bytes: [UInt8]) {
        var writer = ByteWriter()
        writer.writeUInt8(0x5A)  // chunks append after existing bytes
        ChunkEncoder.encode(timestamps: timestamps, values: values, into: &writer)
        writer.writeBytes([0xDE, 0xAD])  // and a reader stops at the chunk's end
        let bytes = Array(writer.bytes.dropFirst())
        return try bytes.withUnsafeBytes { raw in
            let header = try ChunkDecoder.header(raw)
            #expect(header.count == timestamps.count, sourceLocation: sourceLocation)
            #expect(header.minTimestampMs == timestamps.first, sourceLocation: sourceLocation)
            #expect(header.maxTimestampMs == timestamps.last, sourceLocation: sourceLocation)
            #expect(header.byteLength == bytes.count - 2, sourceLocation: sourceLocation)
            #expect(try ChunkDecoder.chunkLength(raw) == header.byteLength, sourceLocation: sourceLocation)
            var decodedTimestamps: [Int64] = [-1]
            var decodedValues: [Double] = [-1]
            let used = try ChunkDecoder.decode(raw, timestamps: &decodedTimestamps, values: &decodedValues)
            #expect(used == header.byteLength, sourceLocation: sourceLocation)
            #expect(decodedTimestamps == [-1] + timestamps, sourceLocation: sourceLocation)
            #expect(decodedValues.map(\.bitPattern) == ([-1] + values).map(\.bitPattern), sourceLocation: sourceLocation)
            return (header, Array(bytes.dropLast(2)))
        }
    }

    static func regular(_ count: Int, start: Int64 = 1_699_920_000_000, step: Int64 = 10_000) -> [Int64] {
        (0..<count).map { start + Int64($0) * step }
    }

    @Test(arguments: [1, 2, 3, 127, 128, 129, 255, 256, 257, 720, 8191, 8192])
    func lengthsAroundBlockBoundaries(count: Int) throws {
        var random = SplitMix64(seed: UInt64(count))
        var level = 5_000.0
        let values = (0..<count).map { _ in
            level += Double(Int.random(in: -300...300, using: &random))
            return level / 100
        }
        let result = try Self.roundTrip(Self.regular(count), values)
        #expect(result.header.timestampEncoding == .deltaConst)
        #expect(result.header.valueEncoding == (count == 1 ? .constant : .decimal))
    }

    @Test(arguments: 1...6)
    func decimalsWithPlaces(places: Int) throws {
        var random = SplitMix64(seed: UInt64(100 + places))
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let values = (0..<1000).map { _ in Double(Int64.random(in: -9_999_999...9_999_999, using: &random)) / scale }
        let result = try Self.roundTrip(Self.regular(1000), values)
        #expect(result.header.valueEncoding == .decimal)
    }

    @Test func countersGaugesAndMultiplesOf4096() throws {
        var random = SplitMix64(seed: 3)
        var counter = 1_234_567_890_123.0
        let counters = (0..<720).map { _ in
            counter += Double(Int.random(in: 100_000...200_000, using: &random))
            return counter
        }
        let counterChunk = try Self.roundTrip(Self.regular(720), counters)
        #expect(counterChunk.bytes.count < 720 * 3)

        var memory = 8_589_934_592.0
        let pages = (0..<720).map { _ in
            memory += Double(Int.random(in: -50...50, using: &random) * 4096)
            return memory
        }
        let pageChunk = try Self.roundTrip(Self.regular(720), pages)
        #expect(pageChunk.bytes.count < 720)  // GCD 4096 leaves ~7-bit deltas

        var disk = 40_960_000.0
        let sparse = (0..<720).map { _ in
            if Double.random(in: 0..<1, using: &random) < 0.3 { disk += Double(Int.random(in: 1...60, using: &random) * 4096) }
            return disk
        }
        let sparseChunk = try Self.roundTrip(Self.regular(720), sparse)
        #expect(sparseChunk.bytes.count < 720 / 2)
    }

    @Test func constantsAreTiny() throws {
        for value in [0.0, 1.0, -0.0, Double.nan, Double.infinity, 1.0e300, .leastNonzeroMagnitude] {
            let result = try Self.roundTrip(Self.regular(8192), [Double](repeating: value, count: 8192))
            #expect(result.header.valueEncoding == .constant)
            #expect(result.bytes.count < 32)
        }
    }

    @Test func nonDecimalValuesFallBackToXORExactly() throws {
        var random = SplitMix64(seed: 5)
        let seventeenDigits = (0..<500).map { _ in Double.random(in: 0..<1, using: &random) }
        #expect(try Self.roundTrip(Self.regular(500), seventeenDigits).header.valueEncoding == .xorFloat)

        let nanPayloads = [1.5, Double(bitPattern: 0x7FF8_0000_0000_0001), Double(bitPattern: 0xFFF4_0000_DEAD_BEEF), 2.5, -Double.nan]
        #expect(try Self.roundTrip(Self.regular(5), nanPayloads).header.valueEncoding == .xorFloat)

        let specials = [0.0, -0.0, .infinity, -.infinity, Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
                        -.greatestFiniteMagnitude, Double(bitPattern: 0x0000_1234_5678_9ABC), 3.0]
        #expect(try Self.roundTrip(Self.regular(specials.count), specials).header.valueEncoding == .xorFloat)

        let negativeZeroAmongIntegers = [1.0, 2.0, -0.0, 4.0]
        #expect(try Self.roundTrip(Self.regular(4), negativeZeroAmongIntegers).header.valueEncoding == .xorFloat)

        let beyond2to53 = [9_007_199_254_740_994.0, 1e20, 3.0]
        #expect(try Self.roundTrip(Self.regular(3), beyond2to53).header.valueEncoding == .xorFloat)
    }

    @Test func largeMagnitudeIntegersAndNegativesStayDecimal() throws {
        let values: [Double] = [-9_007_199_254_740_991, 9_007_199_254_740_991, 0, -1, 1e15, -123]
        #expect(try Self.roundTrip(Self.regular(values.count), values).header.valueEncoding == .decimal)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func irregularTimestamps(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var now: Int64 = 1_699_920_000_000
        let count = 2000
        var timestamps: [Int64] = []
        for _ in 0..<count {
            switch seed {
            case 1: now += 10_000 + Int64.random(in: -30...30, using: &random)  // jittered scrape
            case 2: now += Int64.random(in: 1...5, using: &random) * 1000  // whole seconds
            case 3: now += Bool.random(using: &random) ? 1 : Int64.random(in: 1...(1 << 40), using: &random)  // huge gaps
            default: now += Int64.random(in: 1...1_000_000, using: &random)
            }
            timestamps.append(now)
        }
        let values = (0..<count).map { Double($0 % 17) }
        let result = try Self.roundTrip(timestamps, values)
        #expect(result.header.timestampEncoding == .packed)
    }

    @Test func timestampExtremes() throws {
        let limit: Int64 = 1 << 62
        try Self.roundTrip([-limit], [1])
        try Self.roundTrip([-limit, limit], [1, 2])
        try Self.roundTrip([-limit, 0, limit - 1], [1, 2, 3])
        try Self.roundTrip([-limit, -limit + 1, limit], [1, 2, 3])
        try Self.roundTrip([Int64.min, Int64.max], [0.5, 0.25])
        try Self.roundTrip([Int64.min, -1, 0, Int64.max], [0.5, 0.25, 1, 2])
        try Self.roundTrip(Self.regular(8192, start: limit - 8192 * 1000, step: 1000), [Double](repeating: 1, count: 8192))
    }

    @Test(arguments: [UInt64(10), 11, 12, 13, 14, 15, 16, 17])
    func seededMixedSeries(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let count = Int.random(in: 1...ChunkEncoder.maxPoints, using: &random)
        var now = Int64.random(in: -(1 << 50)...(1 << 50), using: &random)
        var timestamps: [Int64] = []
        for _ in 0..<count {
            now += Int64.random(in: 1...100_000, using: &random)
            timestamps.append(now)
        }
        let places = Int.random(in: 0...6, using: &random)
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        var level = Int64.random(in: -1_000_000...1_000_000, using: &random)
        let values = (0..<count).map { _ in
            if Double.random(in: 0..<1, using: &random) < 0.5 { level += Int64.random(in: -1000...1000, using: &random) }
            return Double(level) / scale
        }
        try Self.roundTrip(timestamps, values)
    }

    @Test func consecutiveChunksDecodeBackToBack() throws {
        var writer = ByteWriter()
        ChunkEncoder.encode(timestamps: [1, 2, 3], values: [1.5, 2.5, 3.5], into: &writer)
        ChunkEncoder.encode(timestamps: [10, 20], values: [.pi, .nan], into: &writer)
        var timestamps: [Int64] = []
        var values: [Double] = []
        try writer.withUnsafeBytes { raw in
            let first = try ChunkDecoder.decode(raw, timestamps: &timestamps, values: &values)
            let second = try ChunkDecoder.decode(UnsafeRawBufferPointer(rebasing: raw[first...]), timestamps: &timestamps, values: &values)
            #expect(first + second == raw.count)
        }
        #expect(timestamps == [1, 2, 3, 10, 20])
        #expect(values.map(\.bitPattern) == [1.5, 2.5, 3.5, .pi, .nan].map(\.bitPattern))
    }
}
