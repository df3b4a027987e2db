/// A failure the CLI reports in one clear line and an exit code from the design:
/// 1 when a check failed, 2 for usage or input errors.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32

    static func input(_ message: String) -> CommandFailure { CommandFailure(message: message, exitCode: 2) }
    static func checkFailed(_ message: String) -> CommandFailure { CommandFailure(message: message, exitCode: 1) }

    var description: String { message }
}
