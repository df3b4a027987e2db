import SluiceCore

/// Chinese personal names in free text that a cue vouches for: a role case files
/// introduce people by (当事人, 犯罪嫌疑人, 联系人 …, with or without a colon), the label
/// 姓名, a title after the name (先生, 女士, 同志 …), or an ID number in brackets right
/// after it (`张三（身份证号…）`). The name must start with a known surname
/// (``ChineseSurname``) and has one or two given-name characters.
///
/// A careful clerk's reading, not a dictionary's: the cue makes it a name, the surname
/// list and a list of everyday words that start with a surname character (陈述, 方式,
/// 张家港, 黄金) keep 当事人陈述 and 联系人高新区 as they are. Without a cue nothing is
/// reported: text full of place names stays whole. `cautious` goes further: surnames that
/// are also function words (于, 和) without a colon, relations (朋友, 同事) as cues, and a
/// name right before 身份证, 手机 or 电话.
///
/// A name written `张某` or `张某某` is already anonymised and left alone. Pure: reads
/// width-folded UTF-8 (see ``WidthNormalization``), returns byte ranges.
public enum PersonName {
    /// What the pass over Han characters found: a name, or a number spelled in Chinese
    /// numerals (``ChineseNumerals``) with the digits it reads as.
    struct Match: Equatable {
        var range: Range<Int>
        var kind: DetectionKind = .personName
        /// A spelled number's digits, which its kind's mask is applied to.
        var digits: [UInt8] = []
        /// What an address keeps of itself, written as is.
        var address: StreetAddress.Kept? = nil
    }

    /// Cues that stand right before a name.
    static let leadingCues = [
        "当事人", "犯罪嫌疑人", "嫌疑人", "被告人", "被告", "原告", "被害人", "受害人", "证人", "见证人", "申请人", "被申请人",
        "申请执行人", "被执行人", "法定代表人", "代表人", "户主", "经办人", "联系人", "负责人", "委托人", "受托人", "代理人",
        "报案人", "报警人", "举报人", "投诉人", "被投诉人", "上诉人", "被上诉人", "第三人", "被调查人", "行为人", "违法行为人",
        "被处罚人", "涉案人", "监护人", "担保人", "保证人", "借款人", "出借人", "收款人", "付款人", "持卡人", "开户人", "户名",
        "承办人", "办案人", "记录人", "询问人", "被询问人", "讯问人", "被讯问人", "驾驶人", "驾驶员", "车主", "房主", "业主",
        "承租人", "出租人", "购买人", "收件人", "寄件人", "签收人", "领取人", "纳税人", "求助人", "姓名", "死者", "伤者",
        "患者", "配偶", "丈夫", "妻子", "父亲", "母亲", "儿子", "女儿", "其妻", "其夫", "其子", "其女", "民警", "法官",
        "检察官", "书记员",
    ]
    /// Cues that make a name only when detection is cautious.
    static let cautiousLeadingCues = ["朋友", "同事", "同学", "邻居", "员工", "职工", "学生", "亲属", "家属", "亲戚", "客户"]
    /// Titles and brackets that stand right after a name (`(` is the folded `（`).
    static let trailingCues = [
        "先生", "女士", "同志", "小姐", "老师", "律师", "警官", "医生", "师傅", "(身份证", "(公民身份", "(身份号码", "(证件号",
    ]
    static let cautiousTrailingCues = ["身份证", "公民身份", "手机", "联系电话", "电话", "住址", "户籍", "(男", "(女"]

