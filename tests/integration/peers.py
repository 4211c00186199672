"""Peers the integration tests start on loopback ports they choose: haproxy, dnsmasq and
nginx. Each is started on free ports, again on fresh ones if a port was taken meanwhile, and
waited for (bounded) until it answers; use them as context managers."""
import os
import shutil
import socket
import subprocess
import tempfile
import time

from harness import free_port, stop_process, wait_for


def free_udp_tcp_port():
    """A loopback port free a moment ago for both UDP and TCP (a DNS server binds both)."""
    for _ in range(100):
        port = free_port(socket.SOCK_DGRAM)
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                s.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
    raise RuntimeError("no loopback port free for both UDP and TCP")


# A free port is only free until someone else binds it: with the suite running in parallel,
# a client's ephemeral port can take it between free_port() and the peer's bind. Peers we
# start on a chosen port are therefore retried on a new one when their bind fails.
PORT_ATTEMPTS = 5


def start_on_free_ports(peer):
    """peer._pick_ports(), then peer._start(); again on fresh ports while PortTaken."""
    for attempt in range(PORT_ATTEMPTS):
        peer._pick_ports()
        try:
            return peer._start()
        except PortTaken:
            if attempt + 1 == PORT_ATTEMPTS:
                raise


class PortTaken(RuntimeError):
    """A peer exited because its chosen port was taken meanwhile; retry on another."""


def exit_error(name, proc):
    """The error for a peer that exited during start-up, from its stderr."""
    err = proc.stderr.read().decode(errors="replace")
    kind = PortTaken if "Address already in use" in err else RuntimeError
    return kind("%s exited: %s" % (name, err))


def wait_accepting(name, proc, port, stop, timeout=10):
    """Waits (bounded) until `proc` accepts on 127.0.0.1:port; on its exit raises exit_error,
    on the timeout calls stop(None, None, None) and raises."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise exit_error(name, proc)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    stop(None, None, None)
    raise RuntimeError("%s did not start within %d s" % (name, timeout))


class Haproxy:
    """haproxy -db with the configuration text `cfg`, where "@PORT@" stands for its frontend
    port (a free port, chosen again if taken meanwhile; see `port`). Its stderr goes to a
    file, so its logging can never block it on a full pipe."""

    def __init__(self, cfg, work):
        self.cfg = cfg
        self.work = work
        self.proc = None

    def _pick_ports(self):
        self.port = free_port()
        self.path = os.path.join(self.work, "haproxy.cfg")
        with open(self.path, "w") as f:
            f.write(self.cfg.replace("@PORT@", str(self.port)))

    def __enter__(self):
        return start_on_free_ports(self)

    def _start(self):
        err = os.path.join(self.work, "haproxy.err")
        with open(err, "ab") as f:
            self.proc = subprocess.Popen(["haproxy", "-db", "-f", self.path],
                                         stdout=subprocess.DEVNULL, stderr=f)
        self.proc.stderr = self.stderr = open(err, "rb")  # what exit_error reads
        wait_accepting("haproxy", self.proc, self.port, self.__exit__)
        return self

    def __exit__(self, *exc):
        stop_process(self.proc, timeout=10)
        self.stderr.close()


class Dnsmasq:
    """dnsmasq on 127.0.0.1:<free port> serving only the given TXT records (name -> [strings]).

    Use as a context manager; `address` is "127.0.0.1:PORT" for `--nameserver`. `extra` is
    more dnsmasq options (--srv-host, --cname, --auth-zone...); `ipv6` also listens on ::1,
    the same port (`address6`, "[::1]:PORT").
    """

    def __init__(self, records, hosts=None, mx=None, extra=None, ipv6=False):
        self.records = records
        self.hosts = hosts or {}  # name -> [IPv4 and/or IPv6 address], as --host-record
        self.mx = mx or []  # [(domain, exchange, preference)], as --mx-host
        self.extra = list(extra or [])
        self.ipv6 = ipv6
        self.proc = None

    def _pick_ports(self):
        self.port = free_udp_tcp_port()
        self.address = "127.0.0.1:%d" % self.port
        self.address6 = "[::1]:%d" % self.port

    def __enter__(self):
        return start_on_free_ports(self)

    def _start(self):
        args = [shutil.which("dnsmasq") or "/usr/sbin/dnsmasq", "--keep-in-foreground",
                "--no-resolv", "--no-hosts", "--no-daemon", "--conf-file=/dev/null",
                "--listen-address=127.0.0.1", "--bind-interfaces", "--port=%d" % self.port,
                "--user=root", "--pid-file=", "--log-facility=-",
                "--local=/#/"]  # authoritative for everything: unknown names get NXDOMAIN
        for name, strings in self.records.items():
            # dnsmasq splits the value on commas into character-strings (and splits any
            # string over 255 bytes itself); on argv, quotes would be kept literally.
            if any("," in s for s in strings):
                raise ValueError("dnsmasq TXT strings cannot contain commas")
            args.append("--txt-record=%s,%s" % (name, ",".join(strings)))
        for name, addresses in self.hosts.items():
            args.append("--host-record=%s,%s" % (name, ",".join(addresses)))
        for domain, exchange, preference in self.mx:
            args.append("--mx-host=%s,%s,%d" % (domain, exchange, preference))
        if self.ipv6:
            args.append("--listen-address=::1")
        args += self.extra
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # bounded wait until it answers
            if self.proc.poll() is not None:
                raise exit_error("dnsmasq", self.proc)
            if self._answers():
                return self
            time.sleep(0.05)
        self.__exit__(None, None, None)
        raise RuntimeError("dnsmasq did not start within 10 s")

    def _answers(self):
        import dns.message
        import dns.query
        name = next(iter(self.records), "probe.invalid")
        try:
            dns.query.udp(dns.message.make_query(name, "TXT"), "127.0.0.1", port=self.port,
                          timeout=0.2)
            return True
        except Exception:
            return False

    def __exit__(self, *exc):
        stop_process(self.proc, timeout=5)
        if self.proc and self.proc.stderr:
            self.proc.stderr.close()


class Nginx:
    """nginx (Debian's) on loopback, serving `root` with `locations` (nginx.conf text inside the
    server block). `tls` = (cert, key) adds an https listener. Ports are free ports; `url(path)`,
    `https_url(path)`, `url6(path)` (IPv6 [::1] listener) and `access_log()` for assertions.
    "@TLS_PORT@" in `locations` stands for the https port. `http2` makes the https listener
    offer h2 by ALPN and adds a cleartext HTTP/2 (prior knowledge only) listener, `h2c_url()`.
    The access log format is "$request_method $request_uri $status $connection
    $connection_requests [$http_authorization] [$http_user_agent] [$http_x_test]", with
    " $server_protocol" (HTTP/2.0, HTTP/1.1) at the end when `http2`.
    """

    def __init__(self, root, locations="", tls=None, work=None, http2=False):
        self.root = root
        self.work = work or tempfile.mkdtemp(prefix="netius-nginx-")
        self.locations = locations
        self.tls = tls
        self.http2 = http2
        self.proc = None

    def _pick_ports(self):
        """Free ports, and nginx.conf listening on them."""
        tls = self.tls
        self.port = free_port()
        self.tls_port = free_port() if tls else None
        self.port6 = free_port()
        self.h2c_port = free_port() if self.http2 else None
        h2 = " http2" if self.http2 else ""
        locations = self.locations.replace("@TLS_PORT@", str(self.tls_port))
        listen = "listen 127.0.0.1:%d; listen [::1]:%d;" % (self.port, self.port6)
        if tls:
            listen += " listen 127.0.0.1:%d ssl%s; ssl_certificate %s; ssl_certificate_key %s;" % (
                self.tls_port, h2, tls[0], tls[1])
        if self.http2:
            listen += " listen 127.0.0.1:%d http2;" % self.h2c_port
        conf = """
