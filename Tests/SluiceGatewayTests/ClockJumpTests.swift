import Foundation
import Testing

@testable import SluiceGateway

/// The wall clock against the time since boot: a step forward beyond five minutes is held
/// until confirmed; drift, small steps, sleep and setting a clock right again are not.
@Suite struct ClockJumpTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aStepForwardIsHeldUntilConfirmed() {
        var clock = ClockJump(wall: start, boot: 1000)
        #expect(clock.observe(wall: start.addingTimeInterval(5), boot: 1005) == nil)
        let ahead = clock.observe(wall: start.addingTimeInterval(10 + 7200), boot: 1010)
        #expect(ahead == 7200)
        // Held however the clocks go on, until confirmed.
        #expect(clock.observe(wall: start.addingTimeInterval(15), boot: 1015) == 7200)
        clock.confirm(wall: start.addingTimeInterval(20 + 7200), boot: 1020)
        #expect(clock.observe(wall: start.addingTimeInterval(25 + 7200), boot: 1025) == nil)
    }

    @Test func driftAndSmallStepsAreFollowed() {
        var clock = ClockJump(wall: start, boot: 0)
        // Two minutes ahead per look, ten looks: each within the tolerance of the last.
        for step in 1...10 {
            #expect(clock.observe(wall: start.addingTimeInterval(Double(step) * (10 + 120)), boot: Double(step) * 10) == nil, "step \(step)")
        }
    }

    /// The host slept for a day: both clocks moved on together.
    @Test func sleepIsNoJump() {
        var clock = ClockJump(wall: start, boot: 50)
        #expect(clock.observe(wall: start.addingTimeInterval(86_400), boot: 50 + 86_400) == nil)
    }

    /// A step back is ``AuditClock``'s to judge; stepping forward again to the right time
    /// afterwards is no jump.
    @Test func settingTheClockRightAfterAStepBackIsNoJump() {
        var clock = ClockJump(wall: start, boot: 0)
        #expect(clock.observe(wall: start.addingTimeInterval(10 - 3600), boot: 10) == nil)
        #expect(clock.observe(wall: start.addingTimeInterval(20), boot: 20) == nil)
        #expect(clock.observe(wall: start.addingTimeInterval(30 + 3600), boot: 30) == 3600)
    }

    @Test func bootTimeMovesForward() {
        let first = ClockJump.bootTime()
        #expect(first > 0 && ClockJump.bootTime() >= first)
    }
}
