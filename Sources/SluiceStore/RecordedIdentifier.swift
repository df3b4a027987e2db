import SluiceCore
import SluiceMasking

/// An identifier someone typed — a request path, a command's argument — as the gateway
/// may repeat it: in the audit trail (which nothing can erase), the logs, the metrics and
/// its answers.
///
/// Such text can hold anything, a citizen's ID number or phone number pasted by mistake,
/// so text the registry does not know is repeated only when it has the identifier's own
/// form and even a cautious scan finds no personal data in it; otherwise a placeholder
/// saying what was expected stands for it.
public enum RecordedIdentifier {
    public static let notAnAgreement = "(not an agreement id)"
    public static let notAnAgency = "(not an agency id)"
    public static let notAPackage = "(not a package id)"

    /// An agreement id: as given when the registry knows it, or when it has the form of
    /// agreement ids and holds nothing of a detector's shape.
    public static func agreement(_ text: String, known: Bool = false) -> String {
        known || isSafe(text) ? text : notAnAgreement
    }

    /// An agency id, on the same terms as an agreement id.
    public static func agency(_ text: String, known: Bool = false) -> String {
        known || isSafe(text) ? text : notAnAgency
    }

    /// A package id: as given when it is written as package ids are (8-4-4-4-12 hex).
    public static func package(_ text: String) -> String {
        TimeOrderedID.hasIdentifierForm(text) ? text : notAPackage
    }

    /// Cautious: anything of a detector's shape counts, check character or not.
    private static func isSafe(_ text: String) -> Bool {
        Agency.isValidID(text) && TextScanner(cautious: true).detections(in: text).isEmpty
    }
}
