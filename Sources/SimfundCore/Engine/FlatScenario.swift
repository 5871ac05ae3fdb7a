import Foundation

/// A compiled scenario as plain numbers, one record per line, for the C
/// reference implementation in Benchmarks/reference-c (which has no JSON
/// parser). Every parameter is listed with its distribution, resampling,
/// clamps and role, so the reference draws exactly what the engine draws.
///
///     simfund 1 districts D years Y seed S carry 0|1 parameters P fiscal F
///     parameter SLOT DIST A B C PER LOWER UPPER ROLE        (P lines)
///     fiscal ALLOCATION                                      (F lines)
///     district POP p0 p1 p2 p3 u0 u1 u2 u3 U J I S AGENCIES RELIEF   (D lines)
///     schedule SLOT START DIST A B C PER LOWER UPPER ROLE   (one per entry of a
///                        scheduled slot, in year order; START = first year index)
///
/// DIST: 0 fixed, 1 uniform, 2 triangular, 3 pert, 4 normal, 5 lognormal,
/// 6 beta, 7 gamma, 8 poisson. PER: 0 replicate, 1 year. LOWER/UPPER: nan
/// when absent. ROLE: 0 rate, 1 growth, 2 money, 3 count, 4 positive, 5 free.
/// ALLOCATION: 0 population, 1 equal, 2 uncovered, 3 need. Numbers are printed
/// exactly (hexadecimal floating point).
public enum FlatScenario {
    public static func render(_ scenario: Scenario, seed: UInt64) -> String {
        func hex(_ x: Double) -> String { x.isNaN ? "nan" : String(format: "%a", x) }
        var lines = ["simfund 1 districts \(scenario.districts.count) years \(scenario.years) seed \(seed) carry \(scenario.carryOver ? 1 : 0) "
                     + "parameters \(scenario.parameters.count) fiscal \(scenario.fiscal.count)"]
        func encode(_ parameter: Parameter) -> String {
            let (code, a, b, c): (Int, Double, Double, Double)
            switch parameter.distribution {
            case let .fixed(v): (code, a, b, c) = (0, v, 0, 0)
            case let .uniform(lo, hi): (code, a, b, c) = (1, lo, hi, 0)
            case let .triangular(lo, mode, hi): (code, a, b, c) = (2, lo, mode, hi)
            case let .pert(lo, mode, hi): (code, a, b, c) = (3, lo, mode, hi)
            case let .normal(mean, sd): (code, a, b, c) = (4, mean, sd, 0)
            case let .lognormal(median, sigma): (code, a, b, c) = (5, median, sigma, 0)
            case let .beta(alpha, beta): (code, a, b, c) = (6, alpha, beta, 0)
            case let .gamma(shape, scale): (code, a, b, c) = (7, shape, scale, 0)
            case let .poisson(mean): (code, a, b, c) = (8, mean, 0, 0)
            }
            let role = [ParameterRole.rate, .growth, .money, .count, .positive, .free].firstIndex(of: parameter.role)!
            return "\(code) \(hex(a)) \(hex(b)) \(hex(c)) \(parameter.per == .year ? 1 : 0) "
                + "\(hex(parameter.lowerClamp ?? .nan)) \(hex(parameter.upperClamp ?? .nan)) \(role)"
        }
        for (slot, parameter) in scenario.parameters.enumerated() {
            lines.append("parameter \(slot) " + encode(parameter))
        }
        for line in scenario.fiscal {
            lines.append("fiscal \([Allocation.population, .equal, .uncovered, .need].firstIndex(of: line.allocate)!)")
        }
        for d in scenario.districts {
            let counts = [d.population] + d.places + d.units + [d.uncertified, d.junior, d.intermediate, d.senior, d.agencies]
            lines.append("district " + counts.map(String.init).joined(separator: " ") + " \(hex(d.reliefFunds))")
        }
        for slot in scenario.schedules.keys.sorted() {
            for entry in scenario.schedules[slot]!.entries {
                lines.append("schedule \(slot) \(entry.startYearIndex) " + encode(entry.parameter))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
