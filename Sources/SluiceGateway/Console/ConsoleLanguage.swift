/// The console's languages: Chinese by default, English when asked (`lang=en`). Every
/// word a page shows comes from here, so the two stay complete side by side.
enum ConsoleLanguage: String, Sendable, CaseIterable {
    case zh
    case en

    /// `lang` from the query: anything but `en` is Chinese.
    init(query value: String?) {
        self = value == "en" ? .en : .zh
    }

    var htmlCode: String { self == .zh ? "zh-CN" : "en" }
    var words: ConsoleWords { self == .zh ? .chinese : .english }
}

/// The words of one language.
struct ConsoleWords: Sendable {
    var title: String
    var overview: String
    var entries: String
    var integrity: String
    var otherLanguage: String
    var signedInAs: String
    var period: String
    var from: String
    var to: String
    var show: String
    var packages: String
    var records: String
    var refusals: String
    var authenticationFailures: String
    var accessDenied: String
    var failures: String
    var unfetched: String
    var fetchedUnacknowledged: String
    var pastRetentionPerAgreement: String
    var unacknowledged: String
    var pastRetention: String
    var requestsOverdue: String
    var packagesPerDay: String
    var packagesPerAgreement: String
    var otherAgreements: String
    var refusalsByReason: String
    var securityPerDay: String
    var outstandingPerAgreement: String
    var nothingInPeriod: String
    var currentFigures: String
    var periodDays: String
    var actor: String
    var action: String
    var agreement: String
    var package: String
    var outcome: String
    var caseNumber: String
    var reason: String
    var since: String
    var until: String
    var any: String
    var filter: String
    var clear: String
    var sequence: String
    var time: String
    var nextPage: String
    var firstPage: String
    var exportJSONL: String
    var noEntries: String
    var entry: String
    var canonicalBytes: String
    var leafHash: String
    var inclusionProof: String
    var checking: String
    var latestCheckpoint: String
    var treeSize: String
    var signedAt: String
    var noCheckpoint: String
    var checkpointKey: String
    var checkpointKeyHelp: String
    var pinKey: String
    var lastVerification: String
    var noVerification: String
    var runVerification: String
    var passed: String
    var failed: String
    var keptCheckpoint: String
    var keptCheckpointHelp: String
    var checkConsistency: String
    var details: String
    var remoteAddress: String
    var requestID: String
    var version: String
    var entriesLabel: String
    var inBrowserNote: String
    var cutShort: String
    var requests: String
    var badFilter: String
    var openRequests: String
    var noRequests: String
    var parties: String
    var purpose: String
    var officer: String
    var subjects: String
    var created: String
    var deadline: String
    var state: String

    static let chinese = ConsoleWords(
        title: "Sluice 审计控制台", overview: "概览", entries: "审计记录", integrity: "完整性", otherLanguage: "English",
        signedInAs: "当前证书", period: "统计期间", from: "起", to: "止", show: "查看", packages: "数据包", records: "记录数",
        refusals: "拒绝", authenticationFailures: "身份认证失败", accessDenied: "越权访问被拒", failures: "网关内部失败",
        unfetched: "尚未取回的数据包", fetchedUnacknowledged: "已取回、未确认接收", pastRetentionPerAgreement: "各协议超过保存期限、尚待清除的数据包",
        unacknowledged: "未确认接收的数据包", pastRetention: "超过保存期限的数据包", requestsOverdue: "逾期未答复的数据请求",
        packagesPerDay: "每日各协议数据包", packagesPerAgreement: "各协议数据包（记录数）", otherAgreements: "其他协议", refusalsByReason: "拒绝原因",
        securityPerDay: "每日认证失败与越权访问", outstandingPerAgreement: "各协议当前尚未取回或未确认接收的数据包", nothingInPeriod: "本期间内无此类记录",
        currentFigures: "当前", periodDays: "天", actor: "操作者", action: "操作", agreement: "协议", package: "数据包",
        outcome: "结果", caseNumber: "案件编号", reason: "原因", since: "开始时间", until: "结束时间", any: "全部", filter: "筛选",
        clear: "清除", sequence: "序号", time: "时间", nextPage: "下一页", firstPage: "第一页", exportJSONL: "导出筛选结果（JSONL）",
        noEntries: "没有符合条件的记录", entry: "审计记录", canonicalBytes: "规范字节（叶子哈希所覆盖的原文）", leafHash: "叶子哈希",
        inclusionProof: "包含证明（在本浏览器中验证）", checking: "验证中…", latestCheckpoint: "最新签名检查点", treeSize: "日志条目数",
        signedAt: "签名时间", noCheckpoint: "尚未签署检查点", checkpointKey: "检查点验证公钥",
        checkpointKeyHelp: "证明以此公钥验证。请与您通过其他渠道获得的公钥核对；固定后，本浏览器将始终使用您固定的公钥。",
        pinKey: "固定此公钥", lastVerification: "最近一次完整验证", noVerification: "尚无完整验证记录", runVerification: "立即完整验证",
        passed: "通过", failed: "未通过", keptCheckpoint: "核对留存的检查点",
        keptCheckpointHelp: "粘贴合作方留存的签名检查点，或整份回执（取其中的检查点），在本浏览器中验证日志是否仍然包含它。",
        checkConsistency: "验证一致性证明", details: "详情", remoteAddress: "来源地址", requestID: "请求编号", version: "版本",
        entriesLabel: "条", inBrowserNote: "哈希与签名均由本浏览器（Web Crypto）计算，无需信任网关的结论。",
        cutShort: "本期间记录过多，以下数字仅统计了前", requests: "数据请求", badFilter: "筛选条件有误", openRequests: "待答复的请求（按期限）",
        noRequests: "没有符合条件的请求", parties: "请求方 → 提供方", purpose: "用途", officer: "经办人", subjects: "对象数",
        created: "提出时间", deadline: "答复期限", state: "状态")

