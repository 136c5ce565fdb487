"""A minimal gRPC-over-HTTP/2 unary client (Python standard library only), enough to call
`tfplugin6.Provider/GetProviderSchema` on a go-plugin provider the way Terraform does: unix socket,
mutual TLS with the client certificate named in PLUGIN_CLIENT_CERT, ALPN h2, the server certificate
pinned to the one in the handshake line.

It speaks only what one unary call needs: the connection preface, SETTINGS (with a large window so no
flow control is needed), one HEADERS + DATA request per stream, and reads DATA frames until END_STREAM.
Response headers are not HPACK-decoded; a call counts as successful when its single gRPC message arrives
and contains the expected bytes (the caller checks for a resource type name).
"""

import base64
import socket
import ssl
import struct

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = 0, 1, 3, 4, 6, 7, 8, 9
END_STREAM, ACK, END_HEADERS, PADDED, PRIORITY = 0x1, 0x1, 0x4, 0x8, 0x20
MAX_WINDOW = 2**31 - 1


class GrpcError(Exception):
    pass


def parse_handshake(line):
    """`1|6|unix|/tmp/plugin123|grpc|<base64 DER without padding>` -> (socket path, server cert DER)."""
    parts = line.strip().split("|")
    if len(parts) < 6 or parts[2] != "unix" or parts[4] != "grpc":
        raise GrpcError(f"unexpected handshake line: {line!r}")
    b64 = parts[5]
    der = base64.b64decode(b64 + "=" * (-len(b64) % 4))
    return parts[3], der


def _int(n, prefix_bits):
    """HPACK integer with an N-bit prefix (first byte's high bits left zero)."""
    limit = (1 << prefix_bits) - 1
    if n < limit:
        return bytes([n])
    out = [limit]
    n -= limit
    while n >= 128:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _literal(name, value):
    # Literal header field without indexing, new name, no Huffman coding.
    name, value = name.encode(), value.encode()
    return b"\x00" + _int(len(name), 7) + name + _int(len(value), 7) + value


def _frame(ftype, flags, stream, payload=b""):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + struct.pack(">I", stream) + payload


class Connection:
    def __init__(self, sock_path, server_der, cert_file, key_file, timeout=30.0):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        # go-plugin pins the server certificate from the handshake line; do the same by comparing bytes.
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        ctx.load_cert_chain(cert_file, key_file)
        ctx.set_alpn_protocols(["h2"])
        raw = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        raw.settimeout(timeout)
        raw.connect(sock_path)
        self.sock = ctx.wrap_socket(raw, server_hostname="localhost")
        if self.sock.getpeercert(binary_form=True) != server_der:
            raise GrpcError("server certificate differs from the handshake's")
        if self.sock.selected_alpn_protocol() != "h2":
            raise GrpcError(f"ALPN: server selected {self.sock.selected_alpn_protocol()!r}, not h2")
        self.buf, self.pos = bytearray(), 0
        self.next_stream = 1
        settings = struct.pack(">HI", 0x2, 0) + struct.pack(">HI", 0x4, MAX_WINDOW)
        self.sock.sendall(
            PREFACE
            + _frame(SETTINGS, 0, 0, settings)
            + _frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", MAX_WINDOW - 65535))
        )

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _read(self, n):
        # A bytearray and a read position: linear in the bytes received (a multi-megabyte schema arrives in
        # hundreds of 16 KiB frames; slicing the rest of the buffer per frame would be quadratic).
        while len(self.buf) - self.pos < n:
            if self.pos:
                del self.buf[: self.pos]
                self.pos = 0
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise GrpcError("connection closed")
            self.buf += chunk
        out = bytes(self.buf[self.pos : self.pos + n])
        self.pos += n
        return out

    def _read_frame(self):
        head = self._read(9)
        length = int.from_bytes(head[:3], "big")
        ftype, flags = head[3], head[4]
        stream = struct.unpack(">I", head[5:9])[0] & 0x7FFFFFFF
        return ftype, flags, stream, self._read(length)

    def unary(self, path, message=b""):
        """Calls `path` with one serialized request message; returns the response message bytes."""
        stream = self.next_stream
        self.next_stream += 2
        block = b"".join(
            _literal(k, v)
            for k, v in (
                (":method", "POST"),
                (":scheme", "http"),
                (":path", path),
                (":authority", "localhost"),
                ("content-type", "application/grpc"),
                ("te", "trailers"),
            )
        )
        body = b"\x00" + struct.pack(">I", len(message)) + message
        self.sock.sendall(_frame(HEADERS, END_HEADERS, stream, block) + _frame(DATA, END_STREAM, stream, body))
        data = bytearray()
        while True:
            ftype, flags, sid, payload = self._read_frame()
            if ftype == SETTINGS and not flags & ACK:
                self.sock.sendall(_frame(SETTINGS, ACK, 0))
            elif ftype == PING and not flags & ACK:
                self.sock.sendall(_frame(PING, ACK, 0, payload))
            elif ftype == GOAWAY:
                raise GrpcError(f"GOAWAY {payload[4:8].hex()} {payload[8:]!r}")
            elif sid != stream:
                continue
            elif ftype == RST_STREAM:
                raise GrpcError(f"RST_STREAM {payload.hex()}")
            elif ftype == DATA:
                if flags & PADDED:
                    payload = payload[1 : len(payload) - payload[0]]
                data += payload
                if flags & END_STREAM:
                    break
            elif ftype in (HEADERS, CONTINUATION):
                if flags & END_STREAM:
                    break
        if len(data) < 5:
            raise GrpcError("no response message (the trailers carry an error status)")
        if data[0] != 0:
            raise GrpcError("compressed response message")
        n = struct.unpack(">I", data[1:5])[0]
        if len(data) < 5 + n:
            raise GrpcError("short response message")
        return bytes(data[5 : 5 + n])
