import PharosCore
import PharosIngest

func strict(_ line: String, maxTags: Int = 8) -> Result<(SeriesKey, DataPoint), PutError> {
    Array(line.utf8).withUnsafeBytes { TelnetPutParser.parseStrict($0, limits: PutLimits(maxTags: maxTags)) }
}

func strictBytes(_ bytes: [UInt8]) -> Result<(SeriesKey, DataPoint), PutError> {
    bytes.withUnsafeBytes { TelnetPutParser.parseStrict($0, limits: PutLimits()) }
}

func fast(_ line: String) -> RawPut? {
    Array(line.utf8).withUnsafeBytes { TelnetPutParser.parseFast($0) }
}

func telnetError(_ line: String, maxTags: Int = 8) -> String? {
    if case .failure(let error) = strict(line, maxTags: maxTags) { return error.telnetLine }
    return nil
}

func point(_ line: String) -> (SeriesKey, DataPoint)? {
    if case .success(let result) = strict(line) { return result }
    return nil
}

func parseJSON(_ body: String, maxTags: Int = 8) throws(PutBodyError) -> [JSONPutItem] {
    let bytes = Array(body.utf8)
    return try parseJSONBytes(bytes, maxTags: maxTags)
}

func parseJSONBytes(_ bytes: [UInt8], maxTags: Int = 8) throws(PutBodyError) -> [JSONPutItem] {
    var result: Result<[JSONPutItem], PutBodyError> = .success([])
    bytes.withUnsafeBytes { raw in
        do throws(PutBodyError) {
            result = .success(try JSONPutParser.parse(raw, limits: PutLimits(maxTags: maxTags)))
        } catch {
            result = .failure(error)
        }
    }
    return try result.get()
}

func bodyError(_ body: String) -> String? {
    do throws(PutBodyError) {
        _ = try parseJSON(body)
        return nil
    } catch {
        return error.message
    }
}
