#!/usr/bin/env python3
"""Interop tests of mqttcodec's example programs against real MQTT peers.

Each case starts its own mosquitto on a free 127.0.0.1 port (config written to a temporary
directory), and, for the proxy cases, examples/proxy in front of it; the broker cases start
examples/broker instead of mosquitto. Then real clients (mosquitto_pub/sub, MQTT.js, paho,
examples/client, examples/asio_client) exchange messages and the case checks what arrived.
Everything is bounded: every process has a timeout and the whole case an alarm, so a hung peer
fails the case instead of hanging CI.

    run_interop.py --case NAME --bin-dir BUILD/examples [--timeout 90]
    run_interop.py --list

Exit status: 0 pass, 1 fail, 77 skipped (a peer is not installed; the reason is printed).
Standard library only; the paho cases import Debian's python3-paho-mqtt (paho_peer.py).
"""

import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))


class Skip(Exception):
    pass


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise Fail(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def wait_for(pred, timeout, what):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.05)
    raise Fail(f"timed out after {timeout} s waiting for {what}")


VERSIONS = {"31": ("mqttv31", 3), "311": ("mqttv311", 4), "5": ("mqttv5", 5)}


class Env:
    """Processes and files of one case; stop() ends every process it started."""

    def __init__(self, args):
        self.args = args
        self.dir = tempfile.mkdtemp(prefix="mqttcodec-interop-")
        self.procs = []
        self.broker_port = None
        self.broker_log = None
        self.proxy = None
        self.proxy_log = None

    # -- tools ---------------------------------------------------------------------------------
    def tool(self, name):
        path = shutil.which(name) or (os.path.join("/usr/sbin", name)
                                      if os.path.exists(os.path.join("/usr/sbin", name)) else None)
        if not path:
            raise Skip(f"{name} is not installed (apt-get install mosquitto mosquitto-clients)")
        return path

    def example(self, name):
        path = os.path.join(self.args.bin_dir, name)
        if not os.path.exists(path):
            raise Skip(f"{path} was not built")
        return path

    # -- processes -----------------------------------------------------------------------------
    def spawn(self, cmd, stdin=None, name=None):
        name = name or os.path.basename(cmd[0])
        out = open(os.path.join(self.dir, f"{name}-{len(self.procs)}.out"), "wb")
        err = open(os.path.join(self.dir, f"{name}-{len(self.procs)}.err"), "wb")
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                             stdout=out, stderr=err, cwd=self.dir)
        p.out_path, p.err_path, p.cmd = out.name, err.name, cmd
        out.close()
        err.close()
        if stdin is not None:
            p.stdin.write(stdin)
            p.stdin.close()
        self.procs.append(p)
        return p

    def finish(self, p, timeout=30, ok=(0,)):
        """Waits for p; returns (stdout bytes, stderr text); fails on timeout or bad status."""
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            raise Fail(f"{' '.join(p.cmd[:3])}... did not finish within {timeout} s; stderr: "
                       f"{self.read(p.err_path)[-2000:]}")
        out = open(p.out_path, "rb").read()
        err = self.read(p.err_path)
        if ok is not None and p.returncode not in ok:
            raise Fail(f"{' '.join(p.cmd)} exited {p.returncode}; stderr: {err[-2000:]}")
        return out, err

    def run(self, cmd, timeout=30, stdin=None, ok=(0,)):
        return self.finish(self.spawn(cmd, stdin=stdin), timeout=timeout, ok=ok)

    @staticmethod
    def read(path):
        try:
            with open(path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()

    # -- broker and proxy ----------------------------------------------------------------------
    def start_broker(self):
        mosquitto = self.tool("mosquitto")
        self.tool("mosquitto_sub")
        self.broker_port = free_port()
        conf = os.path.join(self.dir, "mosquitto.conf")
        with open(conf, "w") as f:
            f.write(f"listener {self.broker_port} 127.0.0.1\n"
                    "allow_anonymous true\n"
                    "persistence false\n"
                    # stderr, not a file: run as root, mosquitto drops to user mosquitto, who
                    # cannot write into our private temporary directory.
                    "log_dest stderr\n"
                    "log_type all\n"
                    "connection_messages true\n"
                    # The many-messages cases queue thousands of QoS 1 messages per client.
                    "max_queued_messages 0\n")
        self.broker = self.spawn([mosquitto, "-c", conf], name="mosquitto")
        self.broker_log = self.broker.err_path
        wait_port(self.broker_port)
        return self.broker_port

    def start_proxy(self, version=None):
        proxy = self.example("proxy")
        port = free_port()
        self.proxy_log = os.path.join(self.dir, "proxy.jsonl")
        cmd = [proxy, "--listen", f"127.0.0.1:{port}", "--connect",
               f"127.0.0.1:{self.broker_port}", "--log", self.proxy_log]
        if version:
            cmd += ["--version", version]
        self.proxy = self.spawn(cmd, name="proxy")
        wait_port(port)
        return port

    def terminate(self, proc, what):
        """Stops `proc` (a program of ours that logs a summary on SIGTERM) and waits for it."""
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise Fail(f"{what} did not stop on SIGTERM")

    def start_example_broker(self):
        """examples/broker on a free port, logging its events (JSON lines) to broker.jsonl."""
        broker = self.example("broker")
        self.broker_port = free_port()
        self.broker_log = os.path.join(self.dir, "broker.jsonl")
        self.broker = self.spawn([broker, "--listen", f"127.0.0.1:{self.broker_port}",
                                  "--log", self.broker_log], name="broker")
        wait_port(self.broker_port)
        return self.broker_port

    def broker_events(self, event=None, client=None):
        records = [json.loads(line) for line in self.read(self.broker_log).splitlines()]
        return [r for r in records if (event is None or r.get("event") == event)
                and (client is None or r.get("client") == client)]

    def wait_subscribed(self, client_id, timeout=10):
        """Waits until examples/broker logged a subscription of `client_id` (SUBACK queued)."""
        wait_for(lambda: self.broker_events("subscribe", client_id), timeout,
                 f"examples/broker to log a subscription of {client_id}")

    def stop_example_broker(self, not_sent=0):
        """Stops examples/broker with SIGTERM; checks it exits 0, logged no error and left
        `not_sent` packets unsent."""
        self.terminate(self.broker, "examples/broker")
        check(self.broker.returncode == 0, f"examples/broker exited {self.broker.returncode}")
        errors = self.broker_events("error")
        check(not errors, f"examples/broker logged errors: {errors[:5]}")
        unsent = self.broker_events("not_sent")
        check(len(unsent) == not_sent, f"examples/broker did not send: {unsent[:5]}")
        check(self.broker_events()[-1].get("summary"), "examples/broker logged no summary")

    def broker_saw(self, text):
        return text in self.read(self.broker_log)

    def wait_suback(self, client_id, timeout=10):
        wait_for(lambda: self.broker_saw(f"Sending SUBACK to {client_id}"), timeout,
                 f"mosquitto to send SUBACK to {client_id}")

    def wait_unsuback(self, client_id, timeout=10):
        wait_for(lambda: self.broker_saw(f"Sending UNSUBACK to {client_id}"), timeout,
                 f"mosquitto to send UNSUBACK to {client_id}")

    def stop_proxy(self, expect_types=(), min_connections=1):
        """Stops the proxy and checks its log: no error, every packet re-encoded and
        re-decoded equal, and every type in expect_types seen. Returns the packet records."""
        self.terminate(self.proxy, "proxy")
        records = []
        with open(self.proxy_log) as f:
            for line in f:
                records.append(json.loads(line))
        errors = [r for r in records if "error" in r]
        check(not errors, f"proxy logged errors: {errors[:5]}")
        check(self.proxy.returncode == 0, f"proxy exited {self.proxy.returncode}")
        summary = [r for r in records if r.get("summary")]
        check(len(summary) == 1, "proxy log has no summary line")
        packets = [r for r in records if "type" in r]
        check(summary[0]["packets"] == len(packets), "proxy summary does not match its log")
        check(summary[0]["connections"] >= min_connections,
              f"proxy saw {summary[0]['connections']} connections, expected {min_connections}+")
        seen = {(r["dir"], r["type"]) for r in packets}
        missing = [t for t in expect_types if t not in seen]
        check(not missing, f"proxy never saw {missing}; saw {sorted(seen)}")
        different = [r for r in packets if not r["same_bytes"]]
        if different:
            # Not an error (e.g. property order is the encoder's choice); reported for review.
            kinds = sorted({(r["dir"], r["type"]) for r in different})
            print(f"note: {len(different)} packets re-encoded to different bytes: {kinds}")
            for r in different[:3]:
                if "hex" in r:
                    print(f"  {r['dir']} {r['type']}: peer {r['hex']}\n"
                          f"  {' ' * len(r['dir'] + r['type'])}  ours {r['reencoded_hex']}")
        print(f"proxy: {len(packets)} packets in {summary[0]['connections']} connections, "
              f"0 errors")
        return packets


BOTH = lambda t: [("c2s", t), ("s2c", t)]  # noqa: E731
QOS_FLOW = [("c2s", "connect"), ("s2c", "connack"), ("c2s", "subscribe"), ("s2c", "suback"),
            *BOTH("publish"), *BOTH("puback"), *BOTH("pubrec"), *BOTH("pubrel"),
            *BOTH("pubcomp"), ("c2s", "disconnect")]


# ------------------------------------------------------------------------------------------------
# examples/client against mosquitto directly


def client_case(env, ver):
    """examples/client with mosquitto_pub/sub on the other side, in protocol version `ver`."""
    port = env.start_broker()
    client = env.example("client")
    vflag, level = VERSIONS[ver]
    base = ["-h", "127.0.0.1", "-p", str(port), "-V", ver]
    mbase = ["-h", "127.0.0.1", "-p", str(port), "-V", vflag]
    pre = f"v{ver}"

    # 1. Receiving at QoS 0/1/2 with several filters, after an UNSUBSCRIBE of another one.
    sub_id = f"{pre}-csub"
    sub = env.spawn([client, "sub", *base, "-i", sub_id, "-q", "2", "-t", f"{pre}/q0",
                     "-t", f"{pre}/q1/#", "-t", f"{pre}/+/q2", "-t", f"{pre}/gone",
                     "-U", f"{pre}/gone", "-C", "3", "-W", "20", "-v", "-u", "user", "-P", "pw",
                     "-k", "30"], name="client-sub")
    env.wait_unsuback(sub_id)
    env.run(["mosquitto_pub", *mbase, "-t", f"{pre}/gone", "-m", "must-not-arrive", "-q", "1"])
    env.run(["mosquitto_pub", *mbase, "-t", f"{pre}/q0", "-m", "zero", "-q", "0"])
    env.run(["mosquitto_pub", *mbase, "-t", f"{pre}/q1/x", "-m", "one", "-q", "1"])
    env.run(["mosquitto_pub", *mbase, "-t", f"{pre}/a/q2", "-m", "two", "-q", "2"])
    out, _ = env.finish(sub, timeout=25)
    got = sorted(out.decode().splitlines())
    want = sorted([f"{pre}/q0 zero", f"{pre}/q1/x one", f"{pre}/a/q2 two"])
    check(got == want, f"client sub received {got}, expected {want}")
    log = env.read(env.broker_log)
    check(f"Received PUBREL from {sub_id}" not in log, "broker sent PUBREL the wrong way")
    check(f"Received PUBCOMP from {sub_id}" in log and f"Received PUBREC from {sub_id}" in log,
          "incoming QoS 2 flow (PUBREC/PUBREL/PUBCOMP) not completed by the client")
    print("client sub: QoS 0/1/2 received, UNSUBSCRIBE honoured")

    # 2. Sending at QoS 0/1/2 to mosquitto_sub.
    msub = env.spawn(["mosquitto_sub", *mbase, "-i", f"{pre}-msub", "-t", f"{pre}/out/#",
                      "-q", "2", "-C", "3", "-W", "20", "-v"])
    env.wait_suback(f"{pre}-msub")
    for q in range(3):
        env.run([client, "pub", *base, "-i", f"{pre}-cpub{q}", "-t", f"{pre}/out/{q}",
                 "-m", f"payload {q}", "-q", str(q)])
    out, _ = env.finish(msub, timeout=25)
    got = sorted(out.decode().splitlines())
    want = [f"{pre}/out/{q} payload {q}" for q in range(3)]
    check(got == want, f"mosquitto_sub received {got}, expected {want}")
    log = env.read(env.broker_log)
    for q, acks in ((1, ["PUBACK"]), (2, ["PUBREC", "PUBCOMP"])):
        for a in acks:
            check(f"Sending {a} to {pre}-cpub{q}" in log, f"broker did not send {a} for QoS {q}")
    print("client pub: QoS 0/1/2 delivered to mosquitto_sub with full acknowledgement flows")

    # 3. Retained message: published by the client, delivered to a later subscriber.
    env.run([client, "pub", *base, "-i", f"{pre}-cret", "-t", f"{pre}/ret", "-m", "kept", "-r",
             "-q", "1"])
    out, _ = env.run([client, "sub", *base, "-i", f"{pre}-cret2", "-t", f"{pre}/ret", "-C", "1",
                      "-W", "10", "--json", "-q", "1"], timeout=15)
    msg = json.loads(out.decode().splitlines()[0])
    check(msg["topic"] == f"{pre}/ret" and msg["payload"] == "kept" and msg["retain"] is True,
          f"retained message arrived as {msg}")
    out, _ = env.run(["mosquitto_sub", *mbase, "-t", f"{pre}/ret", "-C", "1", "-W", "10",
                      "-F", "%r %t %p"], timeout=15)
    check(out.decode().strip() == f"1 {pre}/ret kept", f"mosquitto_sub saw retained {out!r}")
    print("retained: delivered to a later subscriber with RETAIN set")

    # 4. Will: delivered when the client's connection ends without DISCONNECT.
    wsub = env.spawn(["mosquitto_sub", *mbase, "-i", f"{pre}-wsub", "-t", f"{pre}/will",
                      "-q", "2", "-C", "1", "-W", "20", "-F", "%q %t %p"])
    env.wait_suback(f"{pre}-wsub")
    victim = env.spawn([client, "sub", *base, "-i", f"{pre}-victim", "-t", f"{pre}/nothing",
                        "--will-topic", f"{pre}/will", "--will-payload", "gone away",
                        "--will-qos", "1", "-k", "5", "-W", "20"], name="client-victim")
    env.wait_suback(f"{pre}-victim")
    victim.kill()
    victim.wait()
    out, _ = env.finish(wsub, timeout=25)
    check(out.decode().strip() == f"1 {pre}/will gone away", f"will arrived as {out!r}")
    print("will: delivered after the client was killed")

    # 5. Keep alive: an idle client sends PINGREQ and gets PINGRESP.
    _, err = env.run([client, "sub", *base, "-i", f"{pre}-idle", "-t", f"{pre}/idle", "-k", "1",
                      "-W", "3", "-d"], timeout=10, ok=(27,))
    check("sent pingreq" in err and "received pingresp" in err,
          f"no PINGREQ/PINGRESP exchange in {err}")
    print("keep alive: PINGREQ sent when idle, PINGRESP received; -W timed out with 27")


def case_client_v31(env):
    client_case(env, "31")


def case_client_v311(env):
    client_case(env, "311")


def case_client_v5(env):
    client_case(env, "5")


PUB_PROPS = ["-D", "publish", "user-property", "colour", "blue",
             "-D", "publish", "user-property", "colour", "red",
             "-D", "publish", "content-type", "text/plain; charset=utf-8",
             "-D", "publish", "response-topic", "reply/here",
             "-D", "publish", "correlation-data", "corr-42",
             "-D", "publish", "message-expiry-interval", "3600",
             "-D", "publish", "payload-format-indicator", "1"]


def case_client_v5_properties(env):
    """v5 properties arrive intact in both directions; subscription identifiers and topic
    aliases work against mosquitto."""
    port = env.start_broker()
    client = env.example("client")
    base = ["-h", "127.0.0.1", "-p", str(port), "-V", "5"]
    mbase = ["-h", "127.0.0.1", "-p", str(port), "-V", "mqttv5"]

    # Our client publishes with properties, mosquitto_sub prints them.
    msub = env.spawn(["mosquitto_sub", *mbase, "-i", "p-msub", "-t", "props/#", "-q", "1",
                      "-C", "1", "-W", "20", "-D", "subscribe", "subscription-identifier", "9",
                      "-F", "%t|%q|%C|%D|%E|%F|%R|%S|%P|%p"])
    env.wait_suback("p-msub")
    env.run([client, "pub", *base, "-i", "p-cpub", "-t", "props/a", "-m", "héllo", "-q", "1",
             *PUB_PROPS])
    out, _ = env.finish(msub, timeout=25)
    fields = out.decode().strip().split("|")
    check(fields[:4] == ["props/a", "1", "text/plain; charset=utf-8", "corr-42"],
          f"mosquitto_sub fields {fields}")
    check(0 < int(fields[4]) <= 3600, f"message expiry {fields[4]}")
    check(fields[5:] == ["1", "reply/here", "9", "colour:blue colour:red", "héllo"],
          f"mosquitto_sub fields {fields}")
    print("client pub -> mosquitto_sub: user properties (order and duplicates kept), content "
          "type, response topic, correlation data, expiry, format indicator, subscription id")

    # mosquitto_pub publishes with properties, our client prints them as JSON.
    csub = env.spawn([client, "sub", *base, "-i", "p-csub", "-t", "props2/#", "-t", "props2/+",
                      "-q", "2", "-C", "1", "-W", "20", "--json",
                      "-D", "subscribe", "subscription-identifier", "268435455",
                      "-D", "subscribe", "user-property", "s", "1",
                      "-D", "connect", "user-property", "c", "2",
                      "-D", "connect", "session-expiry-interval", "0",
                      "-D", "connect", "receive-maximum", "10",
                      "-D", "connect", "maximum-packet-size", "1000000",
                      "-D", "connect", "topic-alias-maximum", "4",
                      "-D", "connect", "request-problem-information", "1",
                      "-D", "connect", "request-response-information", "0",
                      "-D", "disconnect", "user-property", "bye", "now"], name="client-sub")
    env.wait_suback("p-csub")
    env.run(["mosquitto_pub", *mbase, "-t", "props2/b", "-m", "data", "-q", "2", *PUB_PROPS])
    out, _ = env.finish(csub, timeout=25)
    msg = json.loads(out.decode().splitlines()[0])
    p = msg["properties"]
    check(msg["topic"] == "props2/b" and msg["payload"] == "data" and msg["qos"] == 2, str(msg))
    check(p["user_properties"] == [["colour", "blue"], ["colour", "red"]], str(p))
    check(p["content_type"] == "text/plain; charset=utf-8" and p["response_topic"] == "reply/here"
          and p["correlation_data"] == "corr-42" and p["payload_format_indicator"] == 1, str(p))
    check(0 < p["message_expiry_interval"] <= 3600, str(p))
    # Two matching filters of one SUBSCRIBE: mosquitto sends one message with the identifier.
    check(p["subscription_identifiers"] == [268435455], str(p))
    print("mosquitto_pub -> client sub --json: every publish property intact, largest "
          "subscription identifier 268435455")

    # Topic alias on send: the topic goes once, then only the alias.
    msub = env.spawn(["mosquitto_sub", *mbase, "-i", "p-alias", "-t", "alias/#", "-C", "3",
                      "-W", "20", "-v", "-q", "1"])
    env.wait_suback("p-alias")
    env.run([client, "pub", *base, "-i", "p-apub", "-t", "alias/topic", "-m", "x", "-q", "1",
             "--repeat", "3", "-D", "publish", "topic-alias", "3", "-d"])
    out, _ = env.finish(msub, timeout=25)
    check(out.decode().splitlines() == ["alias/topic x"] * 3, f"alias messages {out!r}")
    print("topic alias: 3 messages, the last two with an empty topic, all delivered on "
          "alias/topic")


def case_client_topic_alias_receive(env):
    """The client maps topic aliases the server sends. mosquitto 2.0 never sends aliases to
    subscribers, so the server here is a script speaking bytes written from the 5.0 spec."""
    client = env.example("client")
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(10)
    port = srv.getsockname()[1]
    p = env.spawn([client, "sub", "-p", str(port), "-V", "5", "-i", "alias-rx", "-t", "a/#",
                   "-C", "3", "-W", "10", "-v", "-D", "connect", "topic-alias-maximum", "5"],
                  name="client-alias")
    conn, _ = srv.accept()
    conn.settimeout(10)

    def recv_packet():
        head = conn.recv(2)
        check(len(head) == 2 and head[1] < 128, f"short/long packet header {head!r}")
        body = b""
        while len(body) < head[1]:
            chunk = conn.recv(head[1] - len(body))
            check(chunk, "client closed early")
            body += chunk
        return head + body

    connect = recv_packet()
    check(connect[0] == 0x10, f"first packet {connect.hex()}")
    # CONNECT properties must carry Topic Alias Maximum (0x22) = 5.
    check(bytes.fromhex("220005") in connect, f"CONNECT without topic alias maximum: {connect.hex()}")
    conn.sendall(bytes.fromhex("20030000" "00"))  # CONNACK, success, no properties
    sub = recv_packet()
    check(sub[0] == 0x82, f"expected SUBSCRIBE, got {sub.hex()}")
    conn.sendall(bytes([0x90, 0x04, sub[2], sub[3], 0x00, 0x00]))  # SUBACK: granted QoS 0
    # PUBLISH QoS 0: topic "a/b" + Topic Alias 2; then empty topic + alias 2; then a new
    # mapping of alias 2 to "a/c" used with an empty topic (§3.3.2.3.4).
    conn.sendall(bytes.fromhex("300b" "0003612f62" "03" "230002" "7831"))
    conn.sendall(bytes.fromhex("3008" "0000" "03" "230002" "7832"))
    conn.sendall(bytes.fromhex("300b" "0003612f63" "03" "230002" "7833"))
    disc = recv_packet()
    check(disc[0] == 0xE0, f"expected DISCONNECT, got {disc.hex()}")
    conn.close()
    srv.close()
    out, _ = env.finish(p, timeout=15)
    got = out.decode().splitlines()
    check(got == ["a/b x1", "a/b x2", "a/c x3"], f"client printed {got}")
    print("topic alias receive: alias set, used with empty topic, and re-mapped")


# ------------------------------------------------------------------------------------------------
# Through the proxy


def case_proxy_mosquitto_clients(env, ver):
    port = env.start_broker()
    pport = env.start_proxy(ver)
    vflag, _ = VERSIONS[ver]
    base = ["-h", "127.0.0.1", "-p", str(pport), "-V", vflag]
    pre = f"pm{ver}"
    v5 = ver == "5"
    conn_props = [] if not v5 else [
        "-D", "connect", "session-expiry-interval", "30",
        "-D", "connect", "receive-maximum", "100",
        "-D", "connect", "maximum-packet-size", "10000000",
        "-D", "connect", "topic-alias-maximum", "10",
        "-D", "connect", "request-problem-information", "1",
        "-D", "connect", "request-response-information", "1",
        "-D", "connect", "user-property", "client", "mosquitto",
        "-D", "disconnect", "session-expiry-interval", "0",
        "-D", "disconnect", "user-property", "why", "done"]
    sub_props = [] if not v5 else [
        "-D", "subscribe", "subscription-identifier", "77",
        "-D", "subscribe", "user-property", "sub", "prop",
        "-D", "unsubscribe", "user-property", "unsub", "prop"]
    will_props = [] if not v5 else [
        "-D", "will", "will-delay-interval", "0",
        "-D", "will", "payload-format-indicator", "1",
        "-D", "will", "message-expiry-interval", "60",
        "-D", "will", "content-type", "text/plain",
        "-D", "will", "response-topic", "will/reply",
        "-D", "will", "correlation-data", "wc",
        "-D", "will", "user-property", "will", "prop"]
    pub_props = [] if not v5 else PUB_PROPS + ["-D", "publish", "topic-alias", "1"]

    # An idle subscriber with the smallest keep alive mosquitto_sub allows, for PINGREQ.
    idle = env.spawn(["mosquitto_sub", *base, "-i", f"{pre}-idle", "-t", f"{pre}/idle",
                      "-k", "5", "-W", "7"])
    fmt = "%t|%q|%r|%p" + ("|%C|%D|%R|%S|%P|%F" if v5 else "")
    sub = env.spawn(["mosquitto_sub", *base, "-i", f"{pre}-sub", "-t", f"{pre}/#", "-t",
                     f"{pre}/gone", "-U", f"{pre}/gone", "-q", "2", "-C", "5", "-W", "25",
                     "-F", fmt, "-u", "name", "-P", "secret", *conn_props, *sub_props])
    env.wait_suback(f"{pre}-sub")
    env.wait_unsuback(f"{pre}-sub")
    for q in range(3):
        env.run(["mosquitto_pub", *base, "-t", f"{pre}/q{q}", "-m", f"m{q}", "-q", str(q),
                 *conn_props, *pub_props])
    env.run(["mosquitto_pub", *base, "-t", f"{pre}/retained", "-m", "r", "-q", "1", "-r"])
    # Will of a killed client, through the proxy.
    victim = env.spawn(["mosquitto_sub", *base, "-i", f"{pre}-victim", "-t", f"{pre}-x",
                        "--will-topic", f"{pre}/will", "--will-payload", "bye", "--will-qos",
                        "2", *will_props])
    env.wait_suback(f"{pre}-victim")
    victim.kill()
    victim.wait()
    out, _ = env.finish(sub, timeout=30)
    lines = sorted(out.decode().splitlines())
    props = ("|text/plain; charset=utf-8|corr-42|reply/here|77|colour:blue colour:red|1"
             if v5 else "")
    want = sorted([f"{pre}/q{q}|{q}|0|m{q}{props}" for q in range(3)]
                  + [f"{pre}/retained|1|0|r" + ("||||77||" if v5 else "")]
                  + [f"{pre}/will|2|0|bye" + ("|text/plain|wc|will/reply|77|will:prop|1" if v5
                                              else "")])
    check(lines == want, f"subscriber got\n{lines}\nexpected\n{want}")
    # A later subscriber gets the retained message with RETAIN set.
    out, _ = env.run(["mosquitto_sub", *base, "-t", f"{pre}/retained", "-C", "1", "-W", "10",
                      "-F", "%r %p"], timeout=15)
    check(out.decode().strip() == "1 r", f"retained arrived as {out!r}")
    env.finish(idle, timeout=15, ok=(27,))
    expect = QOS_FLOW + [("c2s", "unsubscribe"), ("s2c", "unsuback"), ("c2s", "pingreq"),
                         ("s2c", "pingresp")]
    env.stop_proxy(expect, min_connections=8)
    print(f"mosquitto_sub/pub {vflag} through the proxy: QoS 0/1/2, retained, will, "
          f"unsubscribe, keep alive" + (", every -D property kind" if v5 else ""))


def case_proxy_mosquitto_v31(env):
    case_proxy_mosquitto_clients(env, "31")


def case_proxy_mosquitto_v311(env):
    case_proxy_mosquitto_clients(env, "311")


def case_proxy_mosquitto_v5(env):
    case_proxy_mosquitto_clients(env, "5")


def case_proxy_client(env):
    """examples/client through the proxy, all three versions, QoS 0/1/2 both ways."""
    env.start_broker()
    pport = env.start_proxy()
    client = env.example("client")
    for ver in ("31", "311", "5"):
        base = ["-h", "127.0.0.1", "-p", str(pport), "-V", ver]
        sid = f"pc{ver}-sub"
        sub = env.spawn([client, "sub", *base, "-i", sid, "-t", f"pc{ver}/#", "-q", "2",
                         "-C", "3", "-W", "20", "-v", "-k", "10"], name="client-sub")
        env.wait_suback(sid)
        for q in range(3):
            extra = PUB_PROPS if ver == "5" else []
            env.run([client, "pub", *base, "-i", f"pc{ver}-pub", "-t", f"pc{ver}/{q}", "-m",
                     f"m{q}", "-q", str(q), *extra])
        out, _ = env.finish(sub, timeout=25)
        got = sorted(out.decode().splitlines())
        check(got == [f"pc{ver}/{q} m{q}" for q in range(3)], f"v{ver}: {got}")
    env.stop_proxy(QOS_FLOW, min_connections=12)


def case_proxy_asio_client(env):
    """examples/asio_client (standalone Asio, gather writes) through the proxy."""
    env.start_broker()
    pport = env.start_proxy()
    asio_client = env.example("asio_client")
    for ver in ("311", "5"):
        base = ["-h", "127.0.0.1", "-p", str(pport), "-V", ver]
        sid = f"ac{ver}-sub"
        sub = env.spawn([asio_client, "sub", *base, "-i", sid, "-t", f"ac{ver}/#", "-q", "2",
                         "-C", "4", "-W", "20"], name="asio-sub")
        env.wait_suback(sid)
        for q in range(3):
            env.run([asio_client, "pub", *base, "-i", f"ac{ver}-pub{q}", "-t", f"ac{ver}/{q}",
                     "-m", f"m{q}", "-q", str(q), "-W", "10"])
        big = os.urandom(300_000)
        path = os.path.join(env.dir, "big.bin")
        with open(path, "wb") as f:
            f.write(big)
        env.run([asio_client, "pub", *base, "-i", f"ac{ver}-big", "-t", f"ac{ver}/big",
                 "-f", path, "-q", "1", "-W", "10"])
        out, _ = env.finish(sub, timeout=25)
        recs = out.split(b"\n", 3)
        got = sorted(recs[:3])
        check(got == [f"ac{ver}/{q} m{q}".encode() for q in range(3)], f"v{ver}: {got}")
        check(recs[3] == f"ac{ver}/big ".encode() + big + b"\n",
              f"v{ver}: big payload differs ({len(recs[3])} bytes)")
    env.stop_proxy(QOS_FLOW, min_connections=10)


def node_or_skip(env):
    node = shutil.which("node")
    if not node:
        raise Skip("node is not installed")
    if not os.path.isdir(os.path.join(HERE, "node_modules", "mqtt")):
        raise Skip("MQTT.js is not installed: run `npm ci` in tests/interop")
    return node


def case_proxy_mqttjs(env, level):
    node = node_or_skip(env)
    env.start_broker()
    pport = env.start_proxy({3: "31", 4: "311", 5: "5"}[level])
    out, err = env.run([node, os.path.join(HERE, "mqttjs_peer.js"), str(pport), str(level)],
                       timeout=40)
    print(out.decode().strip())
    check(b"MQTTJS OK" in out, f"MQTT.js peer failed: {err[-3000:]}")
    expect = QOS_FLOW + [("c2s", "unsubscribe"), ("s2c", "unsuback"), ("c2s", "pingreq"),
                         ("s2c", "pingresp")]
    env.stop_proxy(expect, min_connections=3)


def paho_python(env):
    """A python3 that imports paho: this one, else Debian's (python3-paho-mqtt)."""
    for py in (sys.executable, "/usr/bin/python3"):
        if py and os.path.exists(py) and subprocess.run(
                [py, "-c", "import paho.mqtt.client"], capture_output=True,
                timeout=20).returncode == 0:
            return py
    raise Skip("paho-mqtt is not installed (apt-get install python3-paho-mqtt)")


def case_proxy_paho(env, ver):
    py = paho_python(env)
    env.start_broker()
    pport = env.start_proxy(ver)
    out, err = env.run([py, os.path.join(HERE, "paho_peer.py"), str(pport), ver], timeout=40)
    print(out.decode().strip())
    check(b"PAHO OK" in out, f"paho peer failed: {err[-3000:]}")
    expect = QOS_FLOW + [("c2s", "unsubscribe"), ("s2c", "unsuback"), ("c2s", "pingreq"),
                         ("s2c", "pingresp")]
    env.stop_proxy(expect, min_connections=3)


def random_file(env, size):
    """A file of `size` random bytes in the case's directory: (path, bytes, SHA-256 hex)."""
    data = os.urandom(size)
    path = os.path.join(env.dir, "big.bin")
    with open(path, "wb") as f:
        f.write(data)
    return path, data, hashlib.sha256(data).hexdigest()


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for c in data:
        h = ((h ^ c) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def case_firmware_client(env):
    """examples/firmware_client (fixed buffers, no heap: its operator new aborts) against
    mosquitto: a 200 KB QoS 1 PUBLISH from mosquitto_pub through its 256-byte receive buffer,
    checked by the FNV-1a hash it prints; then a QoS 1 PUBLISH of its own to mosquitto_sub."""
    port = env.start_broker()
    fw = env.example("firmware_client")
    path, data, _ = random_file(env, 200 * 1024)
    sub = env.spawn([fw, "127.0.0.1", str(port), "fw-sub", "sub", "fw/in"], name="fw-sub")
    env.wait_suback("fw-sub")
    env.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(port), "-V", "mqttv311", "-i",
             "fw-mpub", "-t", "fw/in", "-q", "1", "-f", path], timeout=30)
    out, _ = env.finish(sub, timeout=30)
    want = f"subscribed\n{len(data)} {fnv1a64(data):016x}\n".encode()
    check(out == want, f"firmware_client sub printed {out!r}, not {want!r}")
    check(env.broker_saw("Received PUBACK from fw-sub"), "no PUBACK from firmware_client")
    msub = env.spawn(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(port), "-i", "fw-msub",
                      "-t", "fw/out", "-q", "1", "-C", "1", "-W", "20"], name="mosquitto_sub")
    env.wait_suback("fw-msub")
    env.run([fw, "127.0.0.1", str(port), "fw-pub", "pub", "fw/out", "hello from firmware"],
            timeout=20)
    out, _ = env.finish(msub, timeout=20)
    check(out == b"hello from firmware\n", f"mosquitto_sub printed {out!r}")
    check(env.broker_saw("Sending PUBACK to fw-pub"), "mosquitto did not acknowledge fw-pub")


