"""HTTP/2 attacks against the real `netius serve hello` and `serve file` (issue 17): rapid reset,
CONTINUATION flood, HPACK bomb, SETTINGS and PING floods, more streams than the limit, a zero
flow-control window holding a large file, invalid prefaces and malformed requests (RFC 9113
§8.2). Each attack runs in a bounded loop; the test asserts what the attacker gets (GOAWAY and
its error code, RST_STREAM and its code, or close), then shows that a normal client (Python's
h2 and curl --http2-prior-knowledge, each on a fresh connection) is still served promptly and
that the worker's memory stayed bounded.

Frames the h2 library would refuse to send are built here with struct and hpack; every socket
operation is bounded by IO_TIMEOUT."""
import collections
import os
import re
import select
import socket
import ssl
import struct
import time
import unittest

import h2.config
import h2.connection
import h2.events
import hpack

from harness import ServeProcess, TempDirTest, tool

IO_TIMEOUT = 5  # seconds; every socket wait is bounded by it
MEMORY_BOUND = 64 << 20  # worker RSS growth allowed across an attack (bytes)
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

# Frame types (RFC 9113 §6), flags and error codes (§7).
DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE, \
    CONTINUATION = range(10)
END_STREAM = ACK = 0x1
END_HEADERS = 0x4
NO_ERROR, PROTOCOL_ERROR, INTERNAL_ERROR, FLOW_CONTROL_ERROR, SETTINGS_TIMEOUT, STREAM_CLOSED, \
    FRAME_SIZE_ERROR, REFUSED_STREAM, CANCEL, COMPRESSION_ERROR, CONNECT_ERROR, \
    ENHANCE_YOUR_CALM = range(12)
SETTINGS_HEADER_TABLE_SIZE, SETTINGS_INITIAL_WINDOW_SIZE = 0x1, 0x4

# What netius advertises (its defaults).
MAX_CONCURRENT_STREAMS = 100
MAX_FRAME_SIZE = 128 * 1024

Frame = collections.namedtuple("Frame", "kind flags stream_id payload headers")


def frame(kind, flags, stream_id, payload=b""):
    """One frame on the wire (RFC 9113 §4.1)."""
    return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + \
        struct.pack(">I", stream_id) + payload


def settings_frame(*pairs, ack=False):
    return frame(SETTINGS, ACK if ack else 0, 0,
                 b"".join(struct.pack(">HI", k, v) for k, v in pairs))


def hpack_int(value, prefix_bits, first_byte_flags):
    """An HPACK integer (RFC 7541 §5.1) with the first byte's high bits set to the flags."""
    encoded = bytearray(hpack.hpack.encode_integer(value, prefix_bits))
    encoded[0] |= first_byte_flags
    return bytes(encoded)


def hpack_string(data):
    """An HPACK string literal, not Huffman coded (RFC 7541 §5.2)."""
    return hpack_int(len(data), 7, 0) + data


def request_fields(method="GET", path="/", authority="a"):
    return [(":method", method), (":scheme", "http"), (":path", path), (":authority", authority)]


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+) kB", f.read()).group(1))


