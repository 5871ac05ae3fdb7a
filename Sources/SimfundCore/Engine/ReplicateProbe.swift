import SimfundStochastics

/// Runs single replicates of one scenario with rearranged inputs (see
/// ``ReplicateInputs``) and keeps the replicate's values: the building block
/// of goal seek, sensitivity analysis and calibration, which need one
/// replicate's outcome at a time rather than accumulated statistics.
/// One probe per worker: it owns its workspace and generator.
final class ReplicateProbe {
    let simulator: Simulator
    private var workspace: Workspace
    private var stream = RandomStream()
    private(set) var recorder: ReplicateRecorder

    init(scenario: Scenario, seed: UInt64, targets: [Target] = []) {
        simulator = Simulator(scenario: scenario, seed: seed)
        workspace = simulator.makeWorkspace()
        recorder = ReplicateRecorder(scenario: scenario, targets: targets)
    }

    /// The inputs the next runs use (kept until changed).
    var inputs: ReplicateInputs {
        get { workspace.inputs }
        set { workspace.inputs = newValue }
    }

    /// Runs replicate `r` with the current inputs. Throws when a draw was not finite.
    func run(replicate r: Int) throws(RunFailure) {
        simulator.run(replicate: r, in: &workspace, stream: &stream, observer: &recorder)
        if let slot = workspace.nonFiniteSlot {
            throw RunFailure.gsl("a draw of parameter slot \(slot) (\(simulator.parameterPath(slot))) was not finite in replicate \(r)")
        }
    }

    /// `metric`'s value in year index `y` of the last run.
    func value(_ metric: Metric, yearIndex y: Int) -> Double {
        recorder.values[metric.rawValue * simulator.years + y]
    }

    /// Whether target `t` (of the targets given at init) was met in the last run.
    func met(_ t: Int) -> Bool { recorder.met[t] }
}
