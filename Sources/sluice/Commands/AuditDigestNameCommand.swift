import ArgumentParser
import Foundation
import SluiceCrypto
import SluiceStore

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
        let dataDirectory = try data.resolved()
        let path = PseudonymSecret.path(inDataDirectory: dataDirectory)
        let secret: PseudonymSecret
        do { secret = try PseudonymSecret.read(from: path) } catch { throw CommandFailure.input("\(error) (run this on the gateway's host)") }
        // A gm agreement's digests are HMAC-SM3: its profile comes from the registry.
        let profile =
            (try? StoreLocation.dataDirectory(dataDirectory).open())
            .flatMap { database in try? database.read { store in try store.registry().agreements[agreement]?.agreement.cryptoProfile } } ?? .jose
        let pseudonymizer = AgreementPseudonymizer(secret: secret, agreementID: agreement, profile: profile)
        var table = TextTable("DIGEST", "NAME")
        for name in names { table.append(pseudonymizer.fieldNameDigest(name), name) }
        print(table.render())
    }
}
