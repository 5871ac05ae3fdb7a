/// One uncertain input of a scenario: a parameter slot whose value is drawn
/// (a distribution, or a schedule with a distribution among its entries).
/// Per-year shocks are one input: all their years together.
public struct UncertainInput: Sendable, Hashable {
    /// Index into ``Scenario/parameters``.
    public var slot: Int
    /// The scenario path, as in the file: `workforce.passRate.junior`, `budget.fiscal.0.amount`.
    public var path: String
    /// Drawn once per replicate, or again every year.
    public var per: Resampling
    /// Set from the scenario's posterior row: all such inputs move together
    /// (``ReplicateInputs/posteriorReplicate``), not through the slot's own streams.
    public var fromPosterior = false
}

extension Scenario {
    /// The scenario path of a parameter slot.
    public func parameterPath(_ slot: Int) -> String {
        slot < ParameterSlot.allCases.count ? ParameterSlot.allCases[slot].path : "budget.fiscal.\(slot - ParameterSlot.allCases.count).amount"
    }

    /// Every drawn parameter, in slot order (the order of the schema's fields).
    /// Slots set from the posterior are listed too (per replicate), even
    /// when the file gives them a plain number: the posterior's row draws them.
    public var uncertainInputs: [UncertainInput] {
        let fromPosterior = Set(posterior?.slots ?? [])
        return parameters.indices.compactMap { slot in
            if fromPosterior.contains(slot) { return UncertainInput(slot: slot, path: parameterPath(slot), per: .replicate, fromPosterior: true) }
            let drawn = schedules[slot].map { $0.entries.map(\.parameter) } ?? [parameters[slot]]
            guard let uncertain = drawn.first(where: { !$0.isFixed }) else { return nil }
            return UncertainInput(slot: slot, path: parameterPath(slot), per: uncertain.per)
        }
    }
}
