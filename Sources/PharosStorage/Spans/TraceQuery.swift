import Foundation

/// A Zipkin `/api/v2/traces` search: every condition must be met by spans of `serviceName` (when given),
/// the trace must overlap `[endTsUs − lookbackUs, endTsUs]`, and at most `limit` traces come back, newest first.
public struct TraceQuery: Sendable, Equatable {
    public var serviceName: String?
    public var remoteServiceName: String?
    public var spanName: String?
    /// `annotationQuery` terms: a bare term matches an annotation value or a tag key; `key=value` a tag.
    public var annotations: [String] = []
    public var tags: [String: String] = [:]
    public var minDurationUs: Int64?
    public var maxDurationUs: Int64?
    public var endTsUs: Int64
    public var lookbackUs: Int64
    public var limit: Int

    public init(endTsUs: Int64, lookbackUs: Int64, limit: Int = 10) {
        self.endTsUs = endTsUs
        self.lookbackUs = lookbackUs
        self.limit = limit
    }

    /// Zipkin's `annotationQuery` grammar: terms split on `" and "`; `key=value` (split at the first `=`,
    /// both trimmed) is a tag, anything else a bare term; a tag term replaces a bare term of the same key
    /// and later tag terms win.
    public mutating func parseAnnotationQuery(_ text: String) {
        var bare: [String] = []
        for term in text.components(separatedBy: " and ") {
            if let eq = term.firstIndex(of: "=") {
                let key = term[..<eq].trimmingCharacters(in: .whitespaces)
                tags[key] = term[term.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            } else {
                let trimmed = term.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { bare.append(trimmed) }
            }
        }
        annotations = bare.filter { tags[$0] == nil }
    }
}