    /// Characters that end a given name: what follows a name in a case note (verbs of
    /// saying, prepositions, the start of the next label) rather than belongs to it.
    static let stops = HanCharacterSet(
        "称说于在因的与和及等系是为已将被向对从到自曾现所之也都又就即均并男女身住户籍出涉持驾家某年月日经无不未了着过今当后前时名人供述证报案诉讲讯问联电手号码址地工职民族岁先律老医警法检师本其该此共同表签确核认提要请去作做拒承交领离回返入告辩坦否知看听找打借欠收付买卖偷抢骗市省区县镇乡村路街道巷弄号楼室"
    )
    /// Everyday words (two characters) and place names (three) that start with a surname
    /// character: after a cue they are what the sentence says, not a name.
    static let words =
        "陈述 陈列 高度 高于 高达 高额 高速 高级 高中 高校 高新 方式 方面 方法 方向 方便 方案 关系 关于 关注 关联 关闭 关键 时间 时候 时许 常住 常年 常用 全部 全体 全面 全额 原因 原告 原来 原籍 原件 相关 相应 相同 初步 初次 来到 来自 来电 来源 曾经 都是 应当 应该 但是 尚未 平时 平台 明确 明显 明知 明细 安排 安全 安装 安置 文件 文书 文化 成功 成为 成年 成立 成员 石油 石头 金额 金融 黄金 周围 周边 周末 周岁 马上 程序 余额 任何 任职 任务 万元 项目 严重 严格 强调 强行 强制 国籍 国家 信息 信用 车辆 房屋 单位 钱款 付款 居住 解释 申请 申辩 申报 司机 管理 戴着 路过 连续 连同 包括 左手 计划 宣称 谈话 查询 查看 查明 迟延 迟到 封存 利用 利益 居然 何时 何处 何种 石家 江苏 江西 海南 海外 海关 海淀 云南 杭州 苏州 吉林 黄山 黄浦 金华 南京 南昌 南宁 南通 南山 武汉 武昌 武侯 常州 徐州 徐汇 温州 惠州 郑州 包头 柳州 桂林 海口 成都 兰州 银川 安庆 黄石 荆州 岳阳 常德 衡阳 邵阳 江门 梅州 云浮 龙华 罗湖 宝安 龙岗 杨浦 闵行 宝山 金山 奉贤 房山 平谷 华为 华夏 华侨 中国 公司 公安 公民 公积 公证 公开 公共 支付 支持 银行 师傅 商户 商品 商务 商业 于是 毛利 谷歌 燕郊 "
        + "张家港 张家口 张家界 王府井 石家庄 秦皇岛 高新区 乌鲁木"

    /// Every cue-backed name in `text`, in order, none overlapping.
    /// `addressLevel` nil: no street addresses are looked for.
    static func matches(in text: UnsafeBufferPointer<UInt8>, cautious: Bool, addressLevel: MaskRule.AddressLevel? = .district) -> [Match] {
        var found: [Match] = []
        var floor = 0
        var index = 0
        let count = text.count
        // One bit test per character decides whether it can end a leading cue, start a
        // trailing one, spell a number or end a house number; most characters can do none.
        // The sets, read once through one static: each read of a static checks its
        // initialiser, and the cues' arrays are only read at a candidate.
        let sets = CueTable.passSets
        let candidates = cautious ? sets.cautiousCandidates.words : sets.strictCandidates.words
        let (numerals, anchors) = (sets.numerals, sets.anchors)
        let (penultimates, seconds, singles) = (sets.leadPenultimates, sets.trailSeconds, sets.trailSingles)
        // Every step reads three bytes as if they were a three-byte character and tests
        // the bit, without branching on what the lead byte is: mixed Chinese and digits
        // made a branch per character mispredict at every change. Only a hit is checked.
        @inline(__always) func bit(_ at: Int) -> UInt64 {
            let scalar = UInt32(text[at] & 0x0F) << 12 | UInt32(text[at + 1] & 0x3F) << 6 | UInt32(text[at + 2] & 0x3F)
            return candidates[Int(scalar) >> 6] >> UInt64(scalar & 63)
        }
        while index + 3 <= count {
            // Four three-byte characters at a time, one branch for all four, while the text
            // is a run of them (as Chinese prose mostly is); at a candidate, straight to it.
            while index + 12 <= count {
                let (a, b, c, d) = (text[index], text[index + 3], text[index + 6], text[index + 9])
                guard (a & b & c & d) & 0xF0 == 0xE0, (a | b | c | d) & 0xF0 == 0xE0 else { break }
                let hits = bit(index) & 1 | (bit(index + 3) & 1) << 1 | (bit(index + 6) & 1) << 2 | (bit(index + 9) & 1) << 3
                if hits != 0 {
                    index += 3 * hits.trailingZeroBitCount
                    break
                }
                index += 12
            }
            guard index + 3 <= count else { break }
            let lead = text[index]
            if lead < 0x80 {
                // Runs of digits and Latin letters are skipped eight bytes at a time.
                index = ASCIIBytes.next(ascii: false, in: text, from: index + 1)
                continue
            }
            let scalar = UInt32(lead & 0x0F) << 12 | UInt32(text[index + 1] & 0x3F) << 6 | UInt32(text[index + 2] & 0x3F)
            let threeBytes: UInt64 = lead & 0xF0 == 0xE0 ? 1 : 0
            let hit = (candidates[Int(scalar) >> 6] >> UInt64(scalar & 63)) & threeBytes
            guard hit != 0 else {
                index += Self.step(lead)
                continue
            }
            // A house number or room has digits or numerals right before its 号 or 室 (身份证号
            // has not): only then is the address looked for.
            if let addressLevel, anchors.contains(scalar), index > floor,
                ASCIIBytes.isAlphanumeric(text[index - 1])
                    || (index >= 3 && (numerals.contains(Self.scalar3(text, index - 3)) || Self.scalar3(text, index - 3) == 0x5341)),
                let address = StreetAddress.match(text, anchor: index, floor: floor, level: addressLevel)
            {
                found.append(Match(range: address.range, kind: .address, address: address.kept))
                floor = address.range.upperBound
                index = floor
                continue
            }
            if numerals.contains(scalar) {
                if let number = Self.spelledNumber(text, from: index, after: floor, cautious: cautious) {
                    found.append(number)
                    floor = number.range.upperBound
                    index = floor
                    continue
                }
                // A numeral can also end a cue (一 never does) or start a title.
            }
            // A cue's other character next to this one decides whether to look further:
            // 人 ends 当事人 and 联系人, but far more often 个人 and 人员.
            let previous = index >= 3 ? Self.scalar3(text, index - 3) : 0
            let next = index + 6 <= count ? Self.scalar3(text, index + 3) : 0
            if penultimates.contains(previous),
                let (after, colon) = CueTable.leads(text, endingAt: index + 3, last: scalar, cautious: cautious, in: CueTable.leading),
                var name = nameAfter(text, from: after, colon: colon, cautious: cautious)
            {
                // The cue covers a list: 被告人张三、李四与王五.
                while true {
                    found.append(name)
                    floor = name.range.upperBound
                    guard floor + 3 <= text.count, [0x3001, 0x4E0E, 0x548C, 0x53CA].contains(scalar3(text, floor)),
                        let next = nameAfter(text, from: floor + 3, colon: false, cautious: cautious)
                    else { break }
                    name = next
                }
                index = floor
                continue
            }
            if seconds.contains(next) || singles.contains(scalar),
                let cueStart = CueTable.trails(text, at: index, cautious: cautious, in: CueTable.trailing),
                let name = nameBefore(text, end: cueStart, floor: floor)
            {
                found.append(name)
                floor = name.range.upperBound
            }
            index += 3
        }
        return found
    }

