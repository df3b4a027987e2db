/// The short texts a request carries into the audit trail, checked before they are
/// believed: a case number, an officer's name or staff number, a purpose. Letters and
/// digits of any script, spaces and the punctuation case numbers are written with
/// (`〔2025〕`, `（刑）`, `-`, `/`, `·`, `第…号`); no control, format or other invisible
/// character, nothing longer than a clerk would write. Pure.
public enum RequestText {
    public static let longestCaseNumber = 64
    public static let longestOfficer = 64
    public static let longestPurpose = 64

    public static func isCaseNumber(_ text: String) -> Bool { isShortText(text, longest: longestCaseNumber) }
    public static func isOfficer(_ text: String) -> Bool { isShortText(text, longest: longestOfficer) }
    public static func isPurpose(_ text: String) -> Bool { isShortText(text, longest: longestPurpose) }

    static let punctuation: Set<Unicode.Scalar> = [
        "-", "_", "/", "(", ")", "[", "]", ".", ",", ":", "#", "·", "（", "）", "〔", "〕", "【", "】", "［", "］", "、", "，", "：", "－", "—", "《", "》",
    ]

    /// 1 to `longest` characters of letters, digits, single inner spaces and ``punctuation``.
    static func isShortText(_ text: String, longest: Int) -> Bool {
        guard !text.isEmpty, text.count <= longest, text.first != " ", text.last != " ", !text.contains("  ") else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .otherLetter, .titlecaseLetter, .modifierLetter, .decimalNumber: return true
            default: return scalar == " " || punctuation.contains(scalar)
            }
        }
    }
}
