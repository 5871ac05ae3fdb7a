import Foundation
@testable import SimfundCore
import SimfundStochastics
import Synchronization
import Testing

/// GSL errors belong to the thread, and so to the run, that raised them.
@Suite("GSL failures per run")
struct GSLFailureTests {
    @Test("An error raised on another thread is not seen on this one; a collector keeps its own threads' errors")
    func errorsStayOnTheirThread() {
        _ = GSLRuntime.takeFailure()
        let seenThere = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        Thread {
            GSLRuntime.provokeErrorForTesting()
            seenThere.withLock { $0 = GSLRuntime.takeFailure() }
            done.signal()
        }.start()
        done.wait()
        #expect(seenThere.withLock { $0 }?.contains("GSL error") == true)
        #expect(GSLRuntime.takeFailure() == nil)

        let collector = GSLFailureCollector()
        collector.collect { }
        #expect(collector.first == nil)
        collector.collect { GSLRuntime.provokeErrorForTesting() }
        #expect(collector.first?.contains("GSL error") == true)
        // The collector took the error off the thread.
        #expect(GSLRuntime.takeFailure() == nil)
    }

    @Test("A thread provoking GSL errors in a loop does not fail unrelated runs")
    func otherThreadsErrorsDoNotFailRuns() throws {
        let file = try bundledScenario("ningde.json")
        let stop = Atomic<Bool>(false)
        let provoked = Atomic<Int>(0)
        let noisy = Thread {
            while !stop.load(ordering: .relaxed) {
                GSLRuntime.provokeErrorForTesting()
                provoked.add(1, ordering: .relaxed)
            }
        }
        noisy.start()
        defer { stop.store(true, ordering: .relaxed) }
        // Wait until errors are flowing before the runs start.
        while provoked.load(ordering: .relaxed) < 100 { usleep(100) }
        var failures: [String] = []
        for run in 0..<20 {
            do {
                _ = try Runner.simulate(file.base, seed: UInt64(run), replicates: 40, threads: 2)
            } catch {
                failures.append("run \(run): \(error)")
            }
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(provoked.load(ordering: .relaxed) > 100)
    }
}