    /// A number spelled in numerals from `start`, when the run before it is not numerals
    /// too and the number detectors read its digits whole as one kind.
    private static func spelledNumber(_ text: UnsafeBufferPointer<UInt8>, from start: Int, after floor: Int, cautious: Bool) -> Match? {
        if start >= 3, start - 3 >= floor, ChineseNumerals.characters.contains(scalar3(text, start - 3)) { return nil }
        guard let (range, digits) = ChineseNumerals.run(text, from: start) else { return nil }
        let found = digits.withUnsafeBufferPointer { TextScanner(cautious: cautious).numberMatches(in: $0) }
        guard found.count == 1, found[0].range == 0..<digits.count else { return nil }
        return Match(range: range, kind: found[0].kind, digits: digits)
    }

    /// The length of the UTF-8 sequence a byte leads (1 for a stray continuation byte),
    /// from a table of its high four bits.
    @inline(__always) static func step(_ lead: UInt8) -> Int {
        // Four bits per entry, high nibbles 0x0…0xF: 1 ×12, 2 ×2, 3, 4.
        Int((0x4322_1111_1111_1111 as UInt64) >> (UInt64(lead >> 4) * 4) & 0xF)
    }

    /// The name starting at `start` (after a cue and its colon), or nil.
    private static func nameAfter(_ text: UnsafeBufferPointer<UInt8>, from start: Int, colon: Bool, cautious: Bool) -> Match? {
        guard let (first, firstLength) = han(text, at: start) else { return nil }
        var surnameLength = firstLength
        if let (second, secondLength) = han(text, at: start + firstLength), ChineseSurname.isCompound(first, second) {
            surnameLength += secondLength
        } else {
            guard ChineseSurname.singles.contains(first) else { return nil }
        }
        var end = start + surnameLength
        var given: [UInt32] = []
        var spaced = false
        while given.count < 2 {
            var position = end
            var space = false
            if position < text.count, text[position] == 0x20, given.isEmpty || spaced {
                position += 1
                space = true
            }
            guard let (character, length) = han(text, at: position), !stops.contains(character) else { break }
            if given.isEmpty { spaced = space }
            given.append(character)
            end = position + length
        }
        guard let firstGiven = given.first else { return nil }
        if surnameLength == firstLength {
            if isWord(first, firstGiven, given.count > 1 ? given[1] : nil) { return nil }
            if ChineseSurname.functionWords.contains(first), !colon, !cautious, !Self.lookGiven(given[...]) { return nil }
        }
        return Match(range: start..<end)
    }

