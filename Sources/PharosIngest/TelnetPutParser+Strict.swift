public import PharosCore

extension TelnetPutParser {
    /// Parses one `put` line exactly as OpenTSDB 2.4 does, returning the point or OpenTSDB's error.
    ///
    /// Order of checks (`PutDataPointRpc.importDataPoint`, then `TSDB.addPoint*`):
    /// word count; empty metric; timestamp (dots removed, `Tags.parseLong`); `<= 0`; empty value; each
    /// non-empty tag word (`Tags.parse`: shape, duplicates); value number; NaN/Infinite; millisecond
    /// range; tag count; metric name; tag names and values. Names are decoded as UTF-8 (OpenTSDB reads
    /// telnet as ISO-8859-1); invalid UTF-8 becomes U+FFFD and is reported as an illegal character.
    public static func parseStrict(
        _ line: UnsafeRawBufferPointer, limits: PutLimits
    ) -> Result<(SeriesKey, DataPoint), PutError> {
        var words: [Range<Int>] = []
        var start = 0
        for index in 0..<line.count where line[index] == 0x20 {
            words.append(start..<index)
            start = index + 1
        }
        words.append(start..<line.count)
        let word = { (k: Int) in UnsafeRawBufferPointer(rebasing: line[words[k]]) }

        guard word(0).elementsEqual("put".utf8) else {
            return .failure(PutError(kind: .unknownCommand, message: decode(word(0)).text))
        }
        guard words.count >= 5 else {
            return .failure(.illegal("not enough arguments (need least 4, got \(words.count - 1))"))
        }
        guard !words[1].isEmpty else { return .failure(.illegal("empty metric name")) }
        let metric = decode(word(1))

        let timestampResult: Result<Int64, NumberFormatFailure>
        if word(2).contains(UInt8(ascii: ".")) {
            let undotted = word(2).filter { $0 != UInt8(ascii: ".") }
            timestampResult = undotted.withUnsafeBytes { JavaLong.parse($0) }
        } else {
            timestampResult = JavaLong.parse(word(2))
        }
        let timestamp: Int64
        switch timestampResult {
        case .success(let value): timestamp = value
        case .failure(let failure): return .failure(.invalid(failure.message))
        }
        guard timestamp > 0 else { return .failure(.illegal("invalid timestamp: \(timestamp)")) }
        guard !words[3].isEmpty else { return .failure(.illegal("empty value")) }

        var tags = JavaTagMap()
        for k in 4..<words.count where !words[k].isEmpty {
            if let error = parseTag(word(k), into: &tags) { return .failure(error) }
        }

        let typed: PointChecks.TypedValue
        switch PointChecks.typedValue(word(3)) {
        case .success(let value): typed = value
        case .failure(let failure): return .failure(.invalid(failure.message))
        }
        if let error = PointChecks.checkFinite(typed, metric: metric.text, timestamp: timestamp) {
            return .failure(error)
        }
        if let error = PointChecks.checkTimestamp(timestamp, value: typed, metric: metric.text, tags: tags) {
            return .failure(error)
        }
        if let error = PointChecks.checkMetricAndTags(
            metric: metric.text, metricHadInvalidUTF8: metric.invalid, tags: tags, limits: limits)
        {
            return .failure(error)
        }
        let key = PointChecks.seriesKey(metric: metric.text, tags: tags)
        return .success((key, DataPoint(timestampMs: PointChecks.milliseconds(timestamp), value: typed.pharosValue)))
    }

    /// `Tags.parse`: exactly one `=` with both sides non-empty; same key twice must repeat the value.
    private static func parseTag(_ word: UnsafeRawBufferPointer, into tags: inout JavaTagMap) -> PutError? {
        var equals: [Int] = []
        for index in 0..<word.count where word[index] == UInt8(ascii: "=") { equals.append(index) }
        guard equals.count == 1, equals[0] > 0, equals[0] < word.count - 1 else {
            return .illegal("invalid tag: \(decode(word).text)")
        }
        let key = decode(UnsafeRawBufferPointer(rebasing: word[..<equals[0]]))
        let value = decode(UnsafeRawBufferPointer(rebasing: word[(equals[0] + 1)...]))
        switch tags.value(forKey: key.text) {
        case .some(let existing) where existing == value.text:
            return nil
        case .some:
            return .illegal("duplicate tag: \(decode(word).text), tags=\(tags.javaDescription)")
        case .none:
            tags.put(
                JavaTagMap.Entry(
                    key: key.text, value: value.text, keyHadInvalidUTF8: key.invalid, valueHadInvalidUTF8: value.invalid))
            return nil
        }
    }

    /// UTF-8 decoding that never fails: invalid sequences become U+FFFD and are flagged.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> (text: String, invalid: Bool) {
        if let text = String(validating: bytes, as: UTF8.self) { return (text, false) }
        return (String(decoding: bytes, as: UTF8.self), true)
    }
}
