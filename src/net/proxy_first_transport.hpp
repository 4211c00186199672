#pragma once
// A PROXY protocol header in front of a TLS connection: a load balancer (haproxy `send-proxy`,
// nginx `proxy_protocol on` in stream mode) sends it on the raw TCP connection, before the
// ClientHello. This transport decorator reads it off the socket first, without taking a byte
// of what follows (MSG_PEEK, then exactly the header), runs the inner transport's handshake
// after it, and hands the header's bytes to the protocol as the first bytes read, where the
// sessions already look for it (HttpServerOptions::proxy_protocol, SmtpServerOptions). A
// malformed or oversized header fails the handshake (the connection closes). Loop thread,
// like every transport.
#include "net/transport.hpp"

namespace netius::net {

/// `inner` (e.g. make_tls_server_factory) with the PROXY header read before its handshake.
TransportFactory proxy_header_first(TransportFactory inner);

}  // namespace netius::net
