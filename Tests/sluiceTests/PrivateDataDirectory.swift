import Foundation

/// A gateway's data directory on a small tmpfs of its own, mounted in a mount namespace
/// that only the gateway's process sees (`unshare -m`, or `unshare -rm` for a user who is
/// not root): it can be filled, emptied and removed without touching the machine, and
/// it vanishes with the process. The test reaches into it with `nsenter`.
struct PrivateDataDirectory {
    static let unshare = SluiceProcess.tool("unshare")
    static let nsenter = SluiceProcess.tool("nsenter")
    private static let asRoot = geteuid() == 0

    /// Whether this machine lets the tests make a mount namespace with a tmpfs in it.
    static let available: Bool = {
        guard let unshare, nsenter != nil else { return false }
        let probe = try? SluiceProcess.run(
            unshare, (asRoot ? ["-m"] : ["-rm"]) + ["/bin/sh", "-c", "mount -t tmpfs -o size=1m tmpfs \"$1\"", "sh", NSTemporaryDirectory()])
        return probe?.status == 0
    }()

    /// The launcher that moves the initialised `.sluice` onto a tmpfs of `megabytes` and
    /// then runs the gateway; `readOnly` mounts that tmpfs read-only before the start.
    static func launcher(megabytes: Int, readOnly: Bool = false) -> [String] {
        let script = """
            set -e
            cp -a .sluice .sluice-seed
            mount -t tmpfs -o size=\(megabytes)m,mode=0700 tmpfs .sluice
            cp -a .sluice-seed/. .sluice/
            rm -rf .sluice-seed
            \(readOnly ? "mount -o remount,ro .sluice" : "")
            exec "$@"
            """
        return [unshare ?? "/usr/bin/unshare"] + (asRoot ? ["-m"] : ["-rm"]) + ["/bin/sh", "-c", script, "sh"]
    }

    /// Runs `command` (a shell command) in the gateway's folder, in its mount namespace.
    static func run(_ command: String, in gateway: GatewayProcess) throws -> SluiceProcess.Result {
        let enter = ["-t", String(gateway.processIdentifier)] + (asRoot ? ["-m"] : ["-U", "-m", "--preserve-credentials"])
        return try SluiceProcess.run(nsenter ?? "/usr/bin/nsenter", enter + ["/bin/sh", "-c", "cd \"$1\" && " + command, "sh", gateway.folder])
    }
}