def case_client_streamed_payload(env):
    """3 MiB payloads through examples/client with --buffer far smaller: received through
    decode_publish_head and sent through encode_publish_head, the payload streamed in pieces,
    against mosquitto_pub and mosquitto_sub; checked by SHA-256 at the far end."""
    port = env.start_broker()
    client = env.example("client")
    path, data, digest = random_file(env, 3 * 1024 * 1024)
    base = ["-h", "127.0.0.1", "-p", str(port)]
    for ver, vflag in (("311", "mqttv311"), ("5", "mqttv5")):
        for qos in ("1", "2"):
            pre = f"s{ver}q{qos}"
            # mosquitto_pub -> examples/client through a 1 KiB receive buffer.
            csub = env.spawn([client, "sub", *base, "-V", ver, "-i", f"{pre}-csub",
                              "-t", f"{pre}/in", "-q", qos, "-C", "1", "-W", "30", "-v",
                              "--buffer", "1024"], name="client-sub")
            env.wait_suback(f"{pre}-csub")
            env.run(["mosquitto_pub", *base, "-V", vflag, "-i", f"{pre}-mpub", "-t", f"{pre}/in",
                     "-f", path, "-q", qos], timeout=35)
            out, _ = env.finish(csub, timeout=35)
            head = f"{pre}/in ".encode()
            check(out.startswith(head) and out.endswith(b"\n") and
                  hashlib.sha256(out[len(head):-1]).hexdigest() == digest,
                  f"client sub printed {len(out)} bytes, not the topic and the payload")
            ack = "PUBACK" if qos == "1" else "PUBCOMP"
            wait_for(lambda: env.broker_saw(f"Sending {ack} to {pre}-mpub"), 10,
                     f"mosquitto to finish the QoS {qos} flow of {pre}-mpub")
            if qos == "2":
                check(env.broker_saw(f"Received PUBREC from {pre}-csub") and
                      env.broker_saw(f"Received PUBCOMP from {pre}-csub"),
                      "the client did not complete the incoming QoS 2 flow")
            # examples/client -> mosquitto_sub, the file sent in 4 KiB pieces.
            msub = env.spawn(["mosquitto_sub", *base, "-V", vflag, "-i", f"{pre}-msub",
                              "-t", f"{pre}/out", "-q", qos, "-C", "1", "-W", "30", "-N"])
            env.wait_suback(f"{pre}-msub")
            _, err = env.run([client, "pub", *base, "-V", ver, "-i", f"{pre}-cpub",
                              "-t", f"{pre}/out", "-f", path, "-q", qos, "-W", "30",
                              "--buffer", "4096", "-d"], timeout=35)
            check("streamed" in err, f"the client did not stream the file: {err[-500:]}")
            out, _ = env.finish(msub, timeout=35)
            check(len(out) == len(data) and hashlib.sha256(out).hexdigest() == digest,
                  f"mosquitto_sub got {len(out)} bytes, hash mismatch")
            print(f"{ver} QoS {qos}: 3 MiB in and out through --buffer 1024 / 4096")


