import Foundation
import SluiceCore
import SluiceCrypto
import SluiceMasking

/// Reads a record file in chunks, masks each record under an agreement, and hands the
/// masked records on: the shared first half of `sluice mask` and `sluice seal`.
struct MaskingRun {
    var agreement: Agreement
    var pseudonymizer: AgreementPseudonymizer

    /// Masks every record of `input`, calling `emit` with each one kept and `flush`
    /// after every chunk. Bad input becomes one clear line naming the file and line.
    func run(input: String, format: RecordFormat, emit: (RecordObject) throws -> Void, flush: () throws -> Void = {}) throws -> MaskingSummary {
        var masker = RecordMasker(agreement: agreement, pseudonymizer: pseudonymizer, referenceDate: .today())
        var decoder = format.decoder()
        do {
            try ChunkedFile.read(input) { chunk in
                for record in try decoder.feed(chunk) {
                    if let masked = masker.mask(record) { try emit(masked) }
                }
                try flush()
            }
            for record in try decoder.finish() {
                if let masked = masker.mask(record) { try emit(masked) }
            }
        } catch let error as RecordFormatError {
            throw CommandFailure.input("\(input): \(error.description)")
        }
        return masker.summary
    }

    /// The gateway's pseudonym key from `dataDirectory` when present, so previews and
    /// offline seals give the pseudonyms the gateway would; otherwise a throw-away key
    /// and a note saying so.
    static func pseudonymizer(for agreement: Agreement, dataDirectory: String) throws -> (AgreementPseudonymizer, note: String?) {
        let path = PseudonymSecret.path(inDataDirectory: dataDirectory)
        do {
            let secret = try PseudonymSecret.read(from: path)
            return (AgreementPseudonymizer(secret: secret, agreementID: agreement.id, profile: agreement.cryptoProfile), nil)
        } catch .missing {
            return (
                AgreementPseudonymizer(secret: .random(), agreementID: agreement.id, profile: agreement.cryptoProfile),
                "no pseudonym secret at \(path) (run `sluice init`); hash masks use a throw-away key this time"
            )
        } catch {
            throw CommandFailure.input(error.description)
        }
    }

    /// An agreement from a file path, or by id from the agreements folder.
    static func agreement(_ reference: String, folder: AgreementFolderOptions) throws -> Agreement {
        if FileManager.default.fileExists(atPath: reference) {
            let catalog = AgreementCatalog.load(paths: [reference], registryPath: folder.registry)
            guard catalog.diagnostics.isEmpty, let found = catalog.agreements.first else {
                for problem in catalog.diagnostics { StandardError.print(problem.description) }
                throw CommandFailure.input("\(reference) is not a valid agreement")
            }
            return found.agreement
        }
        let catalog = folder.load()
        guard let found = catalog.agreement(reference) else {
            var message = "\(reference) is neither a file nor the id of a valid agreement in \(folder.directory)"
            if let hint = NearestName.suggestion(for: reference, among: catalog.agreements.map(\.agreement.id)) {
                message += "; did you mean \"\(hint)\"?"
            }
            throw CommandFailure.input(message)
        }
        return found.agreement
    }

    static func format(ofFile path: String) throws -> RecordFormat {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": return .csv
        case "ndjson", "jsonl": return .ndjson
        case "json": return .json
        default: throw CommandFailure.input("cannot tell the format of \(path) from its name; pass --format csv|ndjson|json")
        }
    }
}
