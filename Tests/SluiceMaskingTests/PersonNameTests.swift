import Testing

@testable import SluiceMasking

@Suite struct PersonNameTests {
    func masked(_ text: String, cautious: Bool = false) -> String {
        var counts: [DetectionKind: Int] = [:]
        return TextScanner(cautious: cautious).masked(text, counts: &counts)
    }

    func names(_ text: String, cautious: Bool = false) -> Int {
        TextScanner(cautious: cautious).detections(in: text).filter { $0.kind == .personName }.count
    }

    @Test(arguments: [
        ("当事人张三称其不知情", "当事人张*称其不知情"),
        ("犯罪嫌疑人：欧阳明辉，男", "犯罪嫌疑人：欧阳**，男"),
        ("联系人为李四，", "联系人为李*，"),
        ("被告人 王淑珍 于2024年到案", "被告人 王** 于2024年到案"),
        ("姓名：张淑珍；", "姓名：张**；"),
        ("法定代表人赵建国签字", "法定代表人赵**签字"),
        ("户主孙丽，", "户主孙*，"),
        ("当事人：于伟", "当事人：于*"),
        ("请联系陈芳女士核实", "请联系陈*女士核实"),
        ("会见王小明先生。", "会见王**先生。"),
        ("诸葛孔明先生", "诸葛**先生"),
        ("和张三同志", "和张*同志"),
        ("经查刘德华（身份证号码略）", "经查刘**（身份证号码略）"),
        ("当事人张\u{200B}三称", "当事人张*称"),
        ("当事人张 三 丰。", "当事人张 * *。"),
    ])
    func cueBackedNamesKeepOnlyTheSurname(text: String, expected: String) {
        #expect(masked(text) == expected)
    }

    @Test(arguments: [
        "当事人陈述如下", "当事人张某某称", "当事人王某到案", "当事人于本月到案", "申请人高新区分局", "联系人方式不详",
        "证人证言", "户主关系为本人", "当事人车辆停放在王府井", "张家港市人民法院", "黄金首饰一批", "王府井大街",
        "高新区管委会", "当事人应当到庭", "张先生", "李女士", "当事人都在场", "当事人杭州市人", "被告人张家港市人",
    ])
    func wordsAndPlacesAreNotNames(text: String) {
        #expect(names(text) == 0)
        #expect(masked(text) == text)
    }

    @Test func cautiousGoesFurther() {
        // A function-word surname before what reads as a given name is a name either way.
        #expect(names("当事人于伟") == 1)
        #expect(names("当事人于次日到案") == 0)
        #expect(names("当事人于次日到案", cautious: true) == 1)
        #expect(names("张三身份证号码为") == 0)
        #expect(masked("张三身份证号码为", cautious: true) == "张*身份证号码为")
        #expect(names("朋友刘洋") == 0)
        #expect(names("朋友刘洋", cautious: true) == 1)
        #expect(names("张家港王府井高新区黄金", cautious: true) == 0)
    }

    @Test func namesAreCountedBesideNumbers() {
        var counts: [DetectionKind: Int] = [:]
        let text = "当事人李伟，手机13812345678，其妻王芳女士"
        let result = TextScanner().masked(text, counts: &counts)
        #expect(result == "当事人李*，手机138****5678，其妻王*女士")
        #expect(counts[.personName] == 2)
        #expect(counts[.mobile] == 1)
    }
}

extension PersonNameTests {
    @Test func aCueCoversAList() {
        #expect(masked("被告人张三、李四与王五到案") == "被告人张*、李*与王*到案")
        #expect(masked("会见于伟先生") == "会见于*先生")
        #expect(masked("和张先生") == "和张先生")
    }
}
