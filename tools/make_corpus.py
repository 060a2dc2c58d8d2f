#!/usr/bin/env python3
"""Writes the seed corpora of the codec fuzz targets from real bytes.

Sources: the packets recorded from mosquitto and MQTT.js in tests/data/recorded/*.txt and the
benchmark workloads of /work/shared/bench-workloads.md (W1, W2, W4, W4-311; pass
--workloads to point elsewhere, or a missing file just skips them).

Outputs, one small file per seed, each starting with the target's option byte(s):
  fuzz/corpus/fuzz_decode/seed-*      option byte (version bits) + one packet
  fuzz/corpus/fuzz_frame/seed-*       option byte + chunk byte + the packets of one direction
                                      of one recorded connection, back to back
  fuzz/corpus/fuzz_properties/seed-*  option byte (packet kind) + one 5.0 property block as
                                      found in a recorded packet

Existing seed-* files are replaced; regress-* files (crash reproducers) are left alone.
Usage: python3 tools/make_corpus.py [--repo DIR] [--workloads FILE]
"""

import argparse
import hashlib
import re
import sys
from pathlib import Path

VERSION_BITS = {3: 0, 4: 1, 5: 2}  # option bits 0-1 of fuzz_decode and fuzz_frame
MAX_LEN = 4096  # scripts/fuzz.sh runs with -max_len=4096

# fuzz_properties' packet kinds (bits 0-3 of its option byte).
KIND = {
    "publish": 0, "publish_alias": 1, "connect": 2, "will": 3, "connack": 4,
    "puback": 5, "pubrec": 6, "pubrel": 7, "pubcomp": 8, "subscribe": 9, "suback": 10,
    "unsubscribe": 11, "unsuback": 12, "disconnect": 13, "auth": 14, "publish_qos0": 15,
}


def read_recorded(repo):
    """Yields (file stem, connection number, direction, level, packet bytes)."""
    for path in sorted((repo / "tests/data/recorded").glob("*.txt")):
        conn = 0
        for line in path.read_text().splitlines():
            if line.startswith("# connection"):
                conn += 1
                continue
            if not line or line.startswith("#"):
                continue
            direction, level, hexbytes = line.split(" ")
            yield path.stem, conn, direction, int(level), bytes.fromhex(hexbytes)


def read_workloads(path):
    """The workload hex blocks by name ("W1", "W2", "W4", "W4-311") with their level."""
    if not path.is_file():
        print(f"note: {path} not found, workload seeds skipped", file=sys.stderr)
        return []
    text = path.read_text()
    out = []
    for m in re.finditer(r"^## (W[0-9]+(?:-311)?):[^\n]*\n+```\n([0-9a-f]+)\n```", text, re.M):
        name, hexbytes = m.group(1), m.group(2)
        data = bytes.fromhex(hexbytes)
        level = 4 if name in ("W1", "W4-311") else 5
        out.append((name, level, data))
    return out


def varint(data, i):
    """(value, next index) of the variable byte integer at data[i]."""
    value, mult = 0, 1
    for k in range(4):
        b = data[i + k]
        value += (b & 0x7F) * mult
        mult *= 128
        if b & 0x80 == 0:
            return value, i + k + 1
    raise ValueError("varint longer than 4 bytes")


def u16(data, i):
    return (data[i] << 8) | data[i + 1]