    static let english = ConsoleWords(
        title: "Sluice audit console", overview: "Overview", entries: "Entries", integrity: "Integrity", otherLanguage: "中文",
        signedInAs: "Certificate", period: "Period", from: "From", to: "To", show: "Show", packages: "Packages", records: "Records",
        refusals: "Refusals", authenticationFailures: "Failed authentications", accessDenied: "Access denied", failures: "Gateway failures",
        unfetched: "Packages not yet fetched", fetchedUnacknowledged: "fetched, not yet acknowledged",
        pastRetentionPerAgreement: "Packages past retention, not yet purged, per agreement (now)", unacknowledged: "Packages not yet acknowledged",
        pastRetention: "Packages past retention", requestsOverdue: "Requests overdue",
        packagesPerDay: "Packages per day and agreement", packagesPerAgreement: "Packages per agreement (records)",
        otherAgreements: "other agreements", refusalsByReason: "Refusals by reason",
        securityPerDay: "Failed authentications and denied access per day",
        outstandingPerAgreement: "Packages not yet fetched or acknowledged, per agreement (now)", nothingInPeriod: "None in this period",
        currentFigures: "now", periodDays: "days", actor: "Actor", action: "Action", agreement: "Agreement", package: "Package",
        outcome: "Outcome", caseNumber: "Case number", reason: "Reason", since: "Since", until: "Until", any: "any", filter: "Filter",
        clear: "Clear", sequence: "No.", time: "Time", nextPage: "Next page", firstPage: "First page",
        exportJSONL: "Export these entries (JSONL)", noEntries: "No entries match", entry: "Audit entry",
        canonicalBytes: "Canonical bytes (exactly what the leaf hashes)", leafHash: "Leaf hash",
        inclusionProof: "Inclusion proof (checked in this browser)", checking: "Checking…", latestCheckpoint: "Latest signed checkpoint",
        treeSize: "Entries in the log", signedAt: "Signed at", noCheckpoint: "No checkpoint signed yet", checkpointKey: "Checkpoint verifier key",
        checkpointKeyHelp:
            "Proofs are checked with this key. Compare it with the key you received another way; once pinned, this browser always uses your pinned key.",
        pinKey: "Pin this key", lastVerification: "Last full verification", noVerification: "No full verification recorded yet",
        runVerification: "Run a full verification now", passed: "passed", failed: "failed", keptCheckpoint: "Check a kept checkpoint",
        keptCheckpointHelp:
            "Paste a signed checkpoint a partner kept, or a whole receipt (its checkpoint is taken), to check in this browser that the log still contains it.",
        checkConsistency: "Check the consistency proof", details: "Details", remoteAddress: "Remote address", requestID: "Request id",
        version: "Version", entriesLabel: "entries",
        inBrowserNote: "Hashes and signatures are computed by this browser (Web Crypto): no need to take the gateway's word.",
        cutShort: "The period holds more entries than one overview reads: the figures below count only the first",
        requests: "Requests", badFilter: "A filter is not one the timeline takes", openRequests: "Open requests, by deadline",
        noRequests: "No requests match",
        parties: "Consumer → provider", purpose: "Purpose", officer: "Officer", subjects: "Subjects", created: "Made",
        deadline: "Deadline", state: "State")
}
