import SluiceCore
import SluiceMasking

/// An identifier a caller wrote into a request path, as the gateway may repeat it: in the
/// audit trail (which nothing can erase), the logs, the metrics and its answers.
///
/// A path can hold anything — a citizen's ID number or phone number pasted by mistake —
/// so text the gateway does not know is repeated only when it has the identifier's own
/// form and no detector finds personal data in it; otherwise a placeholder stands for it.
enum PathIdentifier {
    static let notAnAgreement = "(not an agreement id)"
    static let notAPackage = "(not a package id)"

    /// `text` from an agreement path: as given when the registry knows it, or when it has
    /// the form of agreement ids (lowercase letters, digits, `-`, `_`; 1–64 bytes) and even
    /// a cautious scan finds no personal data in it.
    static func agreement(_ text: String, known: Bool) -> String {
        if known { return text }
        let plausible = (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F }
        return plausible && !holdsPersonalData(text) ? text : notAnAgreement
    }

    /// `text` from a package path: as given when it is written as package ids are.
    static func package(_ text: String) -> String {
        TimeOrderedID.hasIdentifierForm(text) ? text : notAPackage
    }

    /// Cautious: anything of a detector's shape counts, check digit or not.
    private static func holdsPersonalData(_ text: String) -> Bool {
        !TextScanner(cautious: true).detections(in: text).isEmpty
    }
}
