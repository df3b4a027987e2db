import SluiceCore

/// A valid agreement in block style, one key per line, so tests can break one line and
/// know exactly which line the error must name.
enum AgreementFixtures {
    static let registry = AgencyRegistry(
        file: "agencies.yaml",
        agencies: [
            Agency(id: "district-psb", name: "江东区公安分局", roles: [.partner], certificate: "agencies/district-psb.pem"),
            Agency(
                id: "district-procuratorate", name: "江东区人民检察院", roles: [.partner],
                certificate: "agencies/district-procuratorate.pem"),
            Agency(id: "gateway-admin", name: "网关管理员", roles: [.admin], certificate: "agencies/gateway-admin.pem"),
        ])

    static let valid = """
        id: psb-household-check
        title: 户籍信息核查
        provider: district-psb
        consumer: district-procuratorate
        purpose: 刑事案件办理中核实当事人身份
        legal_basis: 《人民检察院刑事诉讼规则》
        valid_from: 2025-01-01
        valid_until: 2026-12-31
        status: active
        on_unlisted_field: reject
        crypto_profile: jose
        limits:
          max_records: 10000
          max_package_bytes: 10485760
          rate_per_minute: 120
        retention_days: 30
        fields:
          - name: case_no
            type: string
            required: true
          - name: name
            type: string
            mask: surname
          - name: id_number
            type: cn_id
            required: true
            mask: hash
          - name: phone
            type: cn_mobile
            mask: { partial: { keep_first: 3, keep_last: 4 } }
          - name: birth_date
            type: date
            mask: { generalize: year }
          - name: address
            type: string
            mask: { truncate: district }
          - name: notes
            type: text
            scan: true

        """

    /// `valid` with line `number` (1-based) replaced; nil removes the line.
    static func replacing(line number: Int, with text: String?) -> String {
        var lines = valid.components(separatedBy: "\n")
        if let text { lines[number - 1] = text } else { lines.remove(at: number - 1) }
        return lines.joined(separator: "\n")
    }

    /// `valid` with extra field entries appended to the whitelist.
    static func addingFields(_ yaml: String) -> String {
        valid + yaml + "\n"
    }

    /// Every problem, as the CLI prints it, or an empty list when the text is valid.
    static func problems(_ text: String, registry: AgencyRegistry? = registry) -> [String] {
        do {
            _ = try AgreementDecoder(registry: registry).decode(text, file: "a.yaml")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }
}
