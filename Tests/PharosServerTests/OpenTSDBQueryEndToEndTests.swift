import Foundation
import Testing

/// The OpenTSDB read API through the real daemon: data written with `/api/put`, read back with
/// `/api/query` (GET and POST), `/api/query/last`, `/api/aggregators`, `/api/config/filters`, and errors.
@Suite(.serialized)
struct OpenTSDBQueryEndToEndTests {
    static let T = 1_356_998_400

    /// Q2's series (offset integers) written over HTTP; series ids start at 0 in write order.
    static func daemonWithQ2() throws -> DaemonProcess {
        let daemon = try DaemonProcess()
        var points: [String] = []
        for (t, v) in [(10, 5), (30, 15), (50, 5)] {
            points.append(#"{"metric":"sys.cpu.user","timestamp":\#(T + t),"value":\#(v),"tags":{"host":"web01"}}"#)
        }
        for (t, v) in [(0, 10), (20, 20), (40, 10), (60, 20)] {
            points.append(#"{"metric":"sys.cpu.user","timestamp":\#(T + t),"value":\#(v),"tags":{"host":"web02"}}"#)
        }
        let put = try TestHTTP.post(daemon.httpPort, "/api/put", json: "[" + points.joined(separator: ",") + "]")
        #expect(put.status == 204)
        return daemon
    }

    @Test func getAndPostGiveOpenTSDBsNumbers() throws {
        let daemon = try Self.daemonWithQ2()
        let expected =
            #"[{"metric":"sys.cpu.user","tags":{},"aggregateTags":["host"],"dps":{"1356998400":10,"1356998410":20,"1356998420":30,"1356998430":30,"1356998440":20,"1356998450":20,"1356998460":20}}]"#
        let get = try TestHTTP.get(daemon.httpPort, "/api/query?start=\(Self.T)&end=\(Self.T + 3600)&m=sum:sys.cpu.user")
        #expect(get.status == 200)
        #expect(get.text == expected)
        let post = try TestHTTP.post(
            daemon.httpPort, "/api/query",
            json: #"{"start":\#(Self.T),"end":\#(Self.T + 3600),"queries":[{"aggregator":"sum","metric":"sys.cpu.user"}]}"#)
        #expect(post.text == expected)
        let grouped = try TestHTTP.get(
            daemon.httpPort, "/api/query?start=\(Self.T)&end=\(Self.T + 60)&m=zimsum:30s-sum-zero:sys.cpu.user%7Bhost=*%7D&arrays")
        #expect(
            grouped.text
                == #"[{"metric":"sys.cpu.user","tags":{"host":"web01"},"aggregateTags":[],"dps":[[1356998400,5.0],[1356998430,20.0],[1356998460,0.0]]},"#
                + #"{"metric":"sys.cpu.user","tags":{"host":"web02"},"aggregateTags":[],"dps":[[1356998400,30.0],[1356998430,10.0],[1356998460,20.0]]}]"#
        )
    }

    @Test func filtersRatesAndSwitchesOverHTTP() throws {
        let daemon = try Self.daemonWithQ2()
        let body = #"""
            {"start":\#(Self.T),"end":\#(Self.T + 3600),"msResolution":true,"showTSUIDs":true,"queries":[{"aggregator":"sum","metric":"sys.cpu.user",
             "rate":true,"rateOptions":{"counter":true,"counterMax":100,"resetValue":0},
             "filters":[{"type":"iliteral_or","tagk":"host","filter":"WEB01","groupBy":true}]}]}
            """#
        let result = try TestHTTP.post(daemon.httpPort, "/api/query", json: body)
        #expect(
            result.text
                == #"[{"metric":"sys.cpu.user","tags":{"host":"web01"},"aggregateTags":[],"tsuids":["000000000000"],"dps":{"1356998430000":0.5,"1356998450000":4.5}}]"#
        )
    }

    @Test func errorsAreOpenTSDBBodies() throws {
        let daemon = try Self.daemonWithQ2()
        let missing = try TestHTTP.get(daemon.httpPort, "/api/query?start=1h-ago&m=sum:nope")
        #expect(missing.status == 400)
        #expect(missing.text == #"{"error":{"code":400,"message":"No such name for 'metrics': 'nope'"}}"#)
        let badAgg = try TestHTTP.get(daemon.httpPort, "/api/query?start=1h-ago&m=bogus:sys.cpu.user")
        #expect(badAgg.text == #"{"error":{"code":400,"message":"No such aggregation function: bogus"}}"#)
        let badTime = try TestHTTP.get(daemon.httpPort, "/api/query?start=yesterday&m=sum:sys.cpu.user")
        #expect(badTime.status == 400)
        #expect(badTime.text.contains("Invalid time: yesterday"))
        let badJSON = try TestHTTP.post(daemon.httpPort, "/api/query", json: "{")
        #expect(badJSON.text == #"{"error":{"code":400,"message":"Unable to parse the given JSON"}}"#)
        let badFilter = try TestHTTP.get(daemon.httpPort, "/api/query?start=1h-ago&m=sum:sys.cpu.user%7Bhost=nofilter(x)%7D")
        #expect(badFilter.text == #"{"error":{"code":400,"message":"Could not find a filter plugin of type: nofilter"}}"#)
    }

    @Test func lastAggregatorsAndFilters() throws {
        let daemon = try Self.daemonWithQ2()
        let last = try TestHTTP.get(daemon.httpPort, "/api/query/last?timeseries=sys.cpu.user%7Bhost=web02%7D&resolve")
        #expect(
            last.text
                == #"[{"timestamp":1356998460000,"value":"20","tsuid":"000000000001","metric":"sys.cpu.user","tags":{"host":"web02"}}]"#)
        let posted = try TestHTTP.post(daemon.httpPort, "/api/query/last", json: #"{"queries":[{"tsuids":["000000000000"]}]}"#)
        #expect(posted.text == #"[{"timestamp":1356998450000,"value":"5","tsuid":"000000000000"}]"#)
        let aggregators = try TestHTTP.get(daemon.httpPort, "/api/aggregators")
        let names = try #require(aggregators.json as? [String])
        #expect(names.count == 35 && names.contains("zimsum") && names.contains("ep999r7") && names.contains("squareSum"))
        let filters = try #require(try TestHTTP.get(daemon.httpPort, "/api/config/filters").json as? [String: [String: String]])
        #expect(
            Set(filters.keys) == [
                "literal_or", "iliteral_or", "not_literal_or", "not_iliteral_or", "wildcard", "iwildcard", "regexp", "not_key",
            ])
        #expect(filters["regexp"]?["examples"]?.contains("regexp(") == true)
    }
}
