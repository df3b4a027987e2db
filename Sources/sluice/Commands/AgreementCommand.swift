import ArgumentParser

/// `sluice agreement …`: checking and reading sharing agreements.
struct AgreementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "Validate, apply and manage sharing agreements.",
        discussion: """
            validate, list and show read agreement files. apply, suspend, activate, revoke, history \
            and diff work on the gateway's registry: through its API with --gateway (or --profile), \
            or on the local data directory as the gateway host's admin.
            """,
        subcommands: [
            AgreementValidateCommand.self, AgreementListCommand.self, AgreementShowCommand.self, AgreementApplyCommand.self,
            AgreementSuspendCommand.self, AgreementActivateCommand.self, AgreementRevokeCommand.self, AgreementHistoryCommand.self,
            AgreementDiffCommand.self,
        ]
    )
}