class RawPeer:
    """A client connection speaking HTTP/2 frame by frame. Sends the preface and `settings`,
    reads the server's SETTINGS and, when `ack`, acknowledges them (the server applies its
    own settings, e.g. the larger frame size and the stream limit, only then). Received HEADERS
    are decoded in order (`Frame.headers`); `closed` becomes true once the server closed."""

    def __init__(self, port, settings=(), ack=True, preface=True, sock=None, rcvbuf=None):
        if sock is None:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            if rcvbuf:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
            sock.settimeout(IO_TIMEOUT)
            sock.connect(("127.0.0.1", port))
        self.sock = sock
        self.buf = bytearray()
        self.closed = False
        self.encoder = hpack.Encoder()
        self.decoder = hpack.Decoder()
        if preface:
            self.send(PREFACE + settings_frame(*settings))
            got = self.frames(until=lambda f: f.kind == SETTINGS and not f.flags & ACK)
            assert got and got[-1].kind == SETTINGS, got
            if ack:
                self.send(settings_frame(ack=True))

    def close(self):
        self.sock.close()

    def send(self, data):
        self.sock.sendall(data)

    def headers(self, stream_id, fields, end_stream=True):
        self.send(frame(HEADERS, END_HEADERS | (END_STREAM if end_stream else 0), stream_id,
                        self.encoder.encode(fields)))

    def flood(self, unit, count, batch=200, seconds=4):
        """Sends `unit` `count` times, `batch` at a time, for at most `seconds`, never reading:
        whatever the server answers piles up unread. Returns how many were sent; stops early
        when the server closed (EPIPE/ECONNRESET)."""
        self.sock.settimeout(None)
        self.sock.setblocking(False)
        chunk, pending, sent = unit * batch, b"", 0
        deadline = time.monotonic() + seconds
        try:
            while (sent < count or pending) and time.monotonic() < deadline:
                if not pending:
                    pending = chunk
                    sent += batch
                try:
                    pending = pending[self.sock.send(pending):]
                except BlockingIOError:
                    select.select([], [self.sock], [], 0.05)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.sock.setblocking(True)
            self.sock.settimeout(IO_TIMEOUT)
        return sent

    def _parse(self, frames, until):
        pos = 0
        try:
            while len(self.buf) - pos >= 9:
                length = int.from_bytes(self.buf[pos:pos + 3], "big")
                if len(self.buf) - pos < 9 + length:
                    break
                kind, flags = self.buf[pos + 3], self.buf[pos + 4]
                stream_id = struct.unpack(">I", self.buf[pos + 5:pos + 9])[0] & 0x7FFFFFFF
                payload = bytes(self.buf[pos + 9:pos + 9 + length])
                pos += 9 + length
                fields = None
                if kind == HEADERS:  # netius sends neither padding, priority nor CONTINUATION
                    if not flags & END_HEADERS:
                        raise AssertionError("HEADERS without END_HEADERS: %r" % payload)
                    fields = dict(self.decoder.decode(payload))
                frames.append(Frame(kind, flags, stream_id, payload, fields))
                if until and until(frames[-1]):
                    return True
            return False
        finally:
            del self.buf[:pos]

    def frames(self, timeout=IO_TIMEOUT, until=None):
        """Frames received within `timeout` seconds, up to the first that `until` accepts
        (then at once), or up to the server's close."""
        frames = []
        if self._parse(frames, until):
            return frames
        deadline = time.monotonic() + timeout
        while not self.closed:
            left = deadline - time.monotonic()
            pending = isinstance(self.sock, ssl.SSLSocket) and self.sock.pending()
            if left <= 0 or not (pending or select.select([self.sock], [], [], left)[0]):
                break
            try:
                data = self.sock.recv(1 << 20)
            except (ConnectionResetError, ssl.SSLError):
                data = b""
            if not data:
                self.closed = True
                break
            self.buf += data
            if self._parse(frames, until):
                break
        return frames

    def goaway(self, timeout=IO_TIMEOUT):
        """(last_stream_id, error_code, debug data) of the server's GOAWAY, then waits for the
        close; fails if neither comes within `timeout`."""
        got = self.frames(timeout, until=lambda f: f.kind == GOAWAY)
        if not got or got[-1].kind != GOAWAY:
            raise AssertionError("no GOAWAY (closed=%r): %r" % (self.closed, got[-5:]))
        last_stream_id, code = struct.unpack(">II", got[-1].payload[:8])
        return last_stream_id & 0x7FFFFFFF, code, got[-1].payload[8:]

    def wait_closed(self, timeout=IO_TIMEOUT):
        """True once the server closed the connection (frames still coming are dropped)."""
        deadline = time.monotonic() + timeout
        while not self.closed and time.monotonic() < deadline:
            self.frames(deadline - time.monotonic())
        return self.closed


