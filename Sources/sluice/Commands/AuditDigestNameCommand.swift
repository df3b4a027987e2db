import ArgumentParser
import Foundation
import SluiceCore
import SluiceCrypto
import SluiceGateway
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
        // A gm agreement's digests are HMAC-SM3: its profile comes from the registry, in the
        // store `sluice.yaml` names (the data directory's SQLite file unless it names another).
        var configuration: GatewayConfiguration
        do { configuration = try GatewayConfigurationLoader().load() } catch {
            throw CommandFailure.input("fix \(GatewayConfigurationLoader.fileName): \(error)")
        }
        configuration.dataDirectory = dataDirectory
        let location: StoreLocation
        do { location = try configuration.storeLocation() } catch { throw CommandFailure.input(error.description) }
        // No store yet: no agreement of either profile, so the default. A store that is there
        // but cannot be read is an error, never a silent guess at the profile.
        var profile = CryptoProfile.jose
        if location.exists {
            do {
                profile = try location.open().read { store in try store.registry().agreements[agreement]?.agreement.cryptoProfile } ?? .jose
            } catch {
                throw CommandFailure.input("cannot read the agreement's profile from \(location): \(error)")
            }
        }
        let pseudonymizer = AgreementPseudonymizer(secret: secret, agreementID: agreement, profile: profile)
        var table = TextTable("DIGEST", "NAME")
        for name in names { table.append(pseudonymizer.fieldNameDigest(name), name) }
        print(table.render())
    }
}
