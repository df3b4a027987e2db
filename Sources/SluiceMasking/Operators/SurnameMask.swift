import SluiceCore

/// Reduces a personal name to its surname, masking each remaining character.
///
/// Chinese names keep their first character, or the first two for compound surnames
/// (欧阳, 司马, 诸葛 …). Names written in Latin letters ("Zhang San") keep their first
/// word. Names joined with a middle dot (阿卜杜拉·买买提) have no surname in the Han sense
/// and keep only their first character.
public enum SurnameMask {
    /// Two-character surnames in use today, from the Hundred Family Surnames and the
    /// compound surnames of current population statistics.
    public static let compoundSurnames: Set<String> = [
        "欧阳", "太史", "端木", "上官", "司马", "东方", "独孤", "南宫", "万俟", "闻人", "夏侯", "诸葛", "尉迟", "公羊",
        "赫连", "澹台", "皇甫", "宗政", "濮阳", "公冶", "太叔", "申屠", "公孙", "慕容", "仲孙", "钟离", "长孙", "宇文",
        "司徒", "鲜于", "司空", "闾丘", "子车", "亓官", "司寇", "巫马", "公西", "颛孙", "壤驷", "公良", "漆雕", "乐正",
        "宰父", "谷梁", "拓跋", "夹谷", "轩辕", "令狐", "段干", "百里", "呼延", "东郭", "南门", "羊舌", "微生", "公户",
        "公玉", "公仪", "梁丘", "公仲", "公上", "公门", "公山", "公坚", "左丘", "公伯", "西门", "公祖", "第五", "公乘",
        "贯丘", "公皙", "南荣", "东里", "东宫", "仲长", "子书", "子桑", "即墨", "达奚", "褚师", "吴铭", "纳兰", "归海",
        "完颜", "单于",
    ]

    /// Whether a value is shaped like a personal name, as `surname` expects: letters of
    /// one script (Han, or a Latin or other alphabet) with the spaces, middle dots, hyphens,
    /// apostrophes and periods names are written with; no digits, no symbols, at most 64
    /// characters. `11010519491231002X Zhang` is not one.
    public static func looksLikeName(_ value: String) -> Bool {
        let trimmed = value.trimmingWhitespace()
        guard !trimmed.isEmpty, trimmed.unicodeScalars.count <= 64 else { return false }
        var han = false
        var other = false
        for scalar in trimmed.unicodeScalars {
            switch scalar {
            case " ", "·", "•", "・", "-", "'", "’", ".", "\u{3000}": continue
            default: break
            }
            let properties = scalar.properties
            if isHan(scalar.value) {
                han = true
            } else if properties.isAlphabetic, properties.numericType == nil {
                other = true
            } else if properties.generalCategory == .nonspacingMark || properties.generalCategory == .spacingMark {
                continue
            } else {
                return false
            }
        }
        return han != other
    }

    /// Romanised Chinese surnames, for telling which word of `San Zhang` is the surname.
    static let pinyinSurnames: Set<String> = Set(
        ("wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie song tang han feng "
            + "deng cao peng zeng xiao tian dong yuan pan yu jiang cai du ye cheng su wei lu ding ren shen yao cui zhong tan fan "
            + "jin shi liao jia xia fu fang bai zou meng xiong qin qiu yin xue yan duan lei hou long tao gu mao hao gong shao wan "
            + "qian dai mo kong xiang chang wen kang shi niu ge xing an qi qiao wu pang ni zhuang nie zhang lu yue zhai yin zhan "
            + "shen ou geng guan lan jiao yu zuo liu gan zhu bao ning shang fu shu ruan ke ji mei tong ling bi shan ji pei huo "
            + "tu miao gu sheng qu weng ran luo lan lu you xin jin guan chai meng bao hua yu qi pu fang teng qu rao xie mou ai "
            + "ouyang sima zhuge shangguan dongfang huangfu murong linghu situ").split(separator: " ").map(String.init))

