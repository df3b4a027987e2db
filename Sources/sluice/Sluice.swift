import ArgumentParser
import Foundation

/// The `sluice` command: the gateway daemon and every tool around it.
@main
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Secure data-exchange gateway between agencies.",
        discussion: """
            Exit codes: 0 ok, 1 a check failed (for example verification found tampering), \
            2 usage or input error.
            """,
        subcommands: [
            InitCommand.self, AgreementCommand.self, MaskCommand.self, SealCommand.self, OpenCommand.self, ReceiptCommand.self,
            AuditCommand.self, ServeCommand.self, SubmitCommand.self, InboxCommand.self, FetchCommand.self, AckCommand.self,
            DemoCommand.self, AgencyCommand.self, KeysCommand.self, SigningCertificatesCommand.self, BackupCommand.self, RequestCommand.self,
            StoreCommand.self,
        ]
    )

    /// Runs the command, mapping every failure to the documented exit codes: argument
    /// errors and bad input exit 2 (ArgumentParser's own default would be 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            if !failure.message.isEmpty { StandardError.print("sluice: " + failure.message) }
            Foundation.exit(failure.exitCode)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { StandardError.print(message) }
            Foundation.exit(code == ExitCode(1) ? 1 : 2)
        }
    }
}
