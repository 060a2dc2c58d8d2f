#!/usr/bin/env python3
"""Record real MQTT traffic between real clients and a real broker.

Starts a private mosquitto broker on a free 127.0.0.1 port, puts an
in-process recording TCP proxy (standard library only) in front of it, runs a
fixed list of client scenarios through the proxy (mosquitto_pub/mosquitto_sub
for MQTT 3.1, 3.1.1 and 5.0, and MQTT.js for protocol versions 3, 4 and 5),
and writes every packet that crossed the proxy to
tests/data/recorded/<scenario>.txt:

    # recorded by tools/record/record.py: <client> <version> <description>
    # mosquitto <version string>
    # connection 1: client id "m4-persist", protocol level 4, 5 packets
    c2s 4 101600044d5154540400003c000a6d342d70657273697374
    s2c 4 20020000

Comment lines start with '#'.  Every other line is
"<direction> <protocol level 3|4|5> <lowercase hex of one whole packet>",
where the level is the one of the CONNECT seen on that TCP connection.
Packets of one connection are contiguous and in the order the proxy saw them
(a "# connection N ..." comment line separates connections).

All traffic stays on 127.0.0.1, every wait is bounded and the broker, the
proxy and all clients are stopped before the script exits.

Usage: python3 tools/record/record.py [--list] [--only SUBSTRING ...] [--out DIR]
                                      [--keep-tmp]
Needs: mosquitto, mosquitto-clients (Debian), node + `npm ci` in tools/record.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_OUT = os.path.join(REPO, "tests", "data", "recorded")
HOST = "127.0.0.1"

# Hard bound for the whole run; every individual wait has a smaller bound.
GLOBAL_DEADLINE_S = 600

PACKET_NAMES = {
    1: "CONNECT", 2: "CONNACK", 3: "PUBLISH", 4: "PUBACK", 5: "PUBREC",
    6: "PUBREL", 7: "PUBCOMP", 8: "SUBSCRIBE", 9: "SUBACK", 10: "UNSUBSCRIBE",
    11: "UNSUBACK", 12: "PINGREQ", 13: "PINGRESP", 14: "DISCONNECT", 15: "AUTH",
}
VERSION_NAMES = {3: "3.1", 4: "3.1.1", 5: "5.0"}

USER = "alice"
PASSWORD = "secret"


# --------------------------------------------------------------------------
# MQTT framing
# --------------------------------------------------------------------------

class FramingError(Exception):
    pass


class PacketSplitter:
    """Splits one direction of a byte stream into whole MQTT packets."""

    def __init__(self):
        self.buf = bytearray()

    def feed(self, data):
        self.buf += data
        out = []
        while True:
            if len(self.buf) < 2:
                break
            remaining = 0
            mult = 1
            i = 1
            complete = False
            while i < len(self.buf):
                b = self.buf[i]
                remaining += (b & 0x7F) * mult
                mult *= 128
                i += 1
                if not b & 0x80:
                    complete = True
                    break
                if i == 5:
                    raise FramingError("remaining length longer than 4 bytes: %s"
                                       % bytes(self.buf[:5]).hex())
            if not complete:
                break
            total = i + remaining
            if len(self.buf) < total:
                break
            out.append(bytes(self.buf[:total]))
            del self.buf[:total]
        return out


def fixed_header_len(pkt):
    i = 1
    while pkt[i] & 0x80:
        i += 1
    return i + 1


def read_varint(data, pos):
    value, mult = 0, 1
    while True:
        b = data[pos]
        pos += 1
        value += (b & 0x7F) * mult
        mult *= 128
        if not b & 0x80:
            return value, pos


def parse_connect(pkt):
    """Returns (protocol level, client id) of a CONNECT packet."""
    pos = fixed_header_len(pkt)
    name_len = int.from_bytes(pkt[pos:pos + 2], "big")
    pos += 2 + name_len
    level = pkt[pos]
    pos += 1 + 1 + 2  # level, flags, keep alive
    if level == 5:
        plen, pos = read_varint(pkt, pos)
        pos += plen
    cid_len = int.from_bytes(pkt[pos:pos + 2], "big")
    client_id = pkt[pos + 2:pos + 2 + cid_len].decode("utf-8", "replace")
    return level, client_id


# --------------------------------------------------------------------------
# Recording proxy
# --------------------------------------------------------------------------

class Connection:
    def __init__(self, cid, scenario):
        self.id = cid
        self.scenario = scenario
        self.level = None
        self.client_id = None
        self.packets = []          # (seq, direction, bytes)
        self.notes = []            # free-text notes (framing problems, ...)
        self.closed = threading.Event()
        self._done = 0


class RecordingProxy:
    def __init__(self, listen_port, deadline):
        self.listen_port = listen_port
        self.upstream_port = None
        self.deadline = deadline
        self.scenario = None
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)
        self.seq = 0
        self.conns = []
        self.stop = threading.Event()
        self.threads = []
        self.sock = None

    def start(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((HOST, self.listen_port))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        t = threading.Thread(target=self._accept_loop, name="proxy-accept", daemon=True)
        t.start()
        self.threads.append(t)

    def close(self):
        self.stop.set()
        for t in list(self.threads):
            t.join(timeout=3)
        if self.sock:
            self.sock.close()

    def _alive(self):
        return not self.stop.is_set() and time.monotonic() < self.deadline

    def _accept_loop(self):
        while self._alive():
            try:
                client, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                break
            try:
                upstream = socket.create_connection((HOST, self.upstream_port), timeout=5)
            except OSError as e:
                print("proxy: cannot reach broker: %s" % e, file=sys.stderr)
                client.close()
                continue
            for s in (client, upstream):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                s.settimeout(0.2)
            with self.lock:
                conn = Connection(len(self.conns) + 1, self.scenario)
                self.conns.append(conn)
            for src, dst, direction in ((client, upstream, "c2s"), (upstream, client, "s2c")):
                t = threading.Thread(target=self._pump, args=(conn, src, dst, direction),
                                     name="proxy-%d-%s" % (conn.id, direction), daemon=True)
                t.start()
                self.threads.append(t)

    def _pump(self, conn, src, dst, direction):
        splitter = PacketSplitter()
        framing_ok = True
        try:
            while self._alive():
                try:
                    data = src.recv(65536)
                except socket.timeout:
                    continue
                except OSError:
                    break
                if not data:
                    break
                if framing_ok:
                    try:
                        packets = splitter.feed(data)
                    except FramingError as e:
                        framing_ok = False
                        packets = []
                        with self.lock:
                            conn.notes.append("%s framing error: %s" % (direction, e))
                    # Record before forwarding so that an answer can never be
                    # recorded before the packet that caused it.
                    with self.cond:
                        for pkt in packets:
                            if direction == "c2s" and pkt[0] >> 4 == 1 and conn.level is None:
                                try:
                                    conn.level, conn.client_id = parse_connect(pkt)
                                except (IndexError, ValueError):
                                    conn.notes.append("unparsable CONNECT")
                            self.seq += 1
                            conn.packets.append((self.seq, direction, pkt))
                        self.cond.notify_all()
                try:
                    dst.sendall(data)
                except OSError:
                    break
        finally:
            if splitter.buf:
                with self.lock:
                    conn.notes.append("%s: %d trailing bytes of an incomplete packet: %s"
                                      % (direction, len(splitter.buf), bytes(splitter.buf).hex()))
            try:
                dst.shutdown(socket.SHUT_WR)
            except OSError:
                pass
            with self.cond:
                conn._done += 1
                last = conn._done == 2
                self.cond.notify_all()
            if last:
                src.close()
                dst.close()
                conn.closed.set()

    # -- helpers for scenarios -------------------------------------------

    def count(self, scenario, client_id, ptype, direction):
        n = 0
        for c in self.conns:
            if c.scenario != scenario or c.client_id != client_id:
                continue
            n += sum(1 for _, d, p in c.packets if d == direction and p[0] >> 4 == ptype)
        return n

    def wait_for(self, scenario, client_id, ptype, direction="s2c", count=1, timeout=10.0):
        end = min(time.monotonic() + timeout, self.deadline)
        with self.cond:
            while self.count(scenario, client_id, ptype, direction) < count:
                left = end - time.monotonic()
                if left <= 0:
                    raise TimeoutError("%s: %s never got %d x %s %s"
                                       % (scenario, client_id, count, direction,
                                          PACKET_NAMES.get(ptype, ptype)))
                self.cond.wait(min(left, 0.2))

    def wait_closed(self, scenario, timeout=10.0):
        end = min(time.monotonic() + timeout, self.deadline)
        for c in list(self.conns):
            if c.scenario == scenario:
                c.closed.wait(max(0.0, end - time.monotonic()))
        return all(c.closed.is_set() for c in self.conns if c.scenario == scenario)


# --------------------------------------------------------------------------
# Broker
# --------------------------------------------------------------------------

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_port(port, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError("nothing listens on %s:%d" % (HOST, port))


class Broker:
    def __init__(self, tmpdir):
        self.tmpdir = tmpdir
        self.port_anon = free_port()
        self.port_auth = free_port()
        self.proc = None
        self.log_path = os.path.join(tmpdir, "mosquitto.log")

    def start(self):
        pwfile = os.path.join(self.tmpdir, "passwd")
        open(pwfile, "w").close()
        subprocess.run(["mosquitto_passwd", "-b", pwfile, USER, PASSWORD],
                       check=True, timeout=10, stdout=subprocess.DEVNULL)
        aclfile = os.path.join(self.tmpdir, "acl")
        with open(aclfile, "w") as f:
            f.write("user %s\n"
                    "topic readwrite mosq/#\n"
                    "topic readwrite js/#\n"
                    "topic read readonly/#\n" % USER)
        conf = os.path.join(self.tmpdir, "mosquitto.conf")
        with open(conf, "w") as f:
            f.write(
                "# written by tools/record/record.py\n"
                "per_listener_settings true\n"
                "persistence false\n"
                "log_dest stderr\n"
                "log_type all\n"
                "connection_messages true\n"
                # v5 CONNACK then carries server-keep-alive for clients asking more
                "max_keepalive 120\n"
                # v5 CONNACK then carries maximum-packet-size
                "max_packet_size 1048576\n"
                "\n"
                "listener %d %s\n"
                "allow_anonymous true\n"
                "\n"
                "listener %d %s\n"
                "allow_anonymous false\n"
                "password_file %s\n"
                "acl_file %s\n"
                % (self.port_anon, HOST, self.port_auth, HOST, pwfile, aclfile))
        # mosquitto started as root drops to the "mosquitto" user: let it read
        # the temp dir (it only needs the config and the password file).
        os.chmod(self.tmpdir, 0o755)
        os.chmod(pwfile, 0o644)
        os.chmod(aclfile, 0o644)
        os.chmod(conf, 0o644)
        self.log = open(self.log_path, "w")
        # coreutils timeout: the broker ends by itself even if this script dies
        self.proc = subprocess.Popen(["timeout", "-k", "5", str(GLOBAL_DEADLINE_S + 60),
                                      "mosquitto", "-c", conf],
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        wait_port(self.port_anon)
        wait_port(self.port_auth)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        if self.proc:
            self.log.close()


def mosquitto_version():
    out = subprocess.run(["mosquitto", "-h"], capture_output=True, text=True, timeout=10)
    m = re.search(r"mosquitto version (\S+)", out.stdout + out.stderr)
    return m.group(1) if m else "unknown"


def clients_version():
    out = subprocess.run(["mosquitto_pub", "--help"], capture_output=True, text=True, timeout=10)
    m = re.search(r"mosquitto_pub version (\S+)", out.stdout + out.stderr)
    return m.group(1) if m else "unknown"


def mqttjs_version():
    try:
        out = subprocess.run(["node", "-p", "require('mqtt/package.json').version"],
                             cwd=HERE, capture_output=True, text=True, timeout=20)
        return out.stdout.strip() if out.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        return None


# --------------------------------------------------------------------------
# Scenario context
# --------------------------------------------------------------------------

class Ctx:
    def __init__(self, name, proxy, broker, log):
        self.name = name
        self.proxy = proxy
        self.broker = broker
        self.procs = []
        self.log = log

    @property
    def port(self):
        return self.proxy.listen_port

    def anon(self):
        self.proxy.upstream_port = self.broker.port_anon

    def auth(self):
        self.proxy.upstream_port = self.broker.port_auth

    def _cmd(self, args, limit):
        if args[0].startswith("mosquitto_"):
            args = [args[0], "-h", HOST, "-p", str(self.port)] + list(args[1:])
        # coreutils timeout: the client ends by itself even if this script dies
        return ["timeout", "-k", "2", str(limit)] + list(args)

    def spawn(self, *args, limit=30):
        cmd = self._cmd(args, limit)
        self.log.write("$ %s &\n" % " ".join(cmd))
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, cwd=HERE,
                             start_new_session=True)
        p.cmd = cmd
        p.name = args[0]
        self.procs.append(p)
        return p

    @staticmethod
    def _killpg(p, sig):
        try:
            os.killpg(p.pid, sig)   # the timeout wrapper and the client
        except ProcessLookupError:
            pass

    def wait(self, p, timeout=15, ok=(0,)):
        try:
            out, _ = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._killpg(p, signal.SIGKILL)
            out, _ = p.communicate(timeout=5)
            raise RuntimeError("%s did not finish in %ss: %s" % (p.name, timeout, out.strip()))
        self.log.write("[%s rc=%d]\n%s" % (p.name, p.returncode, out))
        if ok is not None and p.returncode not in ok:
            raise RuntimeError("%s exited %d: %s" % (p.name, p.returncode, out.strip()))
        return out

    def run(self, *args, timeout=15, ok=(0,)):
        return self.wait(self.spawn(*args, limit=timeout + 5), timeout=timeout, ok=ok)

    def kill9(self, p):
        """Ungraceful end: the client dies without sending DISCONNECT."""
        self._killpg(p, signal.SIGKILL)
        p.communicate(timeout=5)

    def wait_for(self, client_id, ptype, direction="s2c", count=1, timeout=10):
        self.proxy.wait_for(self.name, client_id, ptype, direction, count, timeout)

    def cleanup(self):
        for p in self.procs:
            if p.poll() is None:
                self._killpg(p, signal.SIGTERM)
                try:
                    p.communicate(timeout=3)
                except subprocess.TimeoutExpired:
                    self._killpg(p, signal.SIGKILL)
                    p.communicate(timeout=3)


# --------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------

CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, \
    UNSUBSCRIBE, UNSUBACK, PINGREQ, PINGRESP, DISCONNECT, AUTH = range(1, 16)

SCENARIOS = []


def scenario(name, client, version, description, expect):
    def deco(fn):
        SCENARIOS.append(dict(name=name, client=client, version=version,
                              description=description, expect=set(expect), fn=fn))
        return fn
    return deco


def vflag(v):
    return {"31": "mqttv31", "311": "mqttv311", "5": "mqttv5"}[v]


def short(v):
    return {"31": "3", "311": "4", "5": "5"}[v]


def make_mosquitto_scenarios(v):
    V = vflag(v)
    tag = "m" + short(v)              # client id prefix, short for 3.1's 23-char limit
    base = "mosq/" + v                # topic prefix
    ver = VERSION_NAMES[int(short(v))]

    @scenario("mosquitto_v%s_qos" % v, "mosquitto_clients", ver,
              "username/password, QoS 0/1/2 publish and delivery to a QoS 2 subscriber",
              {CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE,
               SUBACK, DISCONNECT})
    def _qos(ctx):
        ctx.auth()
        sub = ctx.spawn("mosquitto_sub", "-V", V, "-i", tag + "-qos-sub", "-u", USER,
                        "-P", PASSWORD, "-q", "2", "-t", base + "/qos/#", "-C", "3", "-v")
        ctx.wait_for(tag + "-qos-sub", SUBACK)
        for q in ("0", "1", "2"):
            ctx.run("mosquitto_pub", "-V", V, "-i", "%s-qos-pub%s" % (tag, q), "-u", USER,
                    "-P", PASSWORD, "-q", q, "-t", "%s/qos/%s" % (base, q),
                    "-m", "qos %s payload" % q)
        ctx.wait(sub)

    @scenario("mosquitto_v%s_retain" % v, "mosquitto_clients", ver,
              "retained publish, late subscriber gets it, retained message cleared",
              {CONNECT, CONNACK, PUBLISH, PUBACK, SUBSCRIBE, SUBACK, DISCONNECT})
    def _retain(ctx):
        ctx.anon()
        ctx.run("mosquitto_pub", "-V", V, "-i", tag + "-ret-pub", "-q", "1", "-r",
                "-t", base + "/retained", "-m", "retained value")
        ctx.run("mosquitto_sub", "-V", V, "-i", tag + "-ret-sub", "-q", "1",
                "-t", base + "/retained", "-C", "1", "-v")
        # zero length retained payload deletes the retained message
        ctx.run("mosquitto_pub", "-V", V, "-i", tag + "-ret-clr", "-q", "0", "-r", "-n",
                "-t", base + "/retained")

    @scenario("mosquitto_v%s_will" % v, "mosquitto_clients", ver,
              "client with a retained QoS 1 will dies without DISCONNECT, will delivered",
              {CONNECT, CONNACK, PUBLISH, PUBACK, SUBSCRIBE, SUBACK, DISCONNECT})
    def _will(ctx):
        ctx.anon()
        watcher = ctx.spawn("mosquitto_sub", "-V", V, "-i", tag + "-will-watch", "-q", "1",
                            "-t", base + "/will/#", "-C", "1", "-v")
        ctx.wait_for(tag + "-will-watch", SUBACK)
        dying = ctx.spawn("mosquitto_sub", "-V", V, "-i", tag + "-will-dies", "-k", "30",
                          "--will-topic", base + "/will/status", "--will-payload", "gone",
                          "--will-qos", "1", "--will-retain", "-t", base + "/other")
        ctx.wait_for(tag + "-will-dies", SUBACK)
        ctx.kill9(dying)
        ctx.wait(watcher)
        ctx.run("mosquitto_pub", "-V", V, "-i", tag + "-will-clr", "-r", "-n",
                "-t", base + "/will/status")

    @scenario("mosquitto_v%s_keepalive_unsubscribe" % v, "mosquitto_clients", ver,
              "keep alive 5 s with PINGREQ/PINGRESP, two subscriptions, one unsubscribed",
              {CONNECT, CONNACK, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, PINGREQ, PINGRESP,
               DISCONNECT})
    def _ping(ctx):
        ctx.anon()
        # -W: leave after 7 s (one keep alive period of 5 s) with a DISCONNECT
        ctx.run("mosquitto_sub", "-V", V, "-i", tag + "-ping", "-k", "5", "-q", "1",
                "-t", base + "/a", "-t", base + "/b/+", "-U", base + "/a", "-W", "7",
                timeout=20, ok=(0, 27))

    @scenario("mosquitto_v%s_persistent_session" % v, "mosquitto_clients", ver,
              "persistent session: message queued while offline, session present on reconnect",
              {CONNECT, CONNACK, PUBLISH, PUBACK, SUBSCRIBE, SUBACK, DISCONNECT})
    def _session(ctx):
        ctx.anon()
        cid = tag + "-persist"
        extra = ["-x", "300"] if v == "5" else []
        ctx.run("mosquitto_sub", "-V", V, "-i", cid, "-c", *extra, "-q", "1",
                "-t", base + "/session", "-E")
        ctx.run("mosquitto_pub", "-V", V, "-i", tag + "-persist-pub", "-q", "1",
                "-t", base + "/session", "-m", "queued while offline")
        ctx.run("mosquitto_sub", "-V", V, "-i", cid, "-c", *extra, "-q", "1",
                "-t", base + "/session", "-C", "1", "-v")
        # end the session: clean start / clean session
        ctx.run("mosquitto_sub", "-V", V, "-i", cid, "-q", "1", "-t", base + "/session", "-E")

    @scenario("mosquitto_v%s_refused" % v, "mosquitto_clients", ver,
              "CONNACK refusals: wrong password and no credentials on a password listener",
              {CONNECT, CONNACK})
    def _refused(ctx):
        ctx.auth()
        ctx.run("mosquitto_pub", "-V", V, "-i", tag + "-badpw", "-u", USER, "-P", "wrong",
                "-t", base + "/x", "-m", "x", ok=None)
        ctx.run("mosquitto_pub", "-V", V, "-i", tag + "-nocred", "-t", base + "/x", "-m", "x",
                ok=None)

    @scenario("mosquitto_v%s_acl_denied" % v, "mosquitto_clients", ver,
              "ACL: SUBSCRIBE with a denied filter (mosquitto grants it anyway), QoS 1/2 "
              "PUBLISH to a read-only topic",
              # v5: PUBREC 0x87 ends the QoS 2 flow, no PUBREL/PUBCOMP
              {CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, SUBSCRIBE, SUBACK, DISCONNECT}
              | (set() if v == "5" else {PUBREL, PUBCOMP}))
    def _acl(ctx):
        ctx.auth()
        ctx.run("mosquitto_sub", "-V", V, "-i", tag + "-acl-sub", "-u", USER, "-P", PASSWORD,
                "-q", "1", "-t", base + "/acl", "-t", "forbidden/topic", "-E", ok=None)
        for q in ("1", "2"):
            ctx.run("mosquitto_pub", "-V", V, "-i", "%s-acl-pub%s" % (tag, q), "-u", USER,
                    "-P", PASSWORD, "-q", q, "-t", "readonly/topic", "-m", "denied")

    @scenario("mosquitto_v%s_multi" % v, "mosquitto_clients", ver,
              "several filters in one SUBSCRIBE (QoS 1), overlapping wildcards, repeated "
              "publishes, empty payload",
              {CONNECT, CONNACK, PUBLISH, PUBACK, SUBSCRIBE, SUBACK, DISCONNECT})
    def _multi(ctx):
        ctx.anon()
        sub = ctx.spawn("mosquitto_sub", "-V", V, "-i", tag + "-multi-sub", "-q", "1",
                        "-t", base + "/multi/+/x", "-t", base + "/multi/#", "-t", base + "/m2",
                        "-C", "5" if v == "5" else "3", "-v")
        ctx.wait_for(tag + "-multi-sub", SUBACK)
        ctx.run("mosquitto_pub", "-V", V, "-i", tag + "-multi-pub", "-q", "1",
                "-t", base + "/multi/a/x", "-m", "one", "--repeat", "2")
        ctx.run("mosquitto_pub", "-V", V, "-i", tag + "-multi-pub", "-q", "0",
                "-t", base + "/m2", "-n")
        ctx.wait(sub)


for _v in ("31", "311", "5"):
    make_mosquitto_scenarios(_v)


# -- MQTT v5 only, mosquitto clients ---------------------------------------

M5 = "mqttv5"


@scenario("mosquitto_v5_connect_properties", "mosquitto_clients", "5.0",
          "every CONNECT/SUBSCRIBE/UNSUBSCRIBE/DISCONNECT property mosquitto_sub can send",
          {CONNECT, CONNACK, SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT})
def _v5_connect_props(ctx):
    ctx.auth()
    ctx.run("mosquitto_sub", "-V", M5, "-i", "m5-cprops", "-u", USER, "-P", PASSWORD,
            "-k", "300",   # more than max_keepalive: CONNACK carries server-keep-alive
            "-D", "connect", "session-expiry-interval", "30",
            "-D", "connect", "receive-maximum", "10",
            "-D", "connect", "maximum-packet-size", "65536",
            "-D", "connect", "topic-alias-maximum", "5",
            "-D", "connect", "request-response-information", "1",
            "-D", "connect", "request-problem-information", "1",
            "-D", "connect", "user-property", "connect-key", "connect-value",
            "-D", "connect", "user-property", "connect-key", "second value",
            "-D", "subscribe", "subscription-identifier", "7",
            "-D", "subscribe", "user-property", "sub-key", "sub-value",
            "-D", "unsubscribe", "user-property", "unsub-key", "unsub-value",
            "-D", "disconnect", "session-expiry-interval", "0",
            "-D", "disconnect", "user-property", "bye-key", "bye-value",
            "-q", "2", "--retain-as-published",
            "-t", "mosq/5/cp/a", "-t", "mosq/5/cp/b", "-U", "mosq/5/cp/a",
            "-W", "1", ok=(0, 27))


@scenario("mosquitto_v5_publish_properties", "mosquitto_clients", "5.0",
          "PUBLISH with every property (QoS 0/1/2), forwarded to a subscriber",
          {CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK,
           DISCONNECT})
def _v5_publish_props(ctx):
    ctx.anon()
    sub = ctx.spawn("mosquitto_sub", "-V", M5, "-i", "m5-pprops-sub", "-q", "2",
                    "-D", "subscribe", "subscription-identifier", "12345",
                    "-t", "mosq/5/pp/#", "-C", "3", "-v")
    ctx.wait_for("m5-pprops-sub", SUBACK)
    for q in ("0", "1", "2"):
        ctx.run("mosquitto_pub", "-V", M5, "-i", "m5-pprops-pub" + q, "-q", q,
                "-t", "mosq/5/pp/" + q, "-m", "{\"qos\": %s}" % q,
                "-D", "publish", "payload-format-indicator", "1",
                "-D", "publish", "message-expiry-interval", "3600",
                "-D", "publish", "content-type", "application/json",
                "-D", "publish", "response-topic", "mosq/5/pp/response",
                "-D", "publish", "correlation-data", "corr-" + q,
                "-D", "publish", "user-property", "pub-key", "pub-value",
                "-D", "publish", "user-property", "pub-key2", "pub-value2",
                "-D", "publish", "topic-alias", "1")
    ctx.wait(sub)


@scenario("mosquitto_v5_topic_alias", "mosquitto_clients", "5.0",
          "topic alias: first PUBLISH sets alias 1, the next ones have an empty topic",
          {CONNECT, CONNACK, PUBLISH, PUBACK, SUBSCRIBE, SUBACK, DISCONNECT})
def _v5_alias(ctx):
    ctx.anon()
    sub = ctx.spawn("mosquitto_sub", "-V", M5, "-i", "m5-alias-sub", "-q", "1",
                    "-t", "mosq/5/alias", "-C", "3", "-v")
    ctx.wait_for("m5-alias-sub", SUBACK)
    ctx.run("mosquitto_pub", "-V", M5, "-i", "m5-alias-pub", "-q", "1", "-t", "mosq/5/alias",
            "-m", "aliased", "--repeat", "3", "-D", "publish", "topic-alias", "1")
    ctx.wait(sub)


@scenario("mosquitto_v5_will_properties", "mosquitto_clients", "5.0",
          "will with every will property, client dies, will delivered with properties",
          {CONNECT, CONNACK, PUBLISH, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, DISCONNECT})
def _v5_will_props(ctx):
    ctx.anon()
    watcher = ctx.spawn("mosquitto_sub", "-V", M5, "-i", "m5-wprops-watch", "-q", "2",
                        "-t", "mosq/5/will/#", "-C", "1", "-v")
    ctx.wait_for("m5-wprops-watch", SUBACK)
    dying = ctx.spawn("mosquitto_sub", "-V", M5, "-i", "m5-wprops-dies", "-t", "mosq/5/other",
                      "--will-topic", "mosq/5/will/status", "--will-payload", "offline",
                      "--will-qos", "2",
                      "-D", "will", "will-delay-interval", "0",
                      "-D", "will", "payload-format-indicator", "1",
                      "-D", "will", "content-type", "text/plain",
                      "-D", "will", "message-expiry-interval", "600",
                      "-D", "will", "response-topic", "mosq/5/will/response",
                      "-D", "will", "correlation-data", "will-corr",
                      "-D", "will", "user-property", "will-key", "will-value")
    ctx.wait_for("m5-wprops-dies", SUBACK)
    ctx.kill9(dying)
    ctx.wait(watcher)


@scenario("mosquitto_v5_will_delay", "mosquitto_clients", "5.0",
          "will delay 1 s with session expiry 2 s: will published after the delay",
          {CONNECT, CONNACK, PUBLISH, SUBSCRIBE, SUBACK, DISCONNECT})
def _v5_will_delay(ctx):
    ctx.anon()
    watcher = ctx.spawn("mosquitto_sub", "-V", M5, "-i", "m5-wdelay-watch", "-q", "0",
                        "-t", "mosq/5/wdelay/#", "-C", "1", "-v")
    ctx.wait_for("m5-wdelay-watch", SUBACK)
    dying = ctx.spawn("mosquitto_sub", "-V", M5, "-i", "m5-wdelay-dies", "-x", "2",
                      "-t", "mosq/5/other",
                      "--will-topic", "mosq/5/wdelay/status", "--will-payload", "late",
                      "-D", "will", "will-delay-interval", "1")
    ctx.wait_for("m5-wdelay-dies", SUBACK)
    ctx.kill9(dying)
    ctx.wait(watcher, timeout=10)


@scenario("mosquitto_v5_reason_codes", "mosquitto_clients", "5.0",
          "PUBACK/PUBREC 0x10 no matching subscribers, shared subscription, server "
          "DISCONNECT 0x94 for topic alias 11 > topic-alias-maximum 10",
          {CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK,
           DISCONNECT})
def _v5_reason(ctx):
    ctx.anon()
    for q in ("1", "2"):
        ctx.run("mosquitto_pub", "-V", M5, "-i", "m5-nosub" + q, "-q", q,
                "-t", "mosq/5/nobody/listens", "-m", "lost")
    ctx.run("mosquitto_sub", "-V", M5, "-i", "m5-shared", "-q", "1",
            "-t", "$share/group/mosq/5/shared", "-E")
    ctx.run("mosquitto_pub", "-V", M5, "-i", "m5-badalias", "-q", "1", "-t", "mosq/5/alias",
            "-m", "bad alias", "-D", "publish", "topic-alias", "11", ok=None)


@scenario("mosquitto_v5_session_takeover", "mosquitto_clients", "5.0",
          "second client with the same id takes over (mosquitto closes the first "
          "connection), the first client reconnects",
          {CONNECT, CONNACK, SUBSCRIBE, SUBACK, DISCONNECT})
def _v5_takeover(ctx):
    ctx.anon()
    first = ctx.spawn("mosquitto_sub", "-V", M5, "-i", "m5-dup", "-t", "mosq/5/dup", "-W", "3")
    ctx.wait_for("m5-dup", SUBACK)
    ctx.run("mosquitto_sub", "-V", M5, "-i", "m5-dup", "-t", "mosq/5/dup", "-E")
    ctx.wait(first, timeout=10, ok=None)


@scenario("mosquitto_v5_auth_method", "mosquitto_clients", "5.0",
          "authentication-method/data in CONNECT, refused with CONNACK 0x8c (no auth plugin)",
          {CONNECT, CONNACK})
def _v5_auth(ctx):
    ctx.anon()
    ctx.run("mosquitto_sub", "-V", M5, "-i", "m5-auth", "-t", "mosq/5/auth",
            "-D", "connect", "authentication-method", "SCRAM-SHA-1",
            "-D", "connect", "authentication-data", "client-first-data", "-E", ok=None)


@scenario("mosquitto_v5_assigned_client_id", "mosquitto_clients", "5.0",
          "empty client id: CONNACK carries assigned-client-identifier (random value)",
          {CONNECT, CONNACK, PUBLISH, DISCONNECT})
def _v5_assigned(ctx):
    ctx.anon()
    ctx.run("mosquitto_pub", "-V", M5, "-t", "mosq/5/anon", "-m", "hi")


# -- MQTT.js ---------------------------------------------------------------

def make_mqttjs_scenario(level):
    ver = VERSION_NAMES[level]
    expect = {CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK,
              UNSUBSCRIBE, UNSUBACK, PINGREQ, PINGRESP, DISCONNECT}

    @scenario("mqttjs_v%d" % level, "mqtt.js", ver,
              "will, username/password, subscribe with per-filter QoS%s, QoS 0/1/2 publish%s, "
              "retained, unsubscribe, ping, will delivery, end"
              % ((", subscription options and ids", " with properties and topic alias")
                 if level == 5 else ("", "")),
              expect)
    def _js(ctx):
        ctx.auth()
        ctx.run("node", os.path.join(HERE, "mqttjs_scenario.js"), str(ctx.port), str(level),
                USER, PASSWORD, timeout=45)


for _level in (3, 4, 5):
    make_mqttjs_scenario(_level)


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------

def type_counts(conns):
    counts = {}
    for c in conns:
        for _, _, p in c.packets:
            t = p[0] >> 4
            counts[t] = counts.get(t, 0) + 1
    return counts


def format_counts(counts):
    return " ".join("%s=%d" % (PACKET_NAMES.get(t, "TYPE%d" % t), n)
                    for t, n in sorted(counts.items()))


def write_scenario(path, sc, conns, header_client, mosq_version):
    with open(path, "w") as f:
        f.write("# recorded by tools/record/record.py: %s %s %s\n"
                % (header_client, sc["version"], sc["description"]))
        f.write("# mosquitto %s\n" % mosq_version)
        for n, c in enumerate(conns, 1):
            f.write("# connection %d: client id \"%s\", protocol level %s, %d packets\n"
                    % (n, c.client_id, c.level, len(c.packets)))
            for note in c.notes:
                f.write("# note: %s\n" % note)
            for _, d, p in c.packets:
                f.write("%s %s %s\n" % (d, c.level if c.level is not None else 0, p.hex()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="output directory")
    ap.add_argument("--only", action="append", default=[],
                    help="run only scenarios whose name contains this (repeatable)")
    ap.add_argument("--list", action="store_true", help="list scenarios and exit")
    ap.add_argument("--keep-tmp", action="store_true", help="keep the broker's temp dir")
    args = ap.parse_args()

    selected = [s for s in SCENARIOS
                if not args.only or any(o in s["name"] for o in args.only)]
    if args.list:
        for s in selected:
            print("%-40s %s" % (s["name"], s["description"]))
        return 0

    for tool in ("mosquitto", "mosquitto_pub", "mosquitto_sub", "mosquitto_passwd"):
        if not shutil.which(tool):
            print("missing %s: apt-get install mosquitto mosquitto-clients" % tool,
                  file=sys.stderr)
            return 2
    js_version = mqttjs_version()
    if js_version is None:
        print("MQTT.js not installed (cd tools/record && npm ci): skipping mqttjs scenarios",
              file=sys.stderr)
        selected = [s for s in selected if s["client"] != "mqtt.js"]

    def _stop(signum, _frame):
        raise SystemExit(128 + signum)   # run the finally: below (broker, proxy, clients)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _stop)

    mosq_version = mosquitto_version()
    cli_version = clients_version()
    os.makedirs(args.out, exist_ok=True)
    known = {sc["name"] + ".txt" for sc in SCENARIOS}
    for f in os.listdir(args.out):
        if f.endswith(".txt") and f not in known:
            os.remove(os.path.join(args.out, f))   # recording of a renamed/removed scenario
    deadline = time.monotonic() + GLOBAL_DEADLINE_S
    tmpdir = tempfile.mkdtemp(prefix="mqttcodec-record-")
    broker = Broker(tmpdir)
    proxy = RecordingProxy(free_port(), deadline)
    failures = []
    coverage = {3: set(), 4: set(), 5: set()}
    log = open(os.path.join(tmpdir, "scenarios.log"), "w")
    try:
        broker.start()
        proxy.start()
        print("mosquitto %s on %s:%d (anonymous) and :%d (password), proxy on :%d"
              % (mosq_version, HOST, broker.port_anon, broker.port_auth, proxy.listen_port))
        for sc in selected:
            if time.monotonic() > deadline - 30:
                failures.append("%s: global time limit reached, not run" % sc["name"])
                continue
            proxy.scenario = sc["name"]
            ctx = Ctx(sc["name"], proxy, broker, log)
            log.write("\n=== %s\n" % sc["name"])
            error = None
            try:
                sc["fn"](ctx)
            except Exception as e:  # noqa: BLE001 - reported below
                error = "%s: %s" % (type(e).__name__, e)
            finally:
                ctx.cleanup()
            if not proxy.wait_closed(sc["name"], timeout=10):
                failures.append("%s: a connection did not close" % sc["name"])
            proxy.scenario = None
            conns = [c for c in proxy.conns if c.scenario == sc["name"]]
            counts = type_counts(conns)
            missing = sc["expect"] - set(counts)
            if sc["client"] == "mqtt.js":
                header_client = "mqtt.js@%s" % js_version
            else:
                header_client = "mosquitto_pub/mosquitto_sub@%s" % cli_version
            if error is None or conns:
                write_scenario(os.path.join(args.out, sc["name"] + ".txt"), sc, conns,
                               header_client, mosq_version)
            for c in conns:
                for _, _, p in c.packets:
                    if c.level in coverage:
                        coverage[c.level].add(p[0] >> 4)
                for note in c.notes:
                    failures.append("%s: connection %d: %s" % (sc["name"], c.id, note))
            status = "ok"
            if error:
                status = "ERROR " + error
                failures.append("%s: %s" % (sc["name"], error))
            if missing:
                status += " MISSING " + ",".join(PACKET_NAMES[t] for t in sorted(missing))
                failures.append("%s: expected packet types missing: %s"
                                % (sc["name"], ",".join(PACKET_NAMES[t] for t in sorted(missing))))
            print("%-38s %2d conn  %s  [%s]" % (sc["name"], len(conns), format_counts(counts),
                                                  status))
            sys.stdout.flush()
    finally:
        proxy.close()
        broker.stop()
        log.close()
        if args.keep_tmp:
            print("temp dir kept: %s" % tmpdir)
        else:
            shutil.rmtree(tmpdir, ignore_errors=True)

    print("\ncoverage by protocol level:")
    for level, seen in coverage.items():
        if not seen:
            continue
        allowed = range(1, 16) if level == 5 else range(1, 15)
        absent = [PACKET_NAMES[t] for t in allowed if t not in seen]
        print("  %s (level %d): %d/%d packet types seen%s"
              % (VERSION_NAMES[level], level, len(seen), len(allowed),
                 ("; never seen: " + ", ".join(absent)) if absent else ""))
    if failures:
        print("\nproblems:")
        for f in failures:
            print("  " + f)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
