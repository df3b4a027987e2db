import SluiceCore
import Testing

@testable import SluiceMasking

@Suite struct StreetAddressTests {
    func masked(_ text: String, level: MaskRule.AddressLevel = .district) -> String {
        var counts: [DetectionKind: Int] = [:]
        return TextScanner(addressLevel: level).masked(text, counts: &counts)
    }

    @Test(arguments: [
        ("现住浙江省杭州市西湖区文三路90号。", "现住浙江省杭州市西湖区。"),
        ("现住浙江省杭州市西湖区文三路90号3幢2单元201室，", "现住浙江省杭州市西湖区，"),
        ("家住杭州市西湖区文三路90号", "家住杭州市西湖区"),
        ("住在西湖区翠苑小区5栋301室。", "住在西湖区。"),
        ("户籍地北京市朝阳区建国路88号院3号楼", "户籍地北京市朝阳区"),
        ("现住广东省深圳市南山区科技园路1-2号。", "现住广东省深圳市南山区。"),
        ("住址：四川省成都市武侯区人民路九十号", "住址：四川省成都市武侯区"),
        ("现住江苏省南京市玄武区长江路12号，电话13812345678", "现住江苏省南京市玄武区，电话138****5678"),
    ])
    func streetAddressesAreCutToTheDistrict(text: String, expected: String) {
        #expect(masked(text) == expected)
    }

    @Test func theAgreementsLevelDecides() {
        #expect(masked("现住浙江省杭州市西湖区文三路90号。", level: .city) == "现住浙江省杭州市。")
        #expect(masked("现住浙江省杭州市西湖区文三路90号。", level: .province) == "现住浙江省。")
        #expect(masked("家住杭州市西湖区文三路90号。", level: .city) == "家住杭州市。")
    }

    @Test(arguments: [
        "案号(2025)浙0106刑初145号", "身份证号码为空", "杭州市西湖区人民法院", "张家港市", "3号楼", "第5号文件", "编号A12号",
        "会议在杭州市西湖区召开", "浙江省杭州市", "账号已冻结",
    ])
    func placesWithoutAStreetAndNumberStay(text: String) {
        #expect(masked(text) == text)
        #expect(!TextScanner().detections(in: text).contains { $0.kind == .address })
    }

    @Test func addressesAreCounted() {
        var counts: [DetectionKind: Int] = [:]
        _ = TextScanner().masked("现住浙江省杭州市西湖区文三路90号，原住上海市浦东新区世纪大道100号", counts: &counts)
        #expect(counts[.address] == 2)
    }
}
