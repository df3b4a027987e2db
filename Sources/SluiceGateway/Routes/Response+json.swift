import Hummingbird
import NIOCore
import SluiceAPI
import SluiceCore

extension Response {
    /// A JSON document, written by the project's own writer (member order kept).
    static func json(_ value: RecordValue, status: HTTPResponse.Status) -> Response {
        var bytes: [UInt8] = []
        JSONWriter.append(value, to: &bytes)
        bytes.append(0x0A)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// An API document (``APIDocument``), as `openapi.yaml` describes it.
    static func json(_ document: some Encodable, status: HTTPResponse.Status) -> Response {
        var data = APIDocument.encoded(document)
        data.append(0x0A)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
