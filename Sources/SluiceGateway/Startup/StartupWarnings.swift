import SluiceCore
import SluiceStore

/// What an operator should know when the gateway starts: stored agreement versions that no
/// longer validate, agreement files that are not applied or differ from the version in
/// force, agencies in the registry file that are not registered. Pure: the files and the
/// registry are read by the caller.
enum StartupWarnings {
    static func warnings(catalog: AgreementCatalog, registry snapshot: RegistrySnapshot, agreementsDirectory: String) -> [String] {
        var warnings = snapshot.problems
        for located in catalog.agreements {
            guard let applied = snapshot.agreements[located.agreement.id] else {
                warnings.append("\(located.file) is not applied; run `sluice agreement apply \(located.file)`")
                continue
            }
            var fileTerms = located.agreement
            fileTerms.status = applied.agreement.status
            if fileTerms != applied.agreement {
                warnings.append(
                    "\(located.file) differs from the applied version \(applied.version) of \(located.agreement.id); the gateway uses version \(applied.version) until you run `sluice agreement apply \(located.file)`"
                )
            }
        }
        for agency in catalog.registry?.agencies ?? [] where snapshot.agencies[agency.id] == nil {
            warnings.append(
                "agency \(agency.id) is in \(agreementsDirectory)/\(AgreementCatalog.registryFileName) but not registered; run `sluice agency add \(agency.id) --name … --cert … --role …`"
            )
        }
        return warnings
    }
}
