/// A fixed-size column of plain values in engine-owned memory.
///
/// This is the engine's only unsafe storage. A column is a bare pointer and
/// a count, so copying it into a local costs nothing and involves no
/// reference counting or copy-on-write check in the hot loop. Its memory is
/// owned by a ``ColumnArena`` (one per ``Workspace``, so one per worker),
/// allocated once, freed with the arena, never resized and never shared
/// between workers. Indices are checked in debug builds only; every index in
/// the engine is a district (0..<D) or a kind-major unit index (kind·D + district).
struct Column<Element: BitwiseCopyable> {
    private let base: UnsafeMutablePointer<Element>
    let count: Int

    fileprivate init(base: UnsafeMutablePointer<Element>, count: Int) {
        self.base = base
        self.count = count
    }

    @inline(__always)
    subscript(index: Int) -> Element {
        get {
            assert(index >= 0 && index < count, "Column index \(index) out of 0..<\(count)")
            return base[index]
        }
        nonmutating set {
            assert(index >= 0 && index < count, "Column index \(index) out of 0..<\(count)")
            base[index] = newValue
        }
    }

    func fill(_ value: Element) {
        base.update(repeating: value, count: count)
    }

    /// Views for C calls (GSL's multinomial).
    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }
    var mutableBuffer: UnsafeMutableBufferPointer<Element> { UnsafeMutableBufferPointer(start: base, count: count) }

    /// A copy of the contents (for tests and outputs, never in the hot loop).
    var array: [Element] { Array(buffer) }
}

/// Owns the memory of a set of columns and frees it once, on deinit.
struct ColumnArena: ~Copyable {
    private var allocations: [UnsafeMutableRawPointer] = []

    init() {}

    /// A new column of `count` elements, each `value`.
    mutating func column<Element: BitwiseCopyable>(_ value: Element, count: Int) -> Column<Element> {
        precondition(count >= 0)
        let base = UnsafeMutablePointer<Element>.allocate(capacity: max(count, 1))
        base.initialize(repeating: value, count: max(count, 1))
        allocations.append(UnsafeMutableRawPointer(base))
        return Column(base: base, count: count)
    }

    deinit {
        for allocation in allocations { allocation.deallocate() }
    }
}
