import CSQLiteGuard
import Dispatch
import Foundation
import Synchronization

/// Copies the write-ahead log back into the database file on a thread and connection of
/// its own, so that a commit only appends to the log and waits for its own fsync.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold: that
/// commit, and every request waiting on it, also waits while megabytes are copied and
/// the database file is synced. Here the committing connection's WAL hook only wakes this
/// thread, which runs a PASSIVE checkpoint (it never blocks writers or readers). Should
/// the log still grow past ``inlineFrames`` — a checkpoint that cannot keep up — the
/// commit that crosses it checkpoints inline, as SQLite would, so the log stays bounded.
final class WALCheckpointer: Sendable {
    /// Frames (pages) in the log at which a commit wakes the checkpointer: by default
    /// ~4 MB, SQLite's own threshold.
    let wakeFrames: Int32
    /// Frames at which a commit checkpoints inline: by default ~64 MB.
    let inlineFrames: Int32

    private let path: String
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    /// Whether a wake-up is pending, so a burst of commits wakes the thread once.
    private let pending = Atomic<Bool>(false)
    private let state = Mutex<(started: Bool, stopping: Bool)>((false, false))
    /// Checkpoints this thread has run, and ones commits ran inline (tests read them).
    let checkpointsRun = Atomic<Int>(0)
    let inlineCheckpoints = Atomic<Int>(0)

    init(path: String, wakeFrames: Int32 = 1000, inlineFrames: Int32 = 16000) {
        self.path = path
        self.wakeFrames = wakeFrames
        self.inlineFrames = inlineFrames
    }

    /// Makes `connection`'s commits report the log's size here. Only a connection that
    /// writes needs it; the hook replaces SQLite's automatic checkpoint on that connection.
    func observe(_ connection: OpaquePointer?) {
        let hook: @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32 = {
            context, connection, name, frames in
            guard let context else { return SQLITE_OK }
            let checkpointer = Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue()
            if frames >= checkpointer.inlineFrames {
                // What SQLite's own hook does; a busy log is simply tried again next time.
                _ = sqlite3_wal_checkpoint_v2(connection, name, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
                checkpointer.inlineCheckpoints.add(1, ordering: .relaxed)
            } else if frames >= checkpointer.wakeFrames {
                checkpointer.requestCheckpoint()
            }
            return SQLITE_OK
        }
        // Unretained: the checkpointer lives as long as the database that owns both it
        // and the connection, and nothing commits while that database is torn down.
        sqlite3_wal_hook(connection, hook, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Wakes the checkpoint thread, starting it the first time.
    private func requestCheckpoint() {
        guard !pending.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let start = state.withLock { state -> Bool in
            guard !state.started, !state.stopping else { return false }
            state.started = true
            return true
        }
        if start {
            let thread = Thread { [self] in run() }
            thread.start()
        }
        wake.signal()
    }

    private func run() {
        defer { finished.signal() }
        // Named from inside, so top and perf show it: a name set before the start does
        // not reach a Linux thread. Linux keeps 15 characters and refuses longer names.
        Thread.current.name = "sluice-wal-ckpt"
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let connection else {
            sqlite3_close(connection)
            return
        }
        defer { sqlite3_close(connection) }
        // The copied pages are synced before the log may be reused; the guard as on every
        // connection to this file.
        guard sqlite3_exec(connection, "PRAGMA synchronous = FULL", nil, nil, nil) == SQLITE_OK,
            sluice_sqlite_guard(connection, StoreSchema.appendOnlyPrefix) == SQLITE_OK
        else { return }
        while true {
            wake.wait()
            if state.withLock({ $0.stopping }) { return }
            pending.store(false, ordering: .releasing)
            _ = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            checkpointsRun.add(1, ordering: .relaxed)
        }
    }

    /// Ends the thread, if it started, and waits for it to close its connection.
    func stop() {
        let started = state.withLock { state -> Bool in
            state.stopping = true
            return state.started
        }
        guard started else { return }
        wake.signal()
        finished.wait()
    }
}
