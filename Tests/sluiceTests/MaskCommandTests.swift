import Foundation
import Testing

@Suite("sluice mask") struct MaskCommandTests {
    /// Two household records with valid check characters (GB 11643's own examples).
    static let sample = """
        {"case_no":"A1","name":"欧阳娜娜","id_number":"11010519491231002X","phone":"+86 138-1234-5678","birth_date":"1949-12-31","household_address":"北京市朝阳区建国路88号","notes":"另一证件440524188001010014。"}
        {"case_no":"A2","name":"张三","id_number":"440524188001010014","household_address":"浙江省杭州市西湖区文三路90号"}

        """

    func write(_ text: String, _ name: String, in folder: String) throws -> String {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func masksASampleAsTheAgreementSays() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = try write(Self.sample, "in.ndjson", in: folder)
        let result = try SluiceProcess.sluice(
            "mask", "--agreement", "psb-household-check", "--input", input, "--output", folder + "/out.ndjson",
            "--data-dir", folder + "/data")
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("2 records in, 2 out"))
        let lines = try String(contentsOfFile: folder + "/out.ndjson", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String]
        #expect(first?["name"] == "欧阳**")
        #expect(first?["phone"] == "138****5678")
        #expect(first?["birth_date"] == "1949")
        #expect(first?["household_address"] == "北京市朝阳区")
        #expect(first?["notes"] == "另一证件4****************4。")
        let leaked = lines.joined().contains("11010519491231002X") || lines.joined().contains("440524188001010014")
        #expect(!leaked)
    }

    @Test func aRejectedFileLeavesNoOutput() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = try write(
            Self.sample + #"{"case_no":"A3","name":"李四","id_number":"11010519491231002X","salary":1}"# + "\n", "in.ndjson", in: folder)
        let output = folder + "/out.ndjson"
        let result = try SluiceProcess.sluice(
            "mask", "--agreement", "Agreements/psb-household-check.yaml", "--input", input, "--output", output,
            "--data-dir", folder + "/data")
        #expect(result.status == 2)
        #expect(result.stderr.contains("REJECTED: fields not on the agreement's whitelist: salary"))
        #expect(!FileManager.default.fileExists(atPath: output))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("out") }
        #expect(leftovers.isEmpty)
    }

    @Test func badInputIsReportedWithItsLine() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let csv = try write("case_no,name,id_number\nA1,张三,11010519491231002X\nA2,\"李四,440524188001010014\n", "in.csv", in: folder)
        let broken = try SluiceProcess.sluice("mask", "--agreement", "psb-household-check", "--input", csv, "--data-dir", folder)
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("\(csv): line 3, record 2: a quoted CSV field opened here is never closed"))

        let notObject = try write("{\"case_no\":\"A1\"}\n[1]\n", "in.ndjson", in: folder)
        let list = try SluiceProcess.sluice("mask", "--agreement", "psb-household-check", "--input", notObject, "--data-dir", folder)
        #expect(list.status == 2)
        #expect(list.stderr.contains("line 2, record 2: expected a JSON object (one record), found a list"))

        let invalid = folder + "/bad.ndjson"
        FileManager.default.createFile(atPath: invalid, contents: Data([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D, 0x0A]))
        let utf8 = try SluiceProcess.sluice("mask", "--agreement", "psb-household-check", "--input", invalid, "--data-dir", folder)
        #expect(utf8.status == 2)
        #expect(utf8.stderr.contains("line 1, record 1: the bytes are not valid UTF-8 text"))
    }

    @Test func validationFailuresNameRecordAndFieldOnly() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = try write(#"{"case_no":"A1","name":"张三","id_number":"110105194912310021"}"# + "\n", "in.ndjson", in: folder)
        let result = try SluiceProcess.sluice("mask", "--agreement", "psb-household-check", "--input", input, "--data-dir", folder)
        #expect(result.status == 2)
        #expect(result.stderr.contains("problem: record 1, field id_number: not a valid cn_id (the check character does not match)"))
        let printed = result.stderr.contains("110105194912310021") || result.stdout.contains("110105194912310021")
        #expect(!printed)
    }

    @Test func csvInCsvOutAndJSONSummary() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let csv = try write("case_no,name,id_number,phone\nA1,张三,11010519491231002X,13812345678\n", "in.csv", in: folder)
        let result = try SluiceProcess.sluice(
            "mask", "--agreement", "psb-household-check", "--input", csv, "--output-format", "csv", "--json", "--data-dir", folder)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "case_no,name,id_number,sex,ethnicity,birth_date,phone,household_address,household_type,registration_date,notes")
        #expect(lines.dropFirst().first?.hasPrefix("A1,张*,") == true)
        let summary =
            try JSONSerialization.jsonObject(
                with: Data(result.stderr.split(separator: "\n").drop { !$0.hasPrefix("{") }.joined(separator: "\n").utf8)) as? [String: Any]
        #expect(summary?["records_out"] as? Int == 1)
    }

    @Test func pseudonymsFollowTheGatewaySecret() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try SluiceProcess.sluice("init", "--data-dir", folder + "/data", "--certs", folder + "/Certs")
        let input = try write(Self.sample, "in.ndjson", in: folder)
        func pseudonym() throws -> String? {
            let run = try SluiceProcess.sluice("mask", "--agreement", "psb-household-check", "--input", input, "--data-dir", folder + "/data")
            let first = try JSONSerialization.jsonObject(with: Data(run.stdout.split(separator: "\n")[0].utf8)) as? [String: String]
            return first?["id_number"]
        }
        let once = try pseudonym()
        #expect(once != nil)
        #expect(try pseudonym() == once)
    }
}

extension MaskCommandTests {
    /// The preview counts names and addresses found in free text per kind, like numbers.
    @Test func theJSONSummaryCountsNamesAndAddressesPerKind() throws {
        let folder = try SluiceProcess.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let note = "当事人李伟称其妻王芳女士现住浙江省杭州市西湖区文三路90号3幢201室，电话138.1234.5678"
        let input = try write(#"{"case_no":"A1","name":"张三","id_number":"11010519491231002X","notes":"\#(note)"}"# + "\n", "in.ndjson", in: folder)
        let result = try SluiceProcess.sluice("mask", "--agreement", "psb-household-check", "--input", input, "--json", "--data-dir", folder)
        #expect(result.status == 0)
        #expect(result.stdout.contains("当事人李*称其妻王*女士现住浙江省杭州市西湖区，电话138****5678"))
        for leaked in ["李伟", "王芳", "文三路", "1234"] { #expect(!result.stdout.contains(leaked) && !result.stderr.contains(leaked)) }
        let summary =
            try JSONSerialization.jsonObject(
                with: Data(result.stderr.split(separator: "\n").drop { !$0.hasPrefix("{") }.joined(separator: "\n").utf8)) as? [String: Any]
        let detections = summary?["detections"] as? [String: Int]
        #expect(detections == ["person_name": 2, "address": 1, "cn_mobile": 1])
    }
}