def case_proxy_large_payload(env):
    """5 MiB payloads through the proxy both ways, checked by SHA-256 at the far end."""
    env.start_broker()
    pport = env.start_proxy()
    client = env.example("client")
    path, data, digest = random_file(env, 5 * 1024 * 1024)
    for ver, vflag in (("311", "mqttv311"), ("5", "mqttv5")):
        base = ["-h", "127.0.0.1", "-p", str(pport)]
        # examples/client -> mosquitto_sub (raw payload, no newline).
        msub = env.spawn(["mosquitto_sub", *base, "-V", vflag, "-i", f"big{ver}-msub",
                          "-t", f"big{ver}/a", "-q", "1", "-C", "1", "-W", "30", "-N"])
        env.wait_suback(f"big{ver}-msub")
        env.run([client, "pub", *base, "-V", ver, "-t", f"big{ver}/a", "-f", path, "-q", "1",
                 "-W", "30"], timeout=35)
        out, _ = env.finish(msub, timeout=35)
        check(len(out) == len(data) and hashlib.sha256(out).hexdigest() == digest,
              f"mosquitto_sub got {len(out)} bytes, hash mismatch")
        # mosquitto_pub -> examples/client (payload then newline).
        csub = env.spawn([client, "sub", *base, "-V", ver, "-i", f"big{ver}-csub",
                          "-t", f"big{ver}/b", "-q", "2", "-C", "1", "-W", "30"],
                         name="client-sub")
        env.wait_suback(f"big{ver}-csub")
        env.run(["mosquitto_pub", *base, "-V", vflag, "-t", f"big{ver}/b", "-f", path,
                 "-q", "2"], timeout=35)
        out, _ = env.finish(csub, timeout=35)
        check(out[-1:] == b"\n" and hashlib.sha256(out[:-1]).hexdigest() == digest,
              f"client sub got {len(out) - 1} bytes, hash mismatch")
        print(f"v{ver}: 5 MiB both ways, SHA-256 {digest[:16]}... matches")
    packets = env.stop_proxy([*BOTH("publish")], min_connections=8)
    sizes = [r["size"] for r in packets if r["type"] == "publish"]
    check(sum(1 for s in sizes if s > len(data)) == 8, f"large PUBLISH sizes {sizes}")