    public static func apply(_ name: String, maskCharacter: Character = "*") -> String {
        let trimmed = name.trimmingWhitespace()
        if let masked = hanName(trimmed, maskCharacter: maskCharacter) { return masked }
        let characters = Array(trimmed)
        guard characters.count > 1 else { return String(repeating: maskCharacter, count: characters.count) }
        if characters.contains(where: { $0 == "·" || $0 == "•" || $0 == "・" }) {
            return String(characters[0]) + masked(characters.dropFirst(), maskCharacter)
        }
        if characters.allSatisfy({ $0.isASCII }) {
            let words = trimmed.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count > 1 else { return PartialMask.apply(trimmed, keepFirst: 1, keepLast: 0, maskCharacter: maskCharacter) }
            // Romanised Chinese names come in either order (Zhang San, San Zhang): the
            // surname is the word that is one, when only the last is.
            let surnameLast = !pinyinSurnames.contains(words[0].lowercased()) && pinyinSurnames.contains(words[words.count - 1].lowercased())
            if surnameLast {
                return words.dropLast().map { masked(Array($0)[...], maskCharacter) }.joined(separator: " ") + " " + String(words[words.count - 1])
            }
            return String(words[0]) + " " + words.dropFirst().map { masked(Array($0)[...], maskCharacter) }.joined(separator: " ")
        }
        var twoCharacters = String(characters[0])
        twoCharacters.append(characters[1])
        let surnameLength = characters.count > 2 && compoundSurnames.contains(twoCharacters) ? 2 : 1
        var output = surnameLength == 2 ? twoCharacters : String(characters[0])
        output.append(masked(characters[surnameLength...], maskCharacter))
        return output
    }

    /// The common case — Han characters, perhaps with spaces — done on UTF-8 bytes, where
    /// each Han scalar is then a whole character; nil for anything else (Latin names,
    /// middle dots, combining marks), which takes the general path above.
    private static func hanName(_ name: String, maskCharacter: Character) -> String? {
        guard maskCharacter.unicodeScalars.count == 1 else { return nil }
        var maskText = String(maskCharacter)
        return maskText.withUTF8 { mask in
            ASCIIBytes.withBytes(name) { bytes -> String? in
                var index = 0
                var scalars = 0
                var hasHan = false
                var firstTwo: (UInt32, UInt32) = (0, 0)
                var firstTwoEnds = (0, 0)
                while index < bytes.count {
                    let lead = bytes[index]
                    let value: UInt32
                    let length: Int
                    // The string is valid UTF-8: a lead byte's continuation bytes are there.
                    switch lead {
                    case 0x20: (value, length) = (0x20, 1)
                    case 0xE0...0xEF:
                        value = UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
                        length = 3
                    case 0xF0...0xF4:
                        value =
                            UInt32(lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12 | UInt32(bytes[index + 2] & 0x3F) << 6
                            | UInt32(bytes[index + 3] & 0x3F)
                        length = 4
                    default: return nil
                    }
                    if value != 0x20 {
                        guard isHan(value) else { return nil }
                        hasHan = true
                    }
                    index += length
                    if scalars == 0 { (firstTwo.0, firstTwoEnds.0) = (value, index) }
                    if scalars == 1 { (firstTwo.1, firstTwoEnds.1) = (value, index) }
                    scalars += 1
                }
                guard hasHan, scalars > 1 else { return nil }
                let compound = scalars > 2 && compoundKeys.contains(pair(firstTwo.0, firstTwo.1))
                let kept = compound ? firstTwoEnds.1 : firstTwoEnds.0
                // Each masked character (three or four bytes) becomes one mask character
                // (at most four), each space a space: this bounds the output.
                return String(unsafeUninitializedCapacity: kept + (bytes.count - kept) * mask.count) { output in
                    for offset in 0..<kept { output[offset] = bytes[offset] }
                    var written = kept
                    index = kept
                    while index < bytes.count {
                        let lead = bytes[index]
                        if lead == 0x20 {
                            output[written] = 0x20
                            written += 1
                            index += 1
                        } else {
                            for byte in mask {
                                output[written] = byte
                                written += 1
                            }
                            index += lead >= 0xF0 ? 4 : 3
                        }
                    }
                    return written
                }
            }
        }
    }

    static func isHan(_ value: UInt32) -> Bool {
        switch value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F: return true
        default: return false
        }
    }

    private static func pair(_ first: UInt32, _ second: UInt32) -> UInt64 {
        UInt64(first) << 32 | UInt64(second)
    }

    /// ``compoundSurnames`` as pairs of scalar values, for the fast path.
    private static let compoundKeys: Set<UInt64> = Set(
        compoundSurnames.compactMap { surname in
            let scalars = Array(surname.unicodeScalars)
            return scalars.count == 2 ? pair(scalars[0].value, scalars[1].value) : nil
        })

    private static func masked(_ characters: ArraySlice<Character>, _ mask: Character) -> String {
        var output = ""
        for character in characters { output.append(character == " " ? " " : mask) }
        return output
    }
}
