import ArgumentParser

/// `sluice agreement …`: checking and reading sharing agreements.
struct AgreementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "Validate, list and show sharing agreements.",
        subcommands: [AgreementValidateCommand.self, AgreementListCommand.self, AgreementShowCommand.self]
    )
}