def h2_get(port, path="/", tls=False):
    """A normal client on a fresh connection (Python's h2): GET `path`; returns (status, body),
    bounded by IO_TIMEOUT."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=IO_TIMEOUT)
    if tls:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        ctx.set_alpn_protocols(["h2"])
        sock = ctx.wrap_socket(sock, server_hostname="localhost")
        assert sock.selected_alpn_protocol() == "h2", sock.selected_alpn_protocol()
    with sock:
        conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        conn.initiate_connection()
        conn.send_headers(1, [(":method", "GET"), (":scheme", "https" if tls else "http"),
                              (":path", path), (":authority", "127.0.0.1:%d" % port)],
                          end_stream=True)
        sock.sendall(conn.data_to_send())
        status, body = None, b""
        deadline = time.monotonic() + IO_TIMEOUT
        while time.monotonic() < deadline:
            data = sock.recv(65536)
            if not data:
                raise AssertionError("the server closed before answering")
            for event in conn.receive_data(data):
                if isinstance(event, h2.events.ResponseReceived):
                    status = int(dict(event.headers)[b":status"])
                elif isinstance(event, h2.events.DataReceived):
                    body += event.data
                    conn.acknowledge_received_data(event.flow_controlled_length, 1)
                elif isinstance(event, h2.events.StreamEnded):
                    return status, body
                elif isinstance(event, (h2.events.StreamReset, h2.events.ConnectionTerminated)):
                    raise AssertionError("a normal request failed: %r" % event)
            sock.sendall(conn.data_to_send())
        raise AssertionError("no answer within %d s" % IO_TIMEOUT)


class AttackTest(TempDirTest):
    def serve(self, *args):
        s = ServeProcess(list(args))
        self.addCleanup(s.stop)
        return s

    def peer(self, srv, **kwargs):
        p = RawPeer(srv.port, **kwargs)
        self.addCleanup(p.close)
        return p

    def rss(self, srv):
        return rss_kib(srv.worker_pid()) * 1024

    def assertServes(self, srv, path="/", body=b"Hello World", tls=False):
        """A normal client is answered promptly: h2 on a fresh connection, then curl."""
        self.assertEqual(h2_get(srv.port, path, tls), (200, body))
        r = tool(["curl", "-s", "-k", "--http2" if tls else "--http2-prior-knowledge",
                  "--max-time", str(IO_TIMEOUT), "-w", "\n%{http_code} %{http_version}",
                  srv.url + path], check=False)
        self.assertEqual(r.stdout, body + b"\n200 2", r.stderr)

    def assertBoundedMemory(self, srv, before, what):
        grown = self.rss(srv) - before
        self.assertMemoryBelow(grown, MEMORY_BOUND, "%s: the worker grew by %d KiB"
                               % (what, grown >> 10))

    def assertFloodGoaway(self, code, what):
        # nghttp2 reports floods as fatal errors; netius names them ENHANCE_YOUR_CALM.
        self.assertEqual(code, ENHANCE_YOUR_CALM, what)


class RapidResetTest(AttackTest):
    def test_rapid_reset_gets_goaway_and_close(self):
        """CVE-2023-44487: HEADERS + RST_STREAM pairs in a burst. nghttp2's reset rate limit
        (1000 burst, 33/s) ends the connection with GOAWAY after ~1000 resets."""
        srv = self.serve("hello")
        before = self.rss(srv)
        pairs = 5000
        for end_stream in (True, False):
            with self.subTest(end_stream=end_stream):
                sock = socket.create_connection(("127.0.0.1", srv.port), timeout=IO_TIMEOUT)
                self.addCleanup(sock.close)
                conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
                conn.initiate_connection()
                for i in range(pairs):
                    conn.send_headers(1 + 2 * i, request_fields("GET" if end_stream else "POST"),
                                      end_stream=end_stream)
                    conn.reset_stream(1 + 2 * i, error_code=CANCEL)
                try:
                    sock.sendall(conn.data_to_send())
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the server may hang up before the burst is all sent
                peer = RawPeer(srv.port, preface=False, sock=sock)
                last_stream_id, code, _ = peer.goaway()
                self.assertIn(code, (INTERNAL_ERROR, ENHANCE_YOUR_CALM))
                # The server stopped taking streams well before the end of the burst.
                self.assertLess(last_stream_id, 2 * pairs - 1)
                self.assertTrue(peer.wait_closed())
        self.assertServes(srv)
        self.assertBoundedMemory(srv, before, "rapid reset")


class ContinuationFloodTest(AttackTest):
    def test_continuation_flood_gets_goaway_and_close(self):
        """CVE-2024-27316: a header block that never ends. nghttp2 allows 8 CONTINUATION
        frames per block; a block that stalls is cut at the header timeout."""
        srv = self.serve("hello", "--header-timeout", "1")
        before = self.rss(srv)
        floods = {
            "empty CONTINUATION frames": frame(CONTINUATION, 0, 1) * 10000,
            "CONTINUATION frames with new fields": b"".join(
                frame(CONTINUATION, 0, 1, b"\x00" + hpack_string(b"x-%d" % i)
                      + hpack_string(b"v" * 1000)) for i in range(2000)),
        }
        for name, flood in floods.items():
            with self.subTest(name):
                peer = self.peer(srv)
                start = frame(HEADERS, 0, 1, peer.encoder.encode(request_fields()))
                try:
                    peer.send(start + flood)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                last_stream_id, code, _ = peer.goaway()
                self.assertFloodGoaway(code, name)
                self.assertLessEqual(last_stream_id, 1)
                self.assertTrue(peer.wait_closed())
        with self.subTest("a header block that stalls"):
            peer = self.peer(srv)
            peer.send(frame(HEADERS, 0, 1, peer.encoder.encode(request_fields()))
                      + frame(CONTINUATION, 0, 1) * 3)
            started = time.monotonic()
            last_stream_id, code, _ = peer.goaway(timeout=10)
            self.assertEqual(code, PROTOCOL_ERROR)
            self.assertGreater(time.monotonic() - started, 0.5)  # the timeout, not at once
            self.assertTrue(peer.wait_closed())
        self.assertServes(srv)
        self.assertBoundedMemory(srv, before, "CONTINUATION flood")


class HpackBombTest(AttackTest):
    BOMB_NAME, BOMB_VALUE = b"x-bomb", b"v" * 3900  # most of the 4096-byte dynamic table

    def bomb(self, peer, stream_id, references):
        """A request whose field block inserts one large field in the dynamic table, then
        refers to it `references` times (one byte each): it decodes to references * ~3.9 KB."""
        block = peer.encoder.encode(request_fields())
        block += b"\x40" + hpack_string(self.BOMB_NAME) + hpack_string(self.BOMB_VALUE)
        peer.encoder.header_table.add(self.BOMB_NAME, self.BOMB_VALUE)  # both tables agree
        index = hpack_int(62, 7, 0x80)  # the newest dynamic entry (RFC 7541 §2.3.3)
        block += index * references
        peer.send(frame(HEADERS, END_STREAM | END_HEADERS, stream_id, block))

    def answer(self, peer, stream_id):
        """The :status of stream_id's answer, or ("RST", code), or ("GOAWAY", code)."""
        got = peer.frames(until=lambda f: f.stream_id in (stream_id, 0) and f.kind in (
            HEADERS, RST_STREAM, GOAWAY))
        self.assertTrue(got and got[-1].kind in (HEADERS, RST_STREAM, GOAWAY),
                        "no answer for stream %d: %r" % (stream_id, got[-5:]))
        f = got[-1]
        if f.kind == HEADERS:
            return int(f.headers[":status"])
        return ("RST" if f.kind == RST_STREAM else "GOAWAY",
                struct.unpack(">I", f.payload[4:8] if f.kind == GOAWAY else f.payload)[0])

    def test_hpack_bomb_ends_the_connection_and_big_heads_get_431(self):
        srv = self.serve("hello")
        before = self.rss(srv)
        peer = self.peer(srv)
        stream_id = 1
        with self.subTest("more fields than --max-headers"):
            peer.headers(stream_id, request_fields() + [("x-%d" % i, "y") for i in range(150)])
            self.assertEqual(self.answer(peer, stream_id), 431)
        with self.subTest("one field over the header list size"):
            peer.send(frame(HEADERS, END_STREAM | END_HEADERS, stream_id + 2,
                            peer.encoder.encode(request_fields()) + b"\x00"
                            + hpack_string(b"x-big") + hpack_string(b"v" * 20000)))
            self.assertEqual(self.answer(peer, stream_id + 2), 431)
        # The same connection still answers a normal request (the HPACK state stayed right).
        peer.headers(stream_id + 4, request_fields())
        self.assertEqual(self.answer(peer, stream_id + 4), 200)
        self.assertFalse(peer.closed)
        with self.subTest("a bomb: a few KB that decode to ~480 MB"):
            # Far past twice the limits no client is mistaken: the connection ends at once,
            # before decoding (and checking) hundreds of megabytes.
            bomber = self.peer(srv)
            self.bomb(bomber, 1, MAX_FRAME_SIZE - 4096 - 64)
            self.assertEqual(self.answer(bomber, 1), ("GOAWAY", ENHANCE_YOUR_CALM))
            self.assertTrue(bomber.wait_closed())
        stream_id += 4
        with self.subTest("one field past nghttp2's 64 KiB field limit"):
            peer.send(frame(HEADERS, END_STREAM | END_HEADERS, stream_id + 6,
                            peer.encoder.encode(request_fields()) + b"\x00"
                            + hpack_string(b"x-big") + hpack_string(b"v" * 70000)))
            self.assertEqual(self.answer(peer, stream_id + 6), ("GOAWAY", COMPRESSION_ERROR))
            self.assertTrue(peer.wait_closed())
        with self.subTest("a dynamic table larger than SETTINGS_HEADER_TABLE_SIZE"):
            peer = self.peer(srv)
            update = hpack_int(1 << 20, 5, 0x20)  # RFC 7541 §6.3: 1 MiB > our 4096
            peer.send(frame(HEADERS, END_STREAM | END_HEADERS, 1,
                            update + peer.encoder.encode(request_fields())))
            self.assertEqual(peer.goaway()[1], COMPRESSION_ERROR)
            self.assertTrue(peer.wait_closed())
        self.assertServes(srv)
        self.assertBoundedMemory(srv, before, "HPACK bomb")


