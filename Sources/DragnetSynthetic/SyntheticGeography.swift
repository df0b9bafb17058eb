import DragnetCore

/// The units of a synthetic data set: for each province asked for, 20 to 60 commune stations with 5-digit codes
/// shaped like the statistics office's (`79.26734`), each with a weight for how many cases it gets.
///
/// The communes are not the real list: codes start near the real ones of the province and step by 3, as real codes
/// often do. They depend only on the seed and the province code, so both files of one seed name the same units.
struct SyntheticGeography: Sendable {
    /// One province asked for.
    struct Province: Sendable {
        /// The province unit, e.g. `79`.
        let unit: UnitCode
        /// The 2-digit code, used for national ids; a known province's when the unit code is not one.
        let idCode: String
        /// 0 north, 1 centre and highlands, 2 south.
        let region: Int
        /// Its communes, by weight.
        let communes: WeightedTable<UnitCode>
    }

    /// The provinces of 2025 with the first commune code of their range and a weight for their share of cases.
    static let known: [(code: String, firstCommune: Int, weight: Double)] = [
        ("01", 4, 8.5), ("04", 1273, 0.6), ("08", 2215, 1), ("11", 3127, 0.6), ("12", 3388, 0.5), ("14", 3646, 1),
        ("15", 2644, 1), ("19", 5443, 1.2), ("20", 6040, 0.8), ("22", 6652, 1.3), ("24", 7210, 2), ("25", 7900, 2),
        ("31", 11293, 4), ("33", 11950, 1.8), ("37", 14308, 1.8), ("38", 14755, 2.2), ("40", 16681, 2.2),
        ("42", 18070, 0.9), ("44", 19189, 1), ("46", 19813, 0.8), ("48", 20194, 3), ("51", 21025, 1.2),
        ("52", 21550, 1.6), ("56", 22333, 1.4), ("66", 24121, 1.7), ("68", 24778, 2.2), ("75", 26041, 4),
        ("79", 26734, 10), ("80", 27694, 2), ("82", 28225, 2), ("86", 29242, 1.8), ("91", 30280, 2.6),
        ("92", 31117, 3), ("96", 32002, 1.2),
    ]

    /// The provinces asked for, by weight.
    let provinces: WeightedTable<Province>

    /// The units of `provinces` (each a province unit such as `79`) for `seed`.
    init(seed: UInt64, provinces: [UnitCode]) {
        self.provinces = WeightedTable(
            provinces.map { unit in
                let entry = Self.known.first { $0.code == unit.rawValue }
                var random = SyntheticRandom(
                    seed: seed, stream: SyntheticRandom.stream(named: "communes " + unit.rawValue))
                let first = entry?.firstCommune ?? 1000 + Int(SyntheticRandom.stream(named: unit.rawValue) % 30_000)
                var slots = Array(0..<200)
                var communes: [(UnitCode, Double)] = []
                for _ in 0..<random.int(in: 20...60) {
                    let slot = slots.remove(at: random.below(slots.count))
                    let code = String(first + 3 * slot)
                    let padded = String(repeating: "0", count: max(0, 5 - code.count)) + code
                    guard let commune = UnitCode(unit.rawValue + "." + padded) else { continue }
                    communes.append((commune, 0.3 + 2.7 * random.unit()))
                }
                if communes.isEmpty { communes = [(unit, 1)] }  // a province code too long to have communes below it
                let idCode = entry?.code ?? Self.known[random.below(Self.known.count)].code
                let province = Province(
                    unit: unit, idCode: idCode, region: Self.region(ofCode: idCode), communes: WeightedTable(communes))
                return (province, entry?.weight ?? 1.5)
            })
    }

    /// 0 north, 1 centre and highlands, 2 south, from a 2-digit province code.
    static func region(ofCode code: String) -> Int {
        let number = Int(code) ?? 0
        return number < 40 ? 0 : number < 75 ? 1 : 2
    }

    /// A commune of any known province but `province` (where a fugitive from elsewhere is caught).
    func communeElsewhere(than province: Province, _ random: inout SyntheticRandom) -> UnitCode {
        let count = Self.known.count
        var index = random.below(count)
        if Self.known[index].code == province.unit.rawValue { index = (index + 1 + random.below(count - 1)) % count }
        let entry = Self.known[index]
        let code = String(entry.firstCommune + 3 * random.below(200))
        return UnitCode(entry.code + "." + String(repeating: "0", count: max(0, 5 - code.count)) + code)
            ?? province.unit
    }
}