    /// The name ending at `end` (before a title), not reaching back before `floor`.
    private static func nameBefore(_ text: UnsafeBufferPointer<UInt8>, end: Int, floor: Int) -> Match? {
        // Up to four Han characters back: a compound surname and two given characters.
        var characters: [(scalar: UInt32, start: Int)] = []
        var position = end
        while characters.count < 4, position > floor {
            var start = position - 1
            while start > floor, text[start] & 0xC0 == 0x80 { start -= 1 }
            guard let (scalar, length) = han(text, at: start), start + length == position else { break }
            characters.insert((scalar, start), at: 0)
            position = start
        }
        let n = characters.count
        func given(_ range: Range<Int>) -> Bool {
            range.allSatisfy { !stops.contains(characters[$0].scalar) && characters[$0].scalar != 0x67D0 }
        }
        func match(from first: Int, surname: Int) -> Match {
            let start = characters[first].start
            return Match(range: start..<end)
        }
        if n == 4, ChineseSurname.isCompound(characters[0].scalar, characters[1].scalar), given(2..<4) { return match(from: 0, surname: 2) }
        if n >= 3, ChineseSurname.isCompound(characters[n - 3].scalar, characters[n - 2].scalar), given(n - 1..<n) {
            return match(from: n - 3, surname: 2)
        }
        // A function word before a name is the function word (和张三先生, 向李女士) unless
        // what follows it reads as a given name (曾军勇女士, 于伟先生).
        func plausible(_ surname: Int) -> Bool {
            ChineseSurname.functionWords.contains(characters[surname].scalar)
                ? lookGiven(characters[(surname + 1)...].map(\.scalar)[...]) : true
        }
        // 查明王芳女士: a rare surname before a common one is the end of a word (查明), and
        // the name is the two characters after it.
        let rareBeforeCommon =
            n >= 3 && !ChineseSurname.common.contains(characters[n - 3].scalar)
            && ChineseSurname.common.contains(characters[n - 2].scalar)
        if n >= 3, !rareBeforeCommon {
            let surname = characters[n - 3].scalar
            if ChineseSurname.singles.contains(surname), plausible(n - 3), given(n - 2..<n),
                !isWord(surname, characters[n - 2].scalar, characters[n - 1].scalar)
            {
                return match(from: n - 3, surname: 1)
            }
        }
        if n >= 2 {
            let (surname, last) = (characters[n - 2].scalar, characters[n - 1].scalar)
            if ChineseSurname.singles.contains(surname), plausible(n - 2), given(n - 1..<n), !isWord(surname, last, nil) {
                return match(from: n - 2, surname: 1)
            }
        }
        return nil
    }

    /// Whether every character reads as part of a given name.
    private static func lookGiven(_ characters: ArraySlice<UInt32>) -> Bool {
        characters.allSatisfy { ChineseSurname.givenNameCharacters.contains($0) }
    }

    /// Whether a reading is a word or place name, not a name. A two-character word with a
    /// third character that reads as a given name is a name that starts like a word (金华萍,
    /// but 金华市, 黄金首饰).
    private static func isWord(_ surname: UInt32, _ given: UInt32, _ second: UInt32?) -> Bool {
        let table = CueTable.shared
        if let second {
            if table.wordTriples.contains(UInt64(surname) << 42 | UInt64(given) << 21 | UInt64(second)) { return true }
            if lookGiven([given, second]) { return false }
        }
        return table.wordPairs.contains(UInt64(surname) << 21 | UInt64(given))
    }

    /// The Han character ending at `end`, not starting before `floor`, and its length.
    static func hanBefore(_ text: UnsafeBufferPointer<UInt8>, _ end: Int, floor: Int) -> (UInt32, Int)? {
        var start = end - 1
        while start > floor, text[start] & 0xC0 == 0x80 { start -= 1 }
        guard start >= floor, let (scalar, length) = han(text, at: start), start + length == end else { return nil }
        return (scalar, length)
    }