class ControlFloodTest(AttackTest):
    def test_settings_and_ping_floods_get_goaway_and_close(self):
        """The client never reads: the ACKs pile up until nghttp2's limit of 1000 queued
        ACKs ends the connection (GOAWAY ENHANCE_YOUR_CALM, then a reset once more than
        1 MiB arrived after it)."""
        srv = self.serve("hello")
        before = self.rss(srv)
        floods = {  # name: (frame, how many at most)
            "PING": (frame(PING, 0, 0, b"12345678"), 50000),
            "SETTINGS": (settings_frame(), 50000),
            # Large frames, small ACKs: the ACKs fill the socket buffers (megabytes) and the
            # server's output budget before they pile up in nghttp2.
            "SETTINGS with 32 entries": (settings_frame(
                *[(SETTINGS_INITIAL_WINDOW_SIZE, 65535)] * 32), 1000000),
        }
        for name, (unit, count) in floods.items():
            with self.subTest(name):
                peer = self.peer(srv, rcvbuf=4096)
                peer.flood(unit, count)
                self.assertBoundedMemory(srv, before, name + " flood")
                acks = peer.frames(until=lambda f: f.kind == GOAWAY)
                if acks and acks[-1].kind == GOAWAY:
                    last_stream_id, code = struct.unpack(">II", acks[-1].payload[:8])
                    self.assertFloodGoaway(code, name)
                    self.assertEqual(last_stream_id, 0)
                else:
                    # Past 1 MiB of flood read after its GOAWAY the server drops the
                    # connection: the reset destroys what the attacker left unread.
                    self.assertTrue(peer.closed, acks[-5:])
                self.assertTrue(peer.wait_closed())
        with self.subTest("SETTINGS with 33 entries"):
            peer = self.peer(srv)
            peer.send(settings_frame(*[(SETTINGS_INITIAL_WINDOW_SIZE, 65535)] * 33))
            self.assertEqual(peer.goaway()[1], ENHANCE_YOUR_CALM)
            self.assertTrue(peer.wait_closed())
        self.assertServes(srv)
        self.assertBoundedMemory(srv, before, "control floods")


