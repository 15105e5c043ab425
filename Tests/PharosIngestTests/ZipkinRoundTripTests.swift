import PharosCore
import PharosIngest
import Testing

@Suite("Zipkin codecs round trip")
struct ZipkinRoundTripTests {
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func jsonV2(seed: UInt64) throws {
        let spans = randomZipkinSpans(count: 200, seed: seed)
        var bytes: [UInt8] = []
        ZipkinJSONV2Encoder.encode(spans, into: &bytes)
        #expect(try ZipkinJSONV2Decoder.decode(bytes) == spans)
    }

    @Test(arguments: [11, 12, 13] as [UInt64])
    func proto3(seed: UInt64) throws {
        let spans = randomZipkinSpans(count: 200, seed: seed)
        #expect(try ZipkinProto3Decoder.decode(ZipkinProto3TestEncoder.encode(spans)) == spans)
    }

    @Test func encoderIsAFixedPointOfDecodeEncode() throws {
        let first = zipkinJSON(randomZipkinSpans(count: 50, seed: 99))
        #expect(zipkinJSON(try zipkinV2(first)) == first)
    }
}