    /// The Han character at `index` (CJK unified ideographs and their extensions) and its
    /// length in bytes, or nil.
    @inline(__always) static func han(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int)? {
        guard index < text.count else { return nil }
        let lead = text[index]
        if lead & 0xF0 == 0xE0, index + 3 <= text.count {
            let scalar = scalar3(text, index)
            return (0x3400...0x4DBF).contains(scalar) || (0x4E00...0x9FFF).contains(scalar) || (0xF900...0xFAFF).contains(scalar)
                ? (scalar, 3) : nil
        }
        if lead & 0xF8 == 0xF0, index + 4 <= text.count {
            let scalar =
                UInt32(lead & 0x07) << 18 | UInt32(text[index + 1] & 0x3F) << 12 | UInt32(text[index + 2] & 0x3F) << 6
                | UInt32(text[index + 3] & 0x3F)
            return (0x20000...0x3134F).contains(scalar) ? (scalar, 4) : nil
        }
        return nil
    }

    @inline(__always) static func scalar3(_ text: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt32 {
        UInt32(text[index] & 0x0F) << 12 | UInt32(text[index + 1] & 0x3F) << 6 | UInt32(text[index + 2] & 0x3F)
    }

    /// The cues and word lists as the scan reads them.
    struct CueTable: Sendable {
        static let shared = CueTable()

        /// The last characters of leading cues and the first of trailing ones, for each mode.
        static let strictCandidates = HanCharacterSet(
            leadingCues.map { String($0.unicodeScalars.last!) } + trailingCues.map(firstHan) + [numerals, StreetAddress.anchors])
        static let cautiousCandidates = HanCharacterSet(
            leadingCues.map { String($0.unicodeScalars.last!) } + trailingCues.map(firstHan) + [numerals, StreetAddress.anchors]
                + cautiousLeadingCues.map { String($0.unicodeScalars.last!) } + cautiousTrailingCues.map(firstHan))

        private static let numerals = "〇零洞一幺壹二贰三叁四肆五伍六陆七柒八捌玖九"

        /// The sets the pass tests at every character or candidate, as one value: pointers
        /// only, so reading it costs no reference counting.
        struct PassSets: Sendable {
            let strictCandidates: HanCharacterSet
            let cautiousCandidates: HanCharacterSet
            let numerals: HanCharacterSet
            let anchors: HanCharacterSet
            let leadPenultimates: HanCharacterSet
            let trailSeconds: HanCharacterSet
            let trailSingles: HanCharacterSet
        }

        static let passSets = PassSets(
            strictCandidates: strictCandidates, cautiousCandidates: cautiousCandidates, numerals: ChineseNumerals.characters,
            anchors: StreetAddress.anchorCharacters, leadPenultimates: leadPenultimates, trailSeconds: trailSeconds,
            trailSingles: trailSingles)

        /// The second-to-last characters of leading cues, and the second Han characters of
        /// trailing ones: tested before any cue is compared.
        static let leadPenultimates = HanCharacterSet(
            (leadingCues + cautiousLeadingCues).map { cue in
                let scalars = Array(cue.unicodeScalars)
                return String(scalars[scalars.count - 2])
            })
        static let trailSeconds = HanCharacterSet(
            (trailingCues + cautiousTrailingCues).compactMap { cue in
                let han = Array(cue.unicodeScalars.filter { !$0.isASCII })
                return han.count > 1 ? String(han[1]) : nil
            })
        /// The keys of trailing cues with one Han character (`(男`): no second to test.
        static let trailSingles = HanCharacterSet(
            (trailingCues + cautiousTrailingCues).compactMap { cue in
                let han = Array(cue.unicodeScalars.filter { !$0.isASCII })
                return han.count == 1 ? String(han[0]) : nil
            })

        /// A trailing cue is recognised at its first Han character (after any bracket).
        private static func firstHan(_ cue: String) -> String { String(cue.unicodeScalars.first { !$0.isASCII }!) }

        struct Cue {
            /// The Han character the scan stops at: a leading cue's last, a trailing cue's first.
            var key: UInt32
            var bytes: [UInt8]
            var bracket: Bool
            var cautious: Bool
        }

        /// The cues in buckets by their key character, and each character's bucket (0: none)
        /// in a table over the plane read through a pointer: a `Dictionary` lookup per
        /// candidate character (15 % of a note's characters) cost more than the pass.
        struct Buckets: @unchecked Sendable {
            let bucket: UnsafePointer<UInt8>
            let cues: [[Cue]]

            init(_ cues: [Cue]) {
                let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x10000)
                table.initialize(repeating: 0, count: 0x10000)
                var grouped: [[Cue]] = [[]]
                for cue in cues where cue.key <= 0xFFFF {
                    if table[Int(cue.key)] == 0 {
                        table[Int(cue.key)] = UInt8(grouped.count)
                        grouped.append([])
                    }
                    grouped[Int(table[Int(cue.key)])].append(cue)
                }
                bucket = UnsafePointer(table)
                self.cues = grouped
            }

            @inline(__always) func cues(for scalar: UInt32) -> [Cue]? {
                guard scalar <= 0xFFFF else { return nil }
                let index = Int(bucket[Int(scalar)])
                return index == 0 ? nil : cues[index]
            }
        }

        /// The leading cues by their last character, longest first (被申请人 before 申请人):
        /// a character that can end a cue is compared with the few that end there.
        static let leading = Buckets(
            (leadingCues.map { ($0, false) } + cautiousLeadingCues.map { ($0, true) })
                .map { Cue(key: $0.0.unicodeScalars.last!.value, bytes: Array($0.0.utf8), bracket: false, cautious: $0.1) }
                .sorted { $0.bytes.count > $1.bytes.count })
        /// The trailing cues by their first Han character.
        static let trailing = Buckets(
            (trailingCues.map { ($0, false) } + cautiousTrailingCues.map { ($0, true) }).map {
                Cue(key: $0.0.unicodeScalars.first { !$0.isASCII }!.value, bytes: Array($0.0.utf8), bracket: $0.0.hasPrefix("("), cautious: $0.1)
            })
        let wordPairs: Set<UInt64>
        let wordTriples: Set<UInt64>

        init() {
            var pairs = Set<UInt64>()
            var triples = Set<UInt64>()
            for word in words.split(separator: " ") {
                let scalars = word.unicodeScalars.map { UInt64($0.value) }
                if scalars.count == 2 { pairs.insert(scalars[0] << 21 | scalars[1]) }
                if scalars.count == 3 { triples.insert(scalars[0] << 42 | scalars[1] << 21 | scalars[2]) }
            }
            wordPairs = pairs
            wordTriples = triples
        }

        /// Whether a leading cue ends at `end` (its last character `last`), and if so where
        /// the name would start: after a colon, spaces, or one of 为 / 是 / 系.
        static func leads(_ text: UnsafeBufferPointer<UInt8>, endingAt end: Int, last: UInt32, cautious: Bool, in leading: Buckets)
            -> (Int, colon: Bool)?
        {
            guard let cues = leading.cues(for: last) else { return nil }
            for cue in cues where cautious || !cue.cautious {
                let start = end - cue.bytes.count
                guard start >= 0, cue.bytes.indices.allSatisfy({ text[start + $0] == cue.bytes[$0] }) else { continue }
                var position = end
                var colon = false
                while position < text.count {
                    if text[position] == 0x20 || text[position] == UInt8(ascii: ":") {
                        colon = colon || text[position] != 0x20
                        position += 1
                    } else if position + 3 <= text.count, text[position] == 0xEF, text[position + 1] == 0xBC, text[position + 2] == 0x9A {
                        colon = true
                        position += 3
                    } else {
                        break
                    }
                }
                if !colon, position + 3 <= text.count, [0x4E3A, 0x662F, 0x7CFB].contains(PersonName.scalar3(text, position)) {
                    position += 3
                }
                return (position, colon)
            }
            return nil
        }

        /// Where the trailing cue that continues at `index` starts (its bracket, if it has
        /// one, is the byte before), or nil when none does.
        static func trails(_ text: UnsafeBufferPointer<UInt8>, at index: Int, cautious: Bool, in trailing: Buckets) -> Int? {
            let key = PersonName.scalar3(text, index)
            guard let cues = trailing.cues(for: key) else { return nil }
            for cue in cues where cautious || !cue.cautious {
                let start = cue.bracket ? index - 1 : index
                guard start >= 0, start + cue.bytes.count <= text.count,
                    cue.bytes.indices.allSatisfy({ text[start + $0] == cue.bytes[$0] })
                else { continue }
                return start
            }
            return nil
        }
    }
}
