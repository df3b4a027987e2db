import SluiceMasking

/// A case note for measuring name detection: names planted in the positions and forms
/// case files use (after a role, after 姓名, before a title or a bracketed ID number), or
/// a note with no name at all, full of place names and words that start with a surname
/// character. What name detection is measured on, by Sluice and by a peer tokenizer.
public struct FakeNameNote: Sendable {
    public var text: String
    /// The names written into the note, each as written.
    public var names: [String]
    /// Whether the note holds no name: everything found in it is a false positive.
    public var isDecoy: Bool { names.isEmpty }
}

extension FakeData {
    static let roleCues = [
        "当事人", "犯罪嫌疑人", "被告人", "被害人", "证人", "申请人", "法定代表人", "户主", "经办人", "联系人", "委托代理人",
        "报案人", "被申请人", "受害人", "车主",
    ]
    static let titles = ["先生", "女士", "同志"]
    /// Words that start with a surname character, and place names: none is a name.
    static let lookAlikeWords = [
        "张家港", "王府井", "高新区", "黄金", "石家庄", "江苏省", "南京市", "杭州市", "周边", "金额", "马上", "程序", "方式", "关系",
        "陈述", "时间", "明确", "安全", "文件", "成年", "严重", "任何", "余额", "项目", "海关", "云南", "武汉", "常州", "温州",
        "黄山", "金华", "龙岗", "宝安", "华侨", "信息", "车辆", "房屋", "单位", "钱款", "居住", "司机", "管理", "利益",
    ]
    static let lookAlikeSentences = [
        "当事人陈述如下：", "联系人方式不详，", "申请人于本月到庭，", "被告人表示认罪，", "证人证言一致，", "户主关系为本人，",
        "当事人应当到庭，", "经办人签字确认，", "车主信息已核实，", "被害人家属到场，",
    ]

    /// A note with one to four names in it, or (one time in three) a decoy note with none.
    public mutating func nameNote() -> FakeNameNote {
        if Int.random(in: 0..<3, using: &random) == 0 { return decoyNameNote() }
        var parts: [String] = [pick(["经查，", "据查，", "本案", "办案人员核实：", ""])]
        var names: [String] = []
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let name = name()
            names.append(name)
            switch Int.random(in: 0..<6, using: &random) {
            case 0, 1:
                parts.append(
                    pick(Self.roleCues) + pick(["", "：", ":", " ", "为"]) + name
                        + pick(["称其不知情，", "，男，", "于2024年3月到案，", "。", "（身份证号码略），", "表示认可，", "到场，"]))
            case 2: parts.append(pick(["联系了", "会见", "据", "经", "，"]) + name + pick(Self.titles) + pick(["称", "，", "表示"]))
            case 3: parts.append("姓名：" + name + pick(["；", "，", " "]))
            case 4: parts.append(pick(["涉案人员", "另查明", "其同伙"]) + name + "（身份证号" + residentID() + "）" + "，")
            default:
                // A second name after the first, without a cue of its own.
                let second = self.name()
                names.append(second)
                parts.append(pick(Self.roleCues) + name + pick(["与", "、"]) + second + "系同事，")
            }
            if Int.random(in: 0..<2, using: &random) == 0 { parts.append(pick(Self.lookAlikeSentences)) }
        }
        return FakeNameNote(text: parts.joined(), names: names)
    }

    /// A note with place names and surname-initial words, after cues and alone.
    public mutating func decoyNameNote() -> FakeNameNote {
        var parts: [String] = []
        for _ in 0..<Int.random(in: 2...5, using: &random) {
            parts.append(
                pick([
                    pick(Self.lookAlikeSentences),
                    "现住" + address() + "，",
                    pick(Self.lookAlikeWords) + pick(["一带", "附近", "的", "方面", "问题"]) + "，",
                    pick(["涉案", "查获", "扣押"]) + pick(Self.lookAlikeWords) + "若干，",
                ]))
        }
        return FakeNameNote(text: parts.joined(), names: [])
    }
}
