import PharosCore
import PharosIngest
import Testing

/// Whenever the fast path answers, the strict path must accept the line with the same result.
@Suite struct FastStrictAgreementTests {
    static let fragments: [String] = [
        "a", "sys.cpu", "x-y_z/w", "0", "é", "!", "", " ", "=", ".", "-", "+", "1", "42", "-7", "0.5", "1e3", "NaN",
        "1364410924", "1364410924250", "4294967295", "4294967296", "99999999999999", "9223372036854775808", "1.",
        ".5", "00012", "host", "web01", "k=v", "k=", "=v", "k=v=w", "\r", "\t", "18446744073709551616", "0.1234567890123456789",
    ]

    static func randomLine(_ rng: inout SplitMix64) -> String {
        func pick() -> String { fragments[Int(rng.next() % UInt64(fragments.count))] }
        func name() -> String {
            let alphabet = Array("abcxyzABC019-_./")
            let special: [Character] = ["é", "!", "=", " ", "\r"]
            var s = ""
            for _ in 0..<(1 + Int(rng.next() % 6)) {
                s.append(rng.next() % 25 == 0 ? special[Int(rng.next() % 5)] : alphabet[Int(rng.next() % UInt64(alphabet.count))])
            }
            return s
        }
        func number() -> String {
            switch rng.next() % 6 {
            case 0: return String(rng.next() % 100)
            case 1: return String(Int64(bitPattern: rng.next()) % 10_000_000_000_000_00)
            case 2: return "\(rng.next() % 1000).\(rng.next() % 100_000)"
            case 3: return "-\(rng.next() % 1000).\(rng.next() % 10)"
            case 4: return String(1_000_000_000 + rng.next() % 4_000_000_000)
            default: return pick()
            }
        }
        var words = [rng.next() % 40 == 0 ? pick() : "put"]
        words.append(rng.next() % 10 == 0 ? pick() : name())
        words.append(rng.next() % 3 == 0 ? ["1364410924", "1364410924250", "4294967295", "4294967296", "1000000000000"][Int(rng.next() % 5)] : number())
        words.append(number())
        let tagCount = Int(rng.next() % 11)
        for _ in 0..<tagCount {
            words.append(rng.next() % 12 == 0 ? pick() : "\(name())=\(name())")
        }
        if rng.next() % 8 == 0 { words.append("") }
        return words.joined(separator: rng.next() % 30 == 0 ? "  " : " ")
    }

    @Test func fastAgreesWithStrictOnRandomLines() {
        var rng = SplitMix64(seed: 0x5EED_0001)
        var fastAnswered = 0
        for _ in 0..<20_000 {
            let line = Self.randomLine(&rng)
            let bytes = Array(line.utf8)
            guard let raw = bytes.withUnsafeBytes({ TelnetPutParser.parseFast($0) }) else { continue }
            fastAnswered += 1
            let key: SeriesKey
            let p: DataPoint
            switch strict(line) {
            case .failure(let error):
                // Only the series may be what strict parsing refuses; the number checks agreed.
                #expect(error.kind == .illegalArgument, "\(line): \(error.telnetLine)")
                let seriesErrors = ["invalid tag", "duplicate tag", "Need at least one tag", "Too many tags", "Invalid metric name",
                    "Invalid tag name", "Invalid tag value", "empty metric name"]
                #expect(seriesErrors.contains { error.message.hasPrefix($0) }, "\(line): \(error.telnetLine)")
                continue
            case .success(let result):
                (key, p) = result
            }
            #expect(String(decoding: bytes[raw.metric], as: UTF8.self) == key.metric, "\(line)")
            var tags: [String: String] = [:]
            for word in String(decoding: bytes[raw.tags], as: UTF8.self).split(separator: " ") {
                let parts = word.split(separator: "=", omittingEmptySubsequences: false)
                tags[String(parts[0])] = String(parts[1])
            }
            #expect(tags.map { PharosCore.Tag(key: $0.key, value: $0.value) }.sorted() == key.tags, "\(line)")
            #expect(raw.timestampMs == p.timestampMs, "\(line)")
            #expect(raw.value.bitPattern == p.value.bitPattern, "\(line)")
        }
        #expect(fastAnswered > 1_000)
    }

    @Test func fastAgreesOnRandomDecimals() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<20_000 {
            let digits = String(rng.next() % 10_000_000_000_000_000)
            let cut = Int(rng.next() % UInt64(digits.count + 1))
            var text = digits
            if cut < digits.count { text.insert(".", at: text.index(text.startIndex, offsetBy: max(cut, 1))) }
            if rng.next() % 2 == 0 { text = "-" + text }
            let line = "put m 1 \(text) k=v"
            guard let raw = fast(line) else { continue }
            guard case .success(let (_, p)) = strict(line) else {
                Issue.record("strict rejected \(line)")
                continue
            }
            #expect(raw.value.bitPattern == p.value.bitPattern, "\(line)")
            #expect(raw.value == Double(text), "\(line)")
        }
    }
}