class StreamLimitTest(AttackTest):
    def test_streams_past_the_limit(self):
        srv = self.serve("hello")
        before = self.rss(srv)
        opened = MAX_CONCURRENT_STREAMS + 50
        with self.subTest("before the client acknowledged our SETTINGS"):
            # Our limit is not in force yet (RFC 9113 §6.5.3): the excess is refused
            # (REFUSED_STREAM, safe to retry); the streams within the limit carry on.
            peer = self.peer(srv, ack=False)
            for i in range(opened):  # requests whose content has not come yet: they stay open
                peer.headers(1 + 2 * i, request_fields("POST"), end_stream=False)
            excess = {1 + 2 * i for i in range(MAX_CONCURRENT_STREAMS, opened)}
            resets = {}
            while len(resets) < len(excess):
                got = peer.frames(until=lambda f: f.kind in (RST_STREAM, HEADERS, GOAWAY))
                self.assertTrue(got and got[-1].kind == RST_STREAM, (len(resets), got[-5:]))
                resets[got[-1].stream_id] = struct.unpack(">I", got[-1].payload)[0]
            self.assertEqual(resets, {sid: REFUSED_STREAM for sid in excess})
            self.assertServes(srv)  # others are served while the streams are held
            # The streams within the limit end their content and are all answered.
            held = [1 + 2 * i for i in range(MAX_CONCURRENT_STREAMS)]
            peer.send(b"".join(frame(DATA, END_STREAM, sid, b"x") for sid in held))
            answered = {}
            while len(answered) < len(held):
                got = peer.frames(until=lambda f: f.kind == HEADERS)
                self.assertTrue(got and got[-1].kind == HEADERS, (len(answered), got[-5:]))
                answered[got[-1].stream_id] = int(got[-1].headers[":status"])
            self.assertEqual(answered, {sid: 200 for sid in held})
            next_id = 1 + 2 * opened  # and the connection takes new streams again
            peer.headers(next_id, request_fields())
            got = peer.frames(until=lambda f: f.kind == HEADERS and f.stream_id == next_id)
            self.assertEqual(got[-1].headers[":status"], "200")
            self.assertFalse(peer.closed)
        with self.subTest("after the client acknowledged our SETTINGS"):
            # nghttp2 treats a stream past an acknowledged limit as a connection error
            # (RFC 9113 §5.4.1 allows it): GOAWAY PROTOCOL_ERROR naming the last stream it
            # took; the open streams end with the connection.
            peer = self.peer(srv)
            for i in range(MAX_CONCURRENT_STREAMS + 1):
                peer.headers(1 + 2 * i, request_fields("POST"), end_stream=False)
            last_stream_id, code, debug = peer.goaway()
            self.assertEqual((last_stream_id, code),
                             (2 * MAX_CONCURRENT_STREAMS - 1, PROTOCOL_ERROR))
            self.assertIn(b"max concurrent streams", debug)
            self.assertTrue(peer.wait_closed())
        self.assertServes(srv)
        self.assertBoundedMemory(srv, before, "streams past the limit")


