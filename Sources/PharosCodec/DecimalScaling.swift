/// Finds one decimal exponent `e` for a chunk so that every value is exactly `Double(m) / 10^e`.
///
/// "Exactly" means bit for bit: the decoder computes `Double(m) / 10^e` (a single correctly rounded
/// division of two exact doubles), so the encoder checks that very expression. Values that scale to the
/// same real number at a larger exponent give the same double, so one common exponent (the largest any
/// value needs) works for all, as long as every mantissa stays below 2^53. -0.0, NaN, infinities and
/// values with ~17 significant digits have no such form; their chunks use ``ChunkEncoding/xorFloat``.
enum DecimalScaling {
    /// 10^0 … 10^18, all exactly representable.
    static let powersOfTen: [Double] = {
        var powers: [Double] = [1]
        for _ in 0..<ChunkFormat.maxDecimalExponent { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// The mantissa of `value` at `power` = 10^e, if `Double(m) / power` reproduces `value` bit for bit.
    @inline(__always)
    static func mantissa(_ value: Double, power: Double) -> Int64? {
        let scaled = value * power
        guard scaled.magnitude < 9_007_199_254_740_992.0 else { return nil }  // 2^53; false for NaN
        let m = Int64(scaled.rounded())
        guard (Double(m) / power).bitPattern == value.bitPattern else { return nil }
        return m
    }

    /// Writes the mantissas of `values` at the smallest common exponent into `mantissas` and returns that
    /// exponent, or returns nil if the values have no common exact decimal form.
    static func scale(_ values: UnsafeBufferPointer<Double>, into mantissas: UnsafeMutableBufferPointer<Int64>) -> Int? {
        powersOfTen.withUnsafeBufferPointer { powers in
            // One pass at a running exponent; values before its last increase are redone at the final one.
            var exponent = 0
            var redoBelow = 0
            for index in 0..<values.count {
                let value = values[index]
                var m = mantissa(value, power: powers[exponent])
                while m == nil {
                    exponent += 1
                    if exponent > ChunkFormat.maxDecimalExponent { return nil }
                    m = mantissa(value, power: powers[exponent])
                    redoBelow = index
                }
                mantissas[index] = m.unsafelyUnwrapped
            }
            let power = powers[exponent]
            for index in 0..<redoBelow {
                guard let m = mantissa(values[index], power: power) else { return nil }
                mantissas[index] = m
            }
            return exponent
        }
    }
}