def case_proxy_many_small(env):
    """20,000 QoS 1 messages each way through the proxy; counts, order and bytes checked."""
    env.start_broker()
    pport = env.start_proxy("5")
    client = env.example("client")
    n = 20_000
    lines = [f"msg-{i:05d}" for i in range(n)]
    text = ("\n".join(lines) + "\n").encode()
    base = ["-h", "127.0.0.1", "-p", str(pport), "-V", "5"]
    # examples/client (stdin lines, Receive Maximum window) -> mosquitto_sub.
    msub = env.spawn(["mosquitto_sub", *base[:-1], "mqttv5", "-i", "many-msub", "-t", "many/a",
                      "-q", "1", "-C", str(n), "-W", "50"])
    env.wait_suback("many-msub")
    t0 = time.monotonic()
    env.run([client, "pub", *base, "-i", "many-cpub", "-t", "many/a", "-l", "-q", "1",
             "-W", "50"], stdin=text, timeout=55)
    out, _ = env.finish(msub, timeout=55)
    check(out == text, f"mosquitto_sub got {len(out.splitlines())} lines / {len(out)} bytes, "
          f"expected {n} / {len(text)}")
    print(f"client -> mosquitto_sub: {n} QoS 1 messages, {len(text)} bytes in order "
          f"({time.monotonic() - t0:.1f} s)")
    # mosquitto_pub -l -> examples/client.
    csub = env.spawn([client, "sub", *base, "-i", "many-csub", "-t", "many/b", "-q", "1",
                      "-C", str(n), "-W", "50"], name="client-sub")
    env.wait_suback("many-csub")
    t0 = time.monotonic()
    env.run(["mosquitto_pub", *base[:-1], "mqttv5", "-t", "many/b", "-l", "-q", "1"],
            stdin=text, timeout=55)
    out, _ = env.finish(csub, timeout=55)
    check(out == text, f"client sub got {len(out.splitlines())} lines / {len(out)} bytes")
    print(f"mosquitto_pub -> client: {n} QoS 1 messages in order ({time.monotonic() - t0:.1f} s)")
    packets = env.stop_proxy([*BOTH("publish"), *BOTH("puback")], min_connections=4)
    pubs = sum(1 for r in packets if r["type"] == "publish")
    acks = sum(1 for r in packets if r["type"] == "puback")
    check(pubs == 4 * n and acks == 4 * n, f"proxy saw {pubs} PUBLISH and {acks} PUBACK")


