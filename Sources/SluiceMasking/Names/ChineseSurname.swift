/// The Chinese surnames name detection trusts: the single-character surnames of the
/// Hundred Family Surnames and of current population statistics (about 470), and the
/// compound ones ``SurnameMask`` keeps whole.
enum ChineseSurname {
    static let singles = HanCharacterSet(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由钮酆鄂糜巢韶蓟訾毋乜养须蒯后红竺益桓缑郈琴佴墨谯笪年言福"
    )

    /// The hundred most common surnames (the start of ``singles``), nine in ten people's.
    static let common = HanCharacterSet(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    )

    /// Surnames that are also everyday function words (于 "at", 和 "and", 向 "towards",
    /// 曾 "once", 都 "all" …): they start a name only behind a colon, when detection is
    /// cautious, or when what follows is made of ``givenNameCharacters``. 当事人于本月 is a
    /// date and 当事人和解 a settlement; 当事人于红 and 曾兰女士 are people.
    static let functionWords = HanCharacterSet("于和向由时曾都应全原相初来但尚常干於")

    /// Characters common in given names, for telling 于红 (a person) from 于次日 (a date)
    /// after a function-word surname.
    static let givenNameCharacters = HanCharacterSet(
        "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红梅文辉鹏飞宇浩然子涵欣怡思雨梓轩俊晨曦慧巧美淑惠珠翠雅芝娥玲芬燕彩春菊凤洁琳素云莲真环雪荣爱妹香月莺媛瑞凡佳嘉琼勤珍贞莉娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶婵雁蓓仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝阳妮宝贝梵罡恒鸿桦骅剑娇纪宽灵玛媚琪晴容睿烁堂唯威韦雯苇萱阅彦忠宗曼紫逸贤蝶菡儿毅峰保东力永健世广义兴良海山仁波贵福生龙元全胜学祥才发武新利清彬富顺信昌成康星光天达安岩中茂进林有坚彪博诚敬震振壮会群豪心邦承乐绍功松善厚庆民友裕河哲江亮政谦亨奇固翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭泽辰士家致树炎德泰盛雄琛钧冠策腾楠榕风航弘一诺墨沐宸熙昊皓铭煜奕佑凯祺晟烨洪畅颢琨瀚恺懿勋铠晖曜韬朔亦鑫源淼"
    )

    /// Whether two scalars form a compound surname (欧阳, 司马 …).
    static func isCompound(_ first: UInt32, _ second: UInt32) -> Bool {
        compoundPairs.contains(UInt64(first) << 32 | UInt64(second))
    }

    private static let compoundPairs: Set<UInt64> = Set(
        SurnameMask.compoundSurnames.compactMap { surname in
            let scalars = Array(surname.unicodeScalars)
            return scalars.count == 2 ? UInt64(scalars[0].value) << 32 | UInt64(scalars[1].value) : nil
        })
}