class ZeroWindowTest(AttackTest):
    def test_zero_window_holds_no_memory_and_is_cancelled_at_the_write_timeout(self):
        big = 50 << 20
        base = os.path.join(self.dir, "www")
        os.mkdir(base)
        with open(os.path.join(base, "big.bin"), "wb") as f:
            f.truncate(big)
        with open(os.path.join(base, "small.txt"), "wb") as f:
            f.write(b"small file\n")
        srv = self.serve("file", "--base-path", base, "--write-timeout", "2")
        before = self.rss(srv)
        started = time.monotonic()
        # One connection with every stream window shut (SETTINGS_INITIAL_WINDOW_SIZE 0) and
        # as many 50 MiB downloads as it may open...
        shut = self.peer(srv, settings=[(SETTINGS_INITIAL_WINDOW_SIZE, 0)])
        held = [1 + 2 * i for i in range(MAX_CONCURRENT_STREAMS)]
        for sid in held:
            shut.headers(sid, request_fields(path="/big.bin"))
        # ...and one that takes the first 64 KiB and never reopens the connection window.
        stuck = self.peer(srv)
        stuck.headers(1, request_fields(path="/big.bin"))
        heads = {}
        while len(heads) < len(held):
            got = shut.frames(until=lambda f: f.kind in (HEADERS, DATA, RST_STREAM, GOAWAY))
            self.assertTrue(got and got[-1].kind == HEADERS, got[-5:])
            heads[got[-1].stream_id] = got[-1].headers
        self.assertTrue(all(h[":status"] == "200" and h["content-length"] == str(big)
                            for h in heads.values()))
        received = 0
        while received < 65535:
            got = stuck.frames(until=lambda f: f.kind in (DATA, RST_STREAM, GOAWAY))
            self.assertTrue(got and got[-1].kind == DATA, got[-5:])
            received += len(got[-1].payload)
        self.assertEqual(received, 65535)
        # Meanwhile a normal client downloads the whole file, and the worker holds no copy.
        r = tool(["curl", "-s", "--http2-prior-knowledge", "--max-time", "30", "-o", "/dev/null",
                  "-w", "%{http_code} %{size_download} %{http_version}",
                  srv.url + "/big.bin"], check=False)
        self.assertEqual(r.stdout, b"200 %d 2" % big, r.stderr)
        self.assertServes(srv, "/small.txt", b"small file\n")
        self.assertBoundedMemory(srv, before, "zero windows")
        # Past --write-timeout every held stream is cancelled; the connections stay open.
        cancelled = {}
        while len(cancelled) < len(held):
            got = shut.frames(timeout=10, until=lambda f: f.kind in (RST_STREAM, DATA, GOAWAY))
            self.assertTrue(got and got[-1].kind == RST_STREAM, (len(cancelled), got[-5:]))
            cancelled[got[-1].stream_id] = struct.unpack(">I", got[-1].payload)[0]
        self.assertEqual(cancelled, {sid: CANCEL for sid in held})
        self.assertGreater(time.monotonic() - started, 1.5)  # the timeout, not at once
        got = stuck.frames(timeout=10, until=lambda f: f.kind in (RST_STREAM, GOAWAY))
        self.assertEqual((got[-1].kind, got[-1].stream_id, got[-1].payload),
                         (RST_STREAM, 1, struct.pack(">I", CANCEL)))
        self.assertFalse(shut.closed or stuck.closed)
        self.assertServes(srv, "/small.txt", b"small file\n")


