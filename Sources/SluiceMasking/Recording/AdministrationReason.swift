import Foundation

/// The reason an administrator gives for a change (a suspension, a revocation). It goes
/// into the audit trail and the registry, which nothing can erase, so it must say why
/// without naming anyone: a reason in which the detectors find personal data is refused,
/// with the kinds found named and the values never repeated.
public enum AdministrationReason {
    public static let maximumBytes = 500

    /// What to change in a reason, to show its author.
    public struct Refusal: Error, Sendable {
        public var message: String
    }

    /// Controls (C0, DEL, C1) and bidirectional formatting characters: in a terminal they
    /// act instead of showing, in the trail they would be kept forever.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x061C, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// The reason trimmed, or an error saying what to change. Strict detection (check
    /// characters must hold), so that a ticket or case number is not taken for a card.
    public static func validated(_ text: String) throws(Refusal) -> String {
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw Refusal(message: "give a reason: it goes into the audit trail") }
        guard reason.utf8.count <= maximumBytes else {
            throw Refusal(message: "the reason is longer than \(maximumBytes) bytes: say why in a sentence")
        }
        guard !reason.unicodeScalars.contains(where: isControl) else {
            throw Refusal(
                message:
                    "the reason holds control or text-direction characters, which the audit trail does not keep; type it as plain text")
        }
        var kinds: [String] = []
        for detection in TextScanner().detections(in: reason) where !kinds.contains(detection.kind.rawValue) {
            kinds.append(detection.kind.rawValue)
        }
        guard kinds.isEmpty else {
            throw Refusal(
                message:
                    "the reason holds what looks like personal data (\(kinds.joined(separator: ", "))); the audit trail never "
                    + "holds personal data: say why without it")
        }
        return reason
    }
}
