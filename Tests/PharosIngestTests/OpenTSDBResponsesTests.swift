import PharosIngest
import Testing

@Suite struct OpenTSDBResponsesTests {
    @Test func summaryAndDetails() {
        #expect(String(decoding: OpenTSDBResponses.summary(success: 3, failed: 1), as: UTF8.self) == #"{"success":3,"failed":1}"#)
        let details = OpenTSDBResponses.details(
            success: 1, failed: 1,
            errors: [.init(datapoint: #"{"metric":"m","timestamp":1,"value":"x","tags":{"k":"v"}}"#, error: "Unable to parse value to a number")])
        #expect(
            String(decoding: details, as: UTF8.self)
                == #"{"success":1,"failed":1,"errors":[{"datapoint":{"metric":"m","timestamp":1,"value":"x","tags":{"k":"v"}},"error":"Unable to parse value to a number"}]}"#
        )
        #expect(String(decoding: OpenTSDBResponses.details(success: 2, failed: 0, errors: []), as: UTF8.self) == #"{"success":2,"failed":0,"errors":[]}"#)
    }

    @Test func errorJSON() {
        let body = OpenTSDBResponses.error(
            code: 400, message: OpenTSDBResponses.pointsHadErrors, details: OpenTSDBResponses.pointsHadErrorsDetails)
        #expect(
            String(decoding: body, as: UTF8.self)
                == #"{"error":{"code":400,"message":"One or more data points had errors","details":"Please see the TSD logs or append \"details\" to the put request"}}"#
        )
        #expect(String(decoding: OpenTSDBResponses.error(code: 400, message: "x"), as: UTF8.self) == #"{"error":{"code":400,"message":"x"}}"#)
    }

    @Test(arguments: [
        ("plain", #""plain""#), ("q\"b\\s/", #""q\"b\\s/""#), ("\n\t\r\u{08}\u{0C}", #""\n\t\r\b\f""#), ("\u{01}\u{1F}", #""\u0001\u001F""#),
        ("é😀", "\"é😀\""),
    ])
    func escaping(text: String, json: String) {
        #expect(OpenTSDBResponses.jsonString(text) == json)
    }
}