class PrefaceTest(AttackTest):
    @staticmethod
    def exchange(sock, data):
        """Sends data, returns all the server says until it closes (bounded)."""
        sock.sendall(data)
        out, deadline = b"", time.monotonic() + IO_TIMEOUT
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, ssl.SSLError):
                break
            if not chunk:
                return out
            out += chunk
        raise AssertionError("not closed: %r" % out[:300])

    def test_invalid_preface_on_cleartext(self):
        srv = self.serve("hello")
        for data, status in ((b"GARBAGE\r\n\r\n", 400),
                             (b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n", 505),  # near miss: HTTP/1.1
                             (b"\x00" * 24, 400)):
            with self.subTest(data=data):
                with socket.create_connection(("127.0.0.1", srv.port), IO_TIMEOUT) as sock:
                    out = self.exchange(sock, data)
                self.assertTrue(out.startswith(b"HTTP/1.1 %d " % status), out[:200])
                self.assertIn(b"\r\nConnection: close\r\n", out)
        with self.subTest("the preface, then no SETTINGS"):
            peer = self.peer(srv, preface=False)
            peer.send(PREFACE + frame(PING, 0, 0, b"12345678"))
            last_stream_id, code, _ = peer.goaway()
            self.assertEqual((last_stream_id, code), (0, PROTOCOL_ERROR))
            self.assertTrue(peer.wait_closed())
        with self.subTest("Upgrade: h2c is answered as HTTP/1.1"):
            with socket.create_connection(("127.0.0.1", srv.port), IO_TIMEOUT) as sock:
                out = self.exchange(sock, b"GET / HTTP/1.1\r\nHost: a\r\n"
                                          b"Connection: Upgrade, HTTP2-Settings, close\r\n"
                                          b"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n"
                                          b"\r\n")
            self.assertTrue(out.startswith(b"HTTP/1.1 200 OK\r\n"), out[:200])
            self.assertTrue(out.endswith(b"\r\n\r\nHello World"), out)
            r = tool(["curl", "-sv", "--http2", "--max-time", str(IO_TIMEOUT), srv.url + "/"])
            self.assertEqual(r.stdout, b"Hello World")
            self.assertIn(b"< HTTP/1.1 200", r.stderr)
            self.assertNotRegex(r.stderr, rb"< HTTP/1.1 101")
        self.assertServes(srv)

    def test_invalid_preface_after_alpn_h2(self):
        srv = self.serve("hello", "--ssl")
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        ctx.set_alpn_protocols(["h2"])
        for data in (b"GARBAGE\r\n\r\n" * 3, b"PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n",
                     b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"):
            with self.subTest(data=data):
                sock = ctx.wrap_socket(
                    socket.create_connection(("127.0.0.1", srv.port), IO_TIMEOUT),
                    server_hostname="localhost")
                self.addCleanup(sock.close)
                self.assertEqual(sock.selected_alpn_protocol(), "h2")
                peer = RawPeer(srv.port, preface=False, sock=sock)
                peer.send(data)
                last_stream_id, code, _ = peer.goaway()
                self.assertEqual((last_stream_id, code), (0, PROTOCOL_ERROR))
                self.assertTrue(peer.wait_closed())
        self.assertServes(srv, tls=True)


class MalformedRequestTest(AttackTest):
    GET = request_fields()
    POST = request_fields("POST")
    CASES = [  # (what, fields, content): each one is malformed (RFC 9113 §8.2, §8.3)
        ("uppercase field name", GET + [("X-Foo", "bar")], None),
        ("connection: keep-alive", GET + [("connection", "keep-alive")], None),
        ("keep-alive", GET + [("keep-alive", "timeout=5")], None),
        ("transfer-encoding", POST + [("transfer-encoding", "chunked")], b"x"),
        ("upgrade", GET + [("upgrade", "h2c")], None),
        ("te other than trailers", GET + [("te", "gzip")], None),
        ("unknown pseudo-header :foo", GET + [(":foo", "x")], None),
        ("pseudo-header after a field", GET[:2] + [("x-a", "b")] + GET[2:], None),
        ("repeated :path", GET + [(":path", "/again")], None),
        ("missing :path", [f for f in GET if f[0] != ":path"], None),
        ("missing :method", [f for f in GET if f[0] != ":method"], None),
        ("empty :path", [(k, "" if k == ":path" else v) for k, v in GET], None),
        (":status in a request", GET + [(":status", "200")], None),
        ("content-length above the DATA", POST + [("content-length", "10")], b"abc"),
        ("content-length below the DATA", POST + [("content-length", "2")], b"abc"),
        ("content-length not a number", POST + [("content-length", "3x")], b"abc"),
        ("CR LF in a value", GET + [("x-a", "b\r\nx-b: c")], None),
        ("NUL in a value", GET + [("x-a", "b\x00c")], None),
        ("space in a name", GET + [("x a", "b")], None),
    ]

    def test_malformed_requests_are_stream_errors(self):
        srv = self.serve("hello")
        sock = socket.create_connection(("127.0.0.1", srv.port), timeout=IO_TIMEOUT)
        self.addCleanup(sock.close)
        conn = h2.connection.H2Connection(h2.config.H2Configuration(
            client_side=True, header_encoding="utf-8", validate_outbound_headers=False,
            normalize_outbound_headers=False, validate_inbound_headers=False))
        conn.initiate_connection()
        expected = {}
        stream_id = 1
        for what, fields, content in self.CASES:
            # Each malformed request between two good ones on the same connection.
            for fields_, content_, want in ((fields, content, ("reset", PROTOCOL_ERROR)),
                                            (self.GET, None, ("status", 200))):
                conn.send_headers(stream_id, fields_, end_stream=content_ is None)
                if content_ is not None:
                    conn.send_data(stream_id, content_, end_stream=True)
                expected[stream_id] = (what if want[0] == "reset" else "good", want)
                stream_id += 2
        sock.sendall(conn.data_to_send())
        got = {}
        deadline = time.monotonic() + IO_TIMEOUT
        while len(got) < len(expected) and time.monotonic() < deadline:
            data = sock.recv(65536)
            self.assertTrue(data, "the server closed the connection")
            for event in conn.receive_data(data):
                if isinstance(event, h2.events.StreamReset):
                    got[event.stream_id] = ("reset", event.error_code)
                elif isinstance(event, h2.events.ResponseReceived):
                    got[event.stream_id] = ("status", int(dict(event.headers)[":status"]))
                elif isinstance(event, h2.events.ConnectionTerminated):
                    self.fail("GOAWAY: %r" % event)
            sock.sendall(conn.data_to_send())
        for sid, (what, want) in expected.items():
            self.assertEqual(got.get(sid), want, "stream %d: %s" % (sid, what))
        self.assertServes(srv)


if __name__ == "__main__":
    unittest.main()
