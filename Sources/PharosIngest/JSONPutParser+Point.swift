import PharosCore

extension JSONPutParser {
    /// Runs OpenTSDB's per-point checks on the fields of one point, in OpenTSDB's order.
    static func finish(_ fields: Fields, reader: JSONReader, limits: PutLimits) -> JSONPutItem {
        func fail(_ error: PutError) -> JSONPutItem {
            .failed(
                error,
                datapoint: OpenTSDBResponses.datapointJSON(
                    metric: fields.metric, timestamp: fields.timestamp, value: fields.valueText, tags: fields.tags,
                    tsuid: fields.tsuid))
        }
        guard let metric = fields.metric, !metric.isEmpty else { return fail(.illegal("Metric name was empty")) }
        guard fields.timestamp > 0 else { return fail(.illegal("Invalid timestamp")) }
        guard var valueText = fields.valueText, !valueText.isEmpty else { return fail(.illegal("Empty value")) }
        guard let tags = fields.tags, tags.count >= 1 else { return fail(.illegal("Missing tags")) }

        let typedResult: Result<PointChecks.TypedValue, NumberFormatFailure>
        if let range = fields.valueRange {
            typedResult = PointChecks.typedValue(UnsafeRawBufferPointer(rebasing: reader.bytes[range]))
        } else {
            typedResult = valueText.withUTF8 { PointChecks.typedValue(UnsafeRawBufferPointer($0)) }
        }
        guard case .success(let typed) = typedResult else {
            return fail(.invalid("Unable to parse value to a number"))
        }
        if let error = PointChecks.checkFinite(typed, metric: metric, timestamp: fields.timestamp) { return fail(error) }
        if let error = PointChecks.checkTimestamp(fields.timestamp, value: typed, metric: metric, tags: tags) {
            return fail(error)
        }
        var tagList: [Tag] = []
        tagList.reserveCapacity(tags.count)
        for entry in tags.entries {
            guard let value = entry.value else {
                // Only a JSON null gets here; OpenTSDB reports it in checkMetricAndTags' order.
                let error = PointChecks.checkMetricAndTags(metric: metric, tags: tags, limits: limits)
                return fail(error ?? .illegal("Invalid tag value with key [\(entry.key)]: null"))
            }
            tagList.append(Tag(key: entry.key, value: value))
        }
        return .point(
            JSONPut(
                metric: metric, tags: tagList, timestampMs: PointChecks.milliseconds(fields.timestamp),
                value: typed.pharosValue, rawMetric: fields.rawMetric, rawTags: fields.rawTags, timestamp: fields.timestamp,
                valueText: valueText, tsuid: fields.tsuid))
    }
}