# ------------------------------------------------------------------------------------------------
# examples/broker with real clients


def case_broker_mosquitto(env, ver):
    """mosquitto_pub/sub against examples/broker: QoS 0/1/2 to a QoS 1 subscription (QoS 2
    downgraded), retained messages (set, delivered to a later subscriber, deleted), and the
    will of a killed client; in 5.0 also properties, a topic alias and a Subscription
    Identifier forwarded, and a message over the subscriber's Maximum Packet Size dropped."""
    port = env.start_example_broker()
    vflag, level = VERSIONS[ver]
    base = ["-h", "127.0.0.1", "-p", str(port), "-V", vflag]
    pre = f"b{ver}"
    v5 = ver == "5"
    sub_props = [] if not v5 else [
        "-D", "connect", "maximum-packet-size", "200",
        "-D", "subscribe", "subscription-identifier", "77"]
    pub_props = [] if not v5 else PUB_PROPS + ["-D", "publish", "topic-alias", "3"]
    fmt = "%t|%q|%r|%p" + ("|%C|%D|%R|%S|%P|%F" if v5 else "")
    sub = env.spawn(["mosquitto_sub", *base, "-i", f"{pre}-sub", "-t", f"{pre}/#", "-q", "1",
                     "-C", "5", "-W", "20", "-F", fmt, *sub_props])
    env.wait_subscribed(f"{pre}-sub")
    # Each publisher has a will, which its normal DISCONNECT discards.
    for q in range(3):
        env.run(["mosquitto_pub", *base, "-i", f"{pre}-pub{q}", "-t", f"{pre}/q{q}",
                 "-m", f"m{q}", "-q", str(q), *pub_props, "--will-topic", f"{pre}/will",
                 "--will-payload", "must not arrive"], timeout=10)
    if v5:  # 300 bytes: over the subscriber's 200, so not sent to it [MQTT-3.1.2-24]
        env.run(["mosquitto_pub", *base, "-t", f"{pre}/big", "-m", "x" * 300], timeout=10)
    env.run(["mosquitto_pub", *base, "-t", f"{pre}/ret", "-m", "kept", "-q", "1", "-r"],
            timeout=10)
    victim = env.spawn(["mosquitto_sub", *base, "-i", f"{pre}-victim", "-t", f"{pre}-x",
                        "--will-topic", f"{pre}/will", "--will-payload", "gone away",
                        "--will-qos", "2"])
    env.wait_subscribed(f"{pre}-victim")
    victim.kill()  # SIGKILL: no DISCONNECT, so the broker publishes the will
    victim.wait()
    out, _ = env.finish(sub, timeout=25)
    props = ("|text/plain; charset=utf-8|corr-42|reply/here|77|colour:blue colour:red|1"
             if v5 else "")
    want = sorted([f"{pre}/q0|0|0|m0{props}", f"{pre}/q1|1|0|m1{props}",
                   f"{pre}/q2|1|0|m2{props}",
                   f"{pre}/ret|1|0|kept" + ("||||77||" if v5 else ""),
                   f"{pre}/will|1|0|gone away" + ("||||77||" if v5 else "")])
    got = sorted(out.decode().splitlines())
    check(got == want, f"subscriber got\n{got}\nexpected\n{want}")
    wills = [r["client"] for r in env.broker_events("will")]
    check(wills == [f"{pre}-victim"], f"wills published for {wills}")
    if v5:
        not_sent = [(r["client"], r["type"], r["error"]) for r in env.broker_events("not_sent")]
        check(not_sent == [(f"{pre}-sub", "publish", "packet_too_large")],
              f"the 300-byte message to a 200-byte client: {not_sent}")
    print(f"{vflag}: QoS 0/1/2 (2 granted as 1), retained, will of a killed client"
          + (", properties, topic alias, subscription identifier, maximum packet size"
             if v5 else ""))
    # A later subscriber gets the retained message with RETAIN set; an empty one deletes it.
    out, _ = env.run(["mosquitto_sub", *base, "-t", f"{pre}/ret", "-q", "1", "-C", "1",
                      "-W", "10", "-F", "%r %q %t %p"], timeout=15)
    check(out.decode().strip() == f"1 1 {pre}/ret kept", f"retained arrived as {out!r}")
    env.run(["mosquitto_pub", *base, "-t", f"{pre}/ret", "-n", "-r"], timeout=10)
    out, _ = env.run(["mosquitto_sub", *base, "-t", f"{pre}/ret", "-C", "1", "-W", "1"],
                     timeout=10, ok=(27,))
    check(out == b"", f"deleted retained message still delivered: {out!r}")
    print("retained: delivered to a later subscriber with RETAIN set, deleted by an empty one")
    check([r["version"] for r in env.broker_events("connect", f"{pre}-sub")] == [level],
          "broker logged another protocol version")
    env.stop_example_broker(not_sent=1 if v5 else 0)


