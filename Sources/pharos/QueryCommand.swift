import ArgumentParser
import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `pharos query 'sum:1m-avg:sys.cpu.user{host=*}' --start 1h-ago`: asks a running daemon's `/api/query`
/// and prints a table, or one sparkline per series with `--chart`.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query", abstract: "Run an OpenTSDB m= query against a running daemon and print the result.")

    @Argument(help: "An OpenTSDB sub-query, e.g. 'sum:1m-avg:rate:sys.cpu.user{host=*}'.")
    var expression: String
    @Option(help: "Start: relative (1h-ago), epoch seconds/ms, or yyyy/MM/dd-HH:mm:ss.")
    var start = "1h-ago"
    @Option(help: "End (default now).")
    var end: String?
    @Option(help: "The daemon's HTTP base URL.")
    var url = "http://127.0.0.1:9411"
    @Flag(help: "One Unicode sparkline per series instead of a table.")
    var chart = false

    func run() async throws {
        var components = URLComponents(string: url + "/api/query")
        var items = [URLQueryItem(name: "start", value: start), URLQueryItem(name: "m", value: expression)]
        if let end { items.append(URLQueryItem(name: "end", value: end)) }
        components?.queryItems = items
        // `+` would decode as a space; `{}` and `|` must be escaped for the daemon's parser.
        let encoded = components?.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        components?.percentEncodedQuery = encoded
        guard let requestURL = components?.url else { throw ValidationError("invalid --url \(url)") }
        let (data, response) = try await URLSession.shared.data(from: requestURL)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let json = try? JSONSerialization.jsonObject(with: data)
        guard status == 200, let series = json as? [[String: Any]] else {
            let message = ((json as? [String: Any])?["error"] as? [String: Any])?["message"] as? String
            let text = "query failed (HTTP \(status)): \(message ?? String(decoding: data, as: UTF8.self))\n"
            FileHandle.standardError.write(Data(text.utf8))
            throw ExitCode.failure
        }
        for entry in series where entry["metric"] != nil {
            let points = Self.points(entry["dps"])
            let title = Self.title(entry)
            if chart {
                print("\(title)  \(Self.sparkline(points.map(\.1)))")
            } else {
                print(title)
                for (t, v) in points {
                    let date = Date(timeIntervalSince1970: Double(t))
                    print("  \(date.formatted(.iso8601))  \(v.map { "\($0)" } ?? "NaN")")
                }
            }
        }
        if series.isEmpty { print("(no data)") }
    }

    static func title(_ entry: [String: Any]) -> String {
        let tags = (entry["tags"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return "\(entry["metric"] ?? "")" + "{" + tags.joined(separator: ",") + "}"
    }

    /// `dps` as sorted (seconds, value) pairs; NaN/null values are nil.
    static func points(_ dps: Any?) -> [(Int64, Double?)] {
        guard let map = dps as? [String: Any] else { return [] }
        return map.compactMap { key, value in Int64(key).map { ($0, (value as? NSNumber)?.doubleValue) } }.sorted { $0.0 < $1.0 }
    }

    /// ▁▂▃▄▅▆▇█ scaled between the series' min and max; gaps as spaces.
    static func sparkline(_ values: [Double?]) -> String {
        let bars = Array("▁▂▃▄▅▆▇█")
        let finite = values.compactMap { $0 }.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return "" }
        return String(
            values.map { value in
                guard let value, value.isFinite else { return " " }
                let scaled = high == low ? 0 : (value - low) / (high - low) * Double(bars.count - 1)
                return bars[Int(scaled.rounded())]
            })
    }
}
