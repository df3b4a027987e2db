import Hummingbird
import NIOCore
import SluiceAPI

extension Response {
    /// An API document (``APIDocument``), as `openapi.yaml` describes it.
    static func json(_ document: some Encodable, status: HTTPResponse.Status) throws -> Response {
        var data = try APIDocument.encoded(document)
        data.append(0x0A)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