def property_blocks(pkt):
    """(kind, block) for each 5.0 property block of a well-formed 5.0 packet."""
    first = pkt[0]
    ptype = first >> 4
    _, i = varint(pkt, 1)
    end = len(pkt)
    out = []

    def block_at(j):
        n, k = varint(pkt, j)
        return pkt[k:k + n], k + n

    if ptype == 1:  # CONNECT
        j = i + 2 + u16(pkt, i)  # protocol name
        flags = pkt[j + 1]
        blk, j = block_at(j + 4)  # level, flags, keep alive
        out.append(("connect", blk))
        j += 2 + u16(pkt, j)  # client id
        if flags & 0x04:
            blk, _ = block_at(j)
            out.append(("will", blk))
    elif ptype == 2:  # CONNACK
        if end - i > 2:
            out.append(("connack", block_at(i + 2)[0]))
    elif ptype == 3:  # PUBLISH
        qos = (first >> 1) & 3
        tlen = u16(pkt, i)
        j = i + 2 + tlen + (2 if qos else 0)
        kind = "publish_alias" if tlen == 0 else ("publish" if qos else "publish_qos0")
        out.append((kind, block_at(j)[0]))
    elif 4 <= ptype <= 7:  # PUBACK, PUBREC, PUBREL, PUBCOMP
        if end - i > 3:
            names = {4: "puback", 5: "pubrec", 6: "pubrel", 7: "pubcomp"}
            out.append((names[ptype], block_at(i + 3)[0]))
    elif ptype in (8, 9, 10, 11):
        names = {8: "subscribe", 9: "suback", 10: "unsubscribe", 11: "unsuback"}
        out.append((names[ptype], block_at(i + 2)[0]))
    elif ptype in (14, 15):  # DISCONNECT, AUTH
        if end - i > 1:
            out.append(("disconnect" if ptype == 14 else "auth", block_at(i + 1)[0]))
    return out


class corpus_writer:
    def __init__(self, root, target):
        self.dir = root / target
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.glob("seed-*"):
            old.unlink()
        self.seen = set()
        self.count = 0

    def add(self, label, data):
        if len(data) > MAX_LEN:
            data = data[:MAX_LEN]
        digest = hashlib.sha1(data).hexdigest()
        if digest in self.seen:
            return
        self.seen.add(digest)
        (self.dir / f"seed-{label}-{digest[:10]}").write_bytes(data)
        self.count += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", type=Path, default=Path(__file__).resolve().parent.parent)
    ap.add_argument("--workloads", type=Path, default=Path("/work/shared/bench-workloads.md"))
    args = ap.parse_args()
    root = args.repo / "fuzz/corpus"

    decode = corpus_writer(root, "fuzz_decode")
    frame = corpus_writer(root, "fuzz_frame")
    props = corpus_writer(root, "fuzz_properties")

    streams = {}  # (file, connection, direction) -> (level, bytes)
    for stem, conn, direction, level, pkt in read_recorded(args.repo):
        decode.add(stem, bytes([VERSION_BITS[level]]) + pkt)
        key = (stem, conn, direction)
        lvl, acc = streams.get(key, (level, b""))
        streams[key] = (lvl, acc + pkt)
        if level == 5:
            for kind, blk in property_blocks(pkt):
                props.add(f"{stem}-{kind}", bytes([KIND[kind]]) + blk)

    for n, ((stem, conn, direction), (level, data)) in enumerate(sorted(streams.items())):
        chunk = (n * 37) & 0xFF  # vary how the stream arrives
        frame.add(f"{stem}-{conn}-{direction}", bytes([VERSION_BITS[level], chunk]) + data)

    workloads = read_workloads(args.workloads)
    for name, level, pkt in workloads:
        v = VERSION_BITS[level]
        # The plain decode, and each entry point and leniency bit once.
        for extra in (0x00, 0x04, 0x08, 0x10, 0x20, 0x30, 0x60, 0x80):
            decode.add(f"{name.lower()}-{extra:02x}", bytes([v | extra]) + pkt)
        if level == 5:
            for kind, blk in property_blocks(pkt):
                props.add(f"{name.lower()}-{kind}", bytes([KIND[kind]]) + blk)
    if workloads:
        by_name = {name: (level, pkt) for name, level, pkt in workloads}
        for name, reps in (("W1", 12), ("W2", 8)):
            if name in by_name:
                level, pkt = by_name[name]
                frame.add(f"{name.lower()}-x{reps}", bytes([VERSION_BITS[level], 7]) + pkt * reps)
        mixed = b"".join(by_name[n][1] for n in ("W4", "W2", "W2") if n in by_name)
        if mixed:
            frame.add("w4-w2-w2", bytes([VERSION_BITS[5], 200]) + mixed)

    for w in (decode, frame, props):
        print(f"{w.dir}: {w.count} seeds")


if __name__ == "__main__":
    main()
