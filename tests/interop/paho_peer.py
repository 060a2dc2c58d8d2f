#!/usr/bin/env python3
"""paho-mqtt side of run_interop.py's proxy_paho_* cases:

    paho_peer.py PORT 31|311|5

Two paho clients (Debian's python3-paho-mqtt 1.6.1) talk through the proxy on PORT: QoS
0/1/2, retained, unsubscribe, keep alive pings, a will delivered after an abrupt close, and in
5.0 properties on CONNECT, will, PUBLISH (incl. a topic alias), SUBSCRIBE, UNSUBSCRIBE and
DISCONNECT. Prints "PAHO OK" when everything arrived as sent; exits 1 otherwise. Every wait is
bounded.
"""

import socket
import sys
import threading
import time

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

PORT = int(sys.argv[1])
VER = sys.argv[2]
PROTO = {"31": mqtt.MQTTv31, "311": mqtt.MQTTv311, "5": mqtt.MQTTv5}[VER]
V5 = VER == "5"
PRE = f"py{VER}"


def fail(msg):
    print(f"paho_peer: {msg}", file=sys.stderr)
    sys.exit(1)


def wait(pred, what, timeout=15):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return
        time.sleep(0.02)
    fail(f"timed out waiting for {what}")


def props(kind, **values):
    p = Properties(kind)
    for k, v in values.items():
        setattr(p, k, v)
    return p


class Peer:
    def __init__(self, cid):
        self.c = mqtt.Client(cid, protocol=PROTO, **({} if V5 else {"clean_session": True}))
        self.connected = threading.Event()
        self.acks = []
        self.messages = []
        self.c.on_connect = lambda c, u, f, rc, p=None: self.connected.set() if rc == 0 else fail(
            f"CONNACK {rc}")
        self.c.on_subscribe = lambda c, u, mid, granted, p=None: self.acks.append(("sub", granted))
        self.c.on_unsubscribe = lambda c, u, mid, *a: self.acks.append(("unsub", mid))
        self.c.on_message = lambda c, u, m: self.messages.append(m)

    def connect(self, **kw):
        if V5:
            kw["clean_start"] = True
        self.c.connect("127.0.0.1", PORT, keepalive=1, **kw)
        self.c.loop_start()
        if not self.connected.wait(10):
            fail("no CONNACK")


sub = Peer(f"{PRE}-sub")
sub.c.username_pw_set("user", "secret")
sub.connect(**({"properties": props(
    PacketTypes.CONNECT, SessionExpiryInterval=0, ReceiveMaximum=50, MaximumPacketSize=1000000,
    TopicAliasMaximum=0, RequestResponseInformation=0, RequestProblemInformation=1,
    UserProperty=[("peer", "paho")])} if V5 else {}))
filters = [f"{PRE}/q0", f"{PRE}/q1/#", f"{PRE}/+/q2", f"{PRE}/ret", f"{PRE}/will", f"{PRE}/gone"]
if V5:
    sub.c.subscribe([(f, mqtt.SubscribeOptions(qos=2)) for f in filters],
                    properties=props(PacketTypes.SUBSCRIBE, SubscriptionIdentifier=42,
                                     UserProperty=[("s", "x")]))
else:
    sub.c.subscribe([(f, 2) for f in filters])
wait(lambda: len(sub.acks) == 1, "SUBACK")
if V5:
    sub.c.unsubscribe(f"{PRE}/gone", properties=props(PacketTypes.UNSUBSCRIBE,
                                                      UserProperty=[("u", "y")]))
else:
    sub.c.unsubscribe(f"{PRE}/gone")
wait(lambda: len(sub.acks) == 2, "UNSUBACK")

pub = Peer(f"{PRE}-pub")
pub.c.will_set(f"{PRE}/will", b"bye", qos=1, properties=props(
    PacketTypes.WILLMESSAGE, WillDelayInterval=0, PayloadFormatIndicator=1,
    MessageExpiryInterval=60, ContentType="text/plain", ResponseTopic=f"{PRE}/w",
    CorrelationData=b"wc", UserProperty=[("w", "v")]) if V5 else None)
pub.connect()
PUB = dict(PayloadFormatIndicator=1, MessageExpiryInterval=600, ContentType="text/plain",
           ResponseTopic=f"{PRE}/reply", CorrelationData=b"\x00\x01\x02\xff",
           UserProperty=[("a", "1"), ("b", "2"), ("b", "3")])


def publish(topic, payload, qos, retain=False, **extra):
    p = props(PacketTypes.PUBLISH, **PUB, **extra) if V5 else None
    info = pub.c.publish(topic, payload, qos, retain, properties=p)
    info.wait_for_publish(10)
    if not info.is_published():
        fail(f"publish to {topic} not acknowledged")


publish(f"{PRE}/gone", b"must not arrive", 1)
publish(f"{PRE}/q0", b"zero", 0)
publish(f"{PRE}/q1/x", b"one", 1, **({"TopicAlias": 1} if V5 else {}))
publish(f"{PRE}/a/q2", b"two", 2)
publish(f"{PRE}/ret", b"kept", 1, retain=True)
wait(lambda: len(sub.messages) >= 4, "four messages")
time.sleep(2.5)  # idle past the keep alive: both clients ping through the proxy
pub.c.loop_stop()
s = pub.c.socket()
s.shutdown(socket.SHUT_RDWR)  # abrupt close: the broker publishes the will
s.close()
wait(lambda: len(sub.messages) >= 5, "the will")
time.sleep(0.2)

got = sorted((m.topic, m.payload, m.qos) for m in sub.messages)
want = sorted([(f"{PRE}/q0", b"zero", 0), (f"{PRE}/q1/x", b"one", 1), (f"{PRE}/a/q2", b"two", 2),
               (f"{PRE}/ret", b"kept", 1), (f"{PRE}/will", b"bye", 1)])
if got != want:
    fail(f"received {got}, expected {want}")
if V5:
    m = next(m for m in sub.messages if m.topic == f"{PRE}/a/q2")
    p = m.properties
    have = (p.PayloadFormatIndicator, p.ContentType, p.ResponseTopic, p.CorrelationData,
            p.UserProperty, p.SubscriptionIdentifier)
    need = (1, "text/plain", f"{PRE}/reply", b"\x00\x01\x02\xff",
            [("a", "1"), ("b", "2"), ("b", "3")], [42])
    if have != need:
        fail(f"publish properties {have}, expected {need}")
    if not 0 < p.MessageExpiryInterval <= 600:
        fail(f"message expiry {p.MessageExpiryInterval}")
    w = next(m for m in sub.messages if m.topic == f"{PRE}/will").properties
    if (w.ContentType, w.ResponseTopic, w.CorrelationData, w.UserProperty) != (
            "text/plain", f"{PRE}/w", b"wc", [("w", "v")]):
        fail(f"will properties {w}")
    sub.c.disconnect(properties=props(PacketTypes.DISCONNECT, SessionExpiryInterval=0,
                                      UserProperty=[("bye", "now")]))
else:
    sub.c.disconnect()
sub.c.loop_stop()
print(f"PAHO OK: MQTT {VER}, {len(sub.messages)} messages as sent")
