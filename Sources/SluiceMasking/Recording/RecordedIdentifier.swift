import SluiceCore

/// An identifier someone typed — a request path, a command's argument — as the gateway
/// may repeat it in the audit trail (which nothing can erase), the logs and the metrics.
///
/// Those hold only identifiers the registry knows: text the registry does not know is
/// anyone's choice (a citizen's name or ID number pasted by mistake, or on purpose), so a
/// placeholder saying what was expected stands for it.
public enum RecordedIdentifier {
    public static let notAnAgreement = "(unknown agreement)"
    public static let notAnAgency = "(unknown agency)"
    public static let notAPackage = "(unknown package)"

    /// An agreement id as recorded: itself when the registry knows it.
    public static func agreement(_ text: String, known: Bool) -> String {
        known ? text : notAnAgreement
    }

    /// An agency id as recorded: itself when the registry knows it.
    public static func agency(_ text: String, known: Bool) -> String {
        known ? text : notAnAgency
    }

    /// A package id as recorded: itself when the gateway holds (or held) that package.
    public static func package(_ text: String, known: Bool) -> String {
        known ? text : notAPackage
    }

    /// Whether `text` may become an identifier the registry knows (a new agency's id):
    /// the identifier's form, and nothing of a detector's shape in it, even cautiously.
    public static func isAcceptableNewIdentifier(_ text: String) -> Bool {
        Agency.isValidID(text) && TextScanner(cautious: true).detections(in: text).isEmpty
    }
}
