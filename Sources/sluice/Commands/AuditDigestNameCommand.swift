import ArgumentParser
import Foundation
import SluiceCrypto

/// `sluice audit digest-name`: how the trail, a receipt and the consumer's payload write a
/// field name the agreement does not list. Such a name can be anything the provider's file
/// held (a person's name, in a CSV without its header row), so it is recorded only as this
/// keyed digest; an officer who has the file computes the digests of its names and matches.
struct AuditDigestNameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest-name", abstract: "The recorded digest of field names the agreement does not list.",
        discussion: "Needs the gateway's pseudonym secret (in the data directory): run it on the gateway's host.")

    @Option(help: "The agreement the names were sent under.") var agreement: String
    @Argument(help: "Field names, as the provider's file has them.") var names: [String]
    @OptionGroup var data: DataDirectoryOptions

    func run() throws {
        let path = PseudonymSecret.path(inDataDirectory: try data.resolved())
        let secret: PseudonymSecret
        do { secret = try PseudonymSecret.read(from: path) } catch { throw CommandFailure.input("\(error) (run this on the gateway's host)") }
        let pseudonymizer = AgreementPseudonymizer(secret: secret, agreementID: agreement)
        var table = TextTable("DIGEST", "NAME")
        for name in names { table.append(pseudonymizer.fieldNameDigest(name), name) }
        print(table.render())
    }
}