worker_processes 1;
daemon off;
user root root;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 1024; }}
http {{
  log_format t '$request_method $request_uri $status $connection $connection_requests '
               '[$http_authorization] [$http_user_agent] [$http_x_test]{protocol}';
  access_log {work}/access.log t;
  client_body_temp_path {work}; proxy_temp_path {work}; fastcgi_temp_path {work};
  uwsgi_temp_path {work}; scgi_temp_path {work};
  default_type application/octet-stream;
  types {{ text/plain txt; text/html html; }}
  sendfile on;
  server {{
    {listen}
    root {root};
    {locations}
  }}
}}
""".format(work=self.work, listen=listen, root=self.root, locations=locations,
           protocol=" $server_protocol" if self.http2 else "")
        with open(os.path.join(self.work, "nginx.conf"), "w") as f:
            f.write(conf)

    def __enter__(self):
        return start_on_free_ports(self)

    def _start(self):
        self.proc = subprocess.Popen(["/usr/sbin/nginx", "-p", self.work, "-c",
                                      os.path.join(self.work, "nginx.conf")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_accepting("nginx", self.proc, self.port, self.__exit__)
        return self

    def __exit__(self, *exc):
        stop_process(self.proc, timeout=10)
        if self.proc and self.proc.stderr:
            self.proc.stderr.close()
        shutil.rmtree(self.work, True)

    def url(self, path="/"):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def url6(self, path="/"):
        return "http://[::1]:%d%s" % (self.port6, path)

    def h2c_url(self, path="/"):
        return "http://127.0.0.1:%d%s" % (self.h2c_port, path)

    def https_url(self, path="/", host="localhost"):
        return "https://%s:%d%s" % (host, self.tls_port, path)

    def access_log(self):
        """The access log lines so far (nginx writes each line as the request ends)."""
        try:
            with open(os.path.join(self.work, "access.log")) as f:
                return f.read().splitlines()
        except FileNotFoundError:
            return []

    def access_log_since(self, before, count):
        """The access log's lines after the first `before`, once there are `count` of them:
        nginx may write a request's line just after its client has the response (bounded)."""
        return wait_for(lambda: self.access_log()[before:] if len(
            self.access_log()) >= before + count else None, 10, "%d log lines" % count)
