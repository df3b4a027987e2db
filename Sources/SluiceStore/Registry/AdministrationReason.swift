import Foundation
import SluiceMasking

/// The reason an administrator gives for a change (a suspension, a revocation). It goes
/// into the audit trail and the registry, which nothing can erase, so it must say why
/// without naming anyone: a reason in which the detectors find personal data is refused,
/// with the kinds found named and the values never repeated.
enum AdministrationReason {
    /// The reason trimmed, or an error saying what to change. Strict detection (check
    /// characters must hold), so that a ticket or case number is not taken for a card.
    static func validated(_ text: String) throws -> String {
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw AdministrationError.invalidInput("give a reason: it goes into the audit trail") }
        var kinds: [String] = []
        for detection in TextScanner().detections(in: reason) where !kinds.contains(detection.kind.rawValue) {
            kinds.append(detection.kind.rawValue)
        }
        guard kinds.isEmpty else {
            throw AdministrationError.invalidInput(
                "the reason holds what looks like personal data (\(kinds.joined(separator: ", "))); the audit trail never "
                    + "holds personal data: say why without it")
        }
        return reason
    }
}
