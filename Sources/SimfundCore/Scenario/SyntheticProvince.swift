import Foundation
import SimfundStochastics

/// A made-up province of any size, for benchmarks and scaling studies
/// (`simfund synthesize`). District sizes and money vary the way a real
/// province's do; every number is invented. Deterministic for given arguments.
public enum SyntheticProvince {
    /// The scenario as JSON text (`"simfund": 1`).
    public static func json(districts n: Int, years: Int = 10, replicates: Int = 1000, seed: UInt64 = 80) -> String {
        var stream = RandomStream(seed: seed, key: StreamKey(replicate: 0, year: 0, unit: 0, purpose: .parameter))
        func integer(_ lo: Int, _ hi: Int) -> Int { lo + Int(stream.uniform() * Double(hi - lo + 1)) }
        var districts: [JSONOutput] = []
        for i in 0..<n {
            let population = Int(stream.lognormal(zeta: 12.9, sigma: 0.5))   // median ≈ 400,000
            let streets = integer(0, 8), towns = integer(8, 25)
            let urban = streets * integer(5, 15), rural = towns * integer(8, 20)
            func int(_ x: Int) -> JSONOutput { .integer(Int64(x)) }
            districts.append(.object([
                ("name", .string(String(format: "County %04d", i + 1))),
                ("population", int(population)),
                ("townships", .object([("streets", int(streets)), ("towns", int(towns))])),
                ("communities", .object([("urban", int(urban)), ("rural", int(rural))])),
                ("stations", .object([("streets", int(integer(0, streets))), ("towns", int(integer(0, towns / 2)))])),
                ("rooms", .object([("urban", int(integer(0, urban / 4))), ("rural", int(integer(0, rural / 10)))])),
                ("workforce", .object([("uncertified", int(population / 300)), ("junior", int(population / 3000)),
                                       ("intermediate", int(population / 10000)), ("senior", int(population / 100_000))])),
                ("agencies", int(integer(1, 6))),
                ("reliefFunds", .number((Double(population) * (120 + 80 * stream.uniform()) / 1000).rounded() * 1000)),
            ]))
        }
        let text = """
        {
          "simfund": 1,
          "name": "Synthetic province of \(n) districts",
          "description": "Made-up figures for benchmarks and scaling studies (simfund synthesize \(n)); not a real place.",
          "startYear": 2025, "years": \(years), "replicates": \(replicates), "seed": \(seed),
          "districts": \(JSONOutput.array(districts).render(indent: 1)),
          "budget": {"reliefShare": 0.01, "reliefGrowth": {"dist": "normal", "mean": 0.03, "sd": 0.02},
                     "fiscal": [{"name": "provincial purchase", "amount": \(200_000 * n), "allocate": "uncovered"},
                                {"name": "county lines", "amount": \(1_000_000 * n), "allocate": "population"}],
                     "lottery": {"dist": "lognormal", "median": \(50_000 * n), "sigma": 0.3},
                     "donations": {"dist": "gamma", "shape": 2, "scale": \(20_000 * n)}, "carryOver": true},
          "costs": {"stationContract": {"street": 200000, "town": 150000}, "roomContract": {"urban": 60000, "rural": 40000},
                    "stationBuild": 50000, "roomBuild": 20000, "priceFactor": {"dist": "lognormal", "median": 1.0, "sigma": 0.08}},
          "staffing": {"street": 2, "town": 1, "urbanRoom": 2, "ruralRoom": 1, "stationShare": 0.3},
          "subsidies": {"junior": 80, "intermediate": 150, "senior": 200},
          "awards": {"pool": 900000, "count": 16, "amount": {"dist": "uniform", "min": 50000, "max": 60000}},
          "training": {"share": 0.05, "costPerTrainee": 2000, "passBoost": 0.5},
          "workforce": {"graduates": {"dist": "poisson", "mean": \(50 * n)}, "entryRate": 0.4,
                        "examTakeRate": {"junior": 0.3, "intermediate": 0.15, "senior": 0.03},
                        "passRate": {"junior": {"dist": "beta", "alpha": 6, "beta": 14}, "intermediate": 0.2, "senior": 0.1},
                        "attrition": {"uncertified": 0.12, "junior": 0.08, "intermediate": 0.05, "senior": 0.03},
                        "referenceWage": 60000, "subsidyElasticity": 1.0, "awardElasticity": 2.0},
          "procurement": {"contractsPerAgency": 8, "failureRate": {"dist": "beta", "alpha": 2, "beta": 60},
                          "agencyEntryPer10M": 1.0, "agencyExitRate": 0.05, "maxNewUnitsPerYear": 40},
          "targets": [{"metric": "townshipCoverage", "year": \(2025 + years - 1), "atLeast": 0.9}]
        }

        """
        return text
    }
}
