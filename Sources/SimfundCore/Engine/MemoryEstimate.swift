import Foundation

/// What a run will hold in memory, estimated before it starts, and what this
/// process may really use, so a run that cannot fit is refused at once
/// instead of aborting after minutes.
public enum MemoryEstimate {
    /// Bytes the run of `plan` on `threads` workers needs at most: every
    /// worker holds one accumulated state (bounded by the plan's
    /// ``StatisticsLimits``, not by replicates), plus the merged one, the
    /// workspaces and the runtime.
    public static func bytes(_ plan: RunPlan, threads: Int) -> Double {
        let years = Double(plan.base.years)
        let series = Double(Metric.count) * years
        let limits = plan.limits
        let replicates = Double(plan.range.count)
        // A series: moments (~130 bytes), then its exact values or its buckets (~40 bytes each, hashed).
        let values = Swift.max(Swift.min(replicates, Double(limits.exactValues)) * 8, replicates > Double(limits.exactValues) ? Double(limits.maxBuckets) * 40 : 0)
        let perSeries = 130 + values
        var coverage = 0.0
        for district in plan.base.districts {
            for places in [district.townships, district.communities] {
                coverage += places <= limits.denseHistogramPlaces ? Double(places + 2) * 8 * years : (perSeries + 8) * years
            }
        }
        let variant = series * perSeries + coverage + Double(plan.targets.count) * 8
        let pair = series * (130 + 16) + Double(plan.targets.count) * 16 + 8 * 48
        let variants = Double(plan.variants.count)
        let state = variants * variant + (variants - 1) * pair
        let workers = Double(Swift.max(1, Swift.min(threads, (plan.range.count + 31) / 32)))
        let workspace = Double(plan.base.districts.count) * 60 * 8 + Double(plan.base.parameters.count) * 8
        let runtime = 48.0 * 1024 * 1024
        return (workers + 1) * state + workers * variants * (workspace + series * 8) + runtime
    }

    /// The most memory this process may use: the smallest of the cgroup
    /// limit, the address-space limit (`ulimit -v`, less what the runtime
    /// already reserves) and the memory available on the machine. nil when
    /// none can be read.
    public static func processLimit() -> (bytes: Double, source: String)? {
        var limits: [(Double, String)] = []
        for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               let value = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), value < 1e18 {
                var used = 0.0
                for usage in ["/sys/fs/cgroup/memory.current", "/sys/fs/cgroup/memory/memory.usage_in_bytes"] {
                    if let text = try? String(contentsOfFile: usage, encoding: .utf8), let u = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) { used = u; break }
                }
                limits.append((Swift.max(0, value - used), "the cgroup memory limit"))
                break
            }
        }
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            limits.append((Swift.max(0, Double(limit.rlim_cur) - virtualSize()), "the address-space limit (ulimit -v)"))
        }
        if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
           let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") {
            limits.append((kilobytes * 1024, "the memory available on this machine"))
        }
        return limits.min { $0.0 < $1.0 }.map { (bytes: $0.0, source: $0.1) }
    }

    /// Address space this process already uses (thread stacks and runtime
    /// reservations count against `ulimit -v`), plus room for a thread stack per core.
    static func virtualSize() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmSize:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes * 1024 + Double(ProcessInfo.processInfo.activeProcessorCount) * 8 * 1024 * 1024
    }

    /// A sentence refusing `plan` when it does not fit, with what would fit; nil when it fits.
    public static func refusal(_ plan: RunPlan, threads: Int) -> String? {
        guard let (available, source) = processLimit() else { return nil }
        let needed = bytes(plan, threads: threads)
        guard needed > available * 0.9 else { return nil }
        func mib(_ x: Double) -> String { "\(Int((x / 1024 / 1024).rounded(.up))) MiB" }
        var advice: [String] = []
        if threads > 1, bytes(plan, threads: 1) <= available * 0.9 { advice.append("--threads 1") }
        var fewer = plan
        var most = plan.variants.count - 1
        while most > 0 {
            fewer.variants = Array(plan.variants.prefix(most + 1))
            if bytes(fewer, threads: 1) <= available * 0.9 { break }
            most -= 1
        }
        if most > 0 && most < plan.variants.count - 1 { advice.append("at most \(most) alternatives at once") }
        return "this run needs about \(mib(needed)) of memory and \(source) leaves \(mib(available)); "
            + (advice.isEmpty ? "use a smaller scenario (fewer years, districts or alternatives)" : "use \(advice.joined(separator: ", or "))")
    }
}
