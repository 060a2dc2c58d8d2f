#!/usr/bin/env python3
"""Writes examples/captures/*.bin: raw byte streams cut from the recorded traffic.

Each capture is the packets one side of one recorded connection sent, back to back, exactly as
they crossed the wire (tests/data/recorded/README.md describes the source format). They are the
input of `mqtt_dump` without --hex and of its stream-framing tests.

    python3 tools/make_capture.py           # (re)write the captures
    python3 tools/make_capture.py --check   # exit 1 if a capture differs from its source
"""
import argparse
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
RECORDED = ROOT / "tests" / "data" / "recorded"
CAPTURES = ROOT / "examples" / "captures"

# capture file -> (recorded scenario, connection number, direction)
CAPTURE_TABLE = {
    # MQTT 5.0 client: CONNECT with Receive Maximum, PUBLISH QoS 2 carrying every PUBLISH
    # property a client sends, PUBREL, DISCONNECT.
    "mosquitto_v5_session.bin": ("mosquitto_v5_publish_properties", 4, "c2s"),
}


def connection_packets(scenario, connection, direction):
    """The hex packets of one connection and direction, in recorded order."""
    packets = []
    current = 0
    with open(RECORDED / (scenario + ".txt"), encoding="ascii") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# connection "):
                current = int(line[len("# connection "):].split(":", 1)[0])
                continue
            if not line or line.startswith("#"):
                continue
            dir_, _level, hexdata = line.split(" ")
            if current == connection and dir_ == direction:
                packets.append(hexdata)
    if not packets:
        raise SystemExit(f"{scenario}: no {direction} packets in connection {connection}")
    return packets


def capture_bytes(name):
    scenario, connection, direction = CAPTURE_TABLE[name]
    return b"".join(bytes.fromhex(h) for h in connection_packets(scenario, connection, direction))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    args = ap.parse_args()
    status = 0
    CAPTURES.mkdir(parents=True, exist_ok=True)
    for name in CAPTURE_TABLE:
        data = capture_bytes(name)
        path = CAPTURES / name
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                print(f"{path.relative_to(ROOT)}: differs from its recorded source", file=sys.stderr)
                status = 1
        else:
            path.write_bytes(data)
            print(f"{path.relative_to(ROOT)}: {len(data)} bytes")
    return status


if __name__ == "__main__":
    sys.exit(main())