def case_broker_mqttjs(env, level):
    """mqttjs_peer.js against examples/broker: QoS 0/1/2, retained, unsubscribe, keep alive,
    a will with its properties after an abrupt close, and in 5.0 a topic alias set and then
    used, user properties (order kept) and a Subscription Identifier."""
    node = node_or_skip(env)
    port = env.start_example_broker()
    out, err = env.run([node, os.path.join(HERE, "mqttjs_peer.js"), str(port), str(level)],
                       timeout=40)
    print(out.decode().strip())
    check(b"MQTTJS OK" in out, f"MQTT.js peer failed: {err[-3000:]}")
    wills = env.broker_events("will")
    check(len(wills) == 1 and wills[0]["topic"] == f"js{level}/will", f"wills: {wills}")
    env.stop_example_broker()


CASES = {
    "client_v31": case_client_v31,
    "client_v311": case_client_v311,
    "client_v5": case_client_v5,
    "client_v5_properties": case_client_v5_properties,
    "client_topic_alias_receive": case_client_topic_alias_receive,
    "client_streamed_payload": case_client_streamed_payload,
    "firmware_client": case_firmware_client,
    "proxy_mosquitto_v31": case_proxy_mosquitto_v31,
    "proxy_mosquitto_v311": case_proxy_mosquitto_v311,
    "proxy_mosquitto_v5": case_proxy_mosquitto_v5,
    "proxy_client": case_proxy_client,
    "proxy_asio_client": case_proxy_asio_client,
    "proxy_mqttjs_v3": lambda env: case_proxy_mqttjs(env, 3),
    "proxy_mqttjs_v4": lambda env: case_proxy_mqttjs(env, 4),
    "proxy_mqttjs_v5": lambda env: case_proxy_mqttjs(env, 5),
    "proxy_paho_v31": lambda env: case_proxy_paho(env, "31"),
    "proxy_paho_v311": lambda env: case_proxy_paho(env, "311"),
    "proxy_paho_v5": lambda env: case_proxy_paho(env, "5"),
    "proxy_large_payload": case_proxy_large_payload,
    "proxy_many_small": case_proxy_many_small,
    "broker_mosquitto_v31": lambda env: case_broker_mosquitto(env, "31"),
    "broker_mosquitto_v311": lambda env: case_broker_mosquitto(env, "311"),
    "broker_mosquitto_v5": lambda env: case_broker_mosquitto(env, "5"),
    "broker_mqttjs_v4": lambda env: case_broker_mqttjs(env, 4),
    "broker_mqttjs_v5": lambda env: case_broker_mqttjs(env, 5),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--case", choices=sorted(CASES))
    ap.add_argument("--bin-dir", default=os.path.join(os.getcwd(), "examples"),
                    help="directory holding the built client, proxy and asio_client")
    ap.add_argument("--timeout", type=int, default=90, help="seconds for the whole case")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    if args.list:
        print("\n".join(sorted(CASES)))
        return 0
    if not args.case:
        ap.error("--case is required")
    args.bin_dir = os.path.abspath(args.bin_dir)

    def on_alarm(signum, frame):
        raise Fail(f"case did not finish within {args.timeout} s")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(args.timeout)
    env = Env(args)
    status = 1
    try:
        CASES[args.case](env)
        print(f"PASS {args.case}")
        status = 0
    except Skip as e:
        print(f"SKIP {args.case}: {e}")
        status = SKIP
    except Fail as e:
        print(f"FAIL {args.case}: {e}")
    finally:
        signal.alarm(0)
        env.stop()
        if status == 1 or args.keep:
            print(f"logs kept in {env.dir}")
        else:
            shutil.rmtree(env.dir, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
