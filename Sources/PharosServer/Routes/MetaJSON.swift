import Foundation
import NIOCore

/// Reading the JSON bodies of the meta endpoints the way OpenTSDB's Jackson mapping accepts them.
///
/// Jackson coerces JSON numbers and booleans to strings for `String` fields and numeric strings to
/// numbers for `long`/`int` fields; these helpers do the same. Pure; thread-safe.
enum MetaJSON {
    /// The body as a JSON value; throws OpenTSDB's "Missing message content" for an empty body.
    static func parse(_ body: ByteBuffer) throws(MetaAPIError) -> Any {
        guard body.readableBytes > 0 else { throw MetaAPIError.missingContent }
        do {
            return try JSONSerialization.jsonObject(with: Data(body.readableBytesView), options: [.fragmentsAllowed])
        } catch {
            throw MetaAPIError("Unable to parse the given JSON", details: "the body is not valid JSON")
        }
    }

    /// A string field: nil for absent or null, numbers and booleans as their text.
    static func string(_ value: Any?, field: String) throws(MetaAPIError) -> String? {
        switch value {
        case nil, is NSNull: return nil
        case let text as String: return text
        case let number as NSNumber:
            if isBoolean(number) { return number.boolValue ? "true" : "false" }
            return number.stringValue
        default: throw MetaAPIError("Unable to parse the given JSON", details: "'\(field)' must be a string")
        }
    }

    /// An integer field: nil for absent or null; integral numbers or numeric strings.
    static func integer(_ value: Any?, field: String) throws(MetaAPIError) -> Int64? {
        switch value {
        case nil, is NSNull: return nil
        case let text as String:
            guard let parsed = Int64(text) else {
                throw MetaAPIError("Unable to parse the given JSON", details: "'\(field)' must be an integer")
            }
            return parsed
        case let number as NSNumber where !isBoolean(number):
            let double = number.doubleValue
            guard double == double.rounded(), abs(double) < 9.2e18 else {
                throw MetaAPIError("Unable to parse the given JSON", details: "'\(field)' must be an integer")
            }
            return number.int64Value
        default: throw MetaAPIError("Unable to parse the given JSON", details: "'\(field)' must be an integer")
        }
    }

    /// A boolean field: nil for absent or null; `true`/`false` or their text.
    static func bool(_ value: Any?, field: String) throws(MetaAPIError) -> Bool? {
        switch value {
        case nil, is NSNull: return nil
        case let number as NSNumber: return number.boolValue
        case let text as String where text == "true" || text == "false": return text == "true"
        default: throw MetaAPIError("Unable to parse the given JSON", details: "'\(field)' must be a boolean")
        }
    }

    /// JSON `true`/`false` (Foundation's boolean NSNumber subclass), as opposed to the numbers 1 and 0.
    static func isBoolean(_ number: NSNumber) -> Bool {
        type(of: number) == type(of: NSNumber(value: true))
    }

    /// `{"a":"b",…}` with string (or coercible) values; nil for absent or null.
    static func stringMap(_ value: Any?, field: String) throws(MetaAPIError) -> [String: String]? {
        switch value {
        case nil, is NSNull: return nil
        case let object as [String: Any]:
            var out: [String: String] = [:]
            for (key, item) in object {
                guard let text = try string(item, field: "\(field).\(key)") else {
                    throw MetaAPIError("Unable to parse the given JSON", details: "'\(field).\(key)' must be a string")
                }
                out[key] = text
            }
            return out
        default: throw MetaAPIError("Unable to parse the given JSON", details: "'\(field)' must be an object")
        }
    }
}
