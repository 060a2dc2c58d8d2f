#!/usr/bin/env python3
"""Builds docs/conformance.md, the spec conformance table, from the statement lists in
docs/spec/*.tsv and the TEST_CASE names in tests/*.cpp.

    python3 tools/conformance.py           # (re)write docs/conformance.md
    python3 tools/conformance.py --check   # exit 1 if a CODEC/TOPIC statement has no test or
                                           # docs/conformance.md is not what this would write

A TEST_CASE covers statement id X of version V when its name contains X as a whole id and
either names V with a tag ("[3.1.1]" / "(3.1.1)", "[5.0]" / "(5.0)"), or names no version and X
exists only in V's list, or X is TOPIC-classed in both lists (matching takes no version).
An id that both specs use must otherwise be tagged: several ids mean different rules in the two
specs (MQTT-3.1.2-13 is Will QoS in 3.1.1 and Will Retain in 5.0).
"""

import argparse
import difflib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "docs", "conformance.md")
VERSIONS = [
    ("3.1.1", os.path.join("docs", "spec", "mqtt-3.1.1.tsv"), ("[3.1.1]", "(3.1.1)")),
    ("5.0", os.path.join("docs", "spec", "mqtt-5.0.tsv"), ("[5.0]", "(5.0)")),
]
ID_RE = re.compile(r"MQTT-\d+\.\d+\.\d+-\d+(?!\d)")
TEST_CASE_RE = re.compile(r'\bTEST_CASE\s*\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)')
LITERAL_RE = re.compile(r'"((?:[^"\\]|\\.)*)"')

# Why a codec leaves a STATE or BEHAVIOUR statement to its user: the first entry whose pattern
# matches "<version> <id>" wins, else the class default.
REASONS = [
    (r"Maximum Packet Size", "STATE",
     "depends on the Maximum Packet Size the peer announced: the sender compares "
     "encoded_size() with it; a receiver sets frame_options/decode_options.max_packet_size"),
    (r"MQTT-4\.6\.0-", "BEHAVIOUR",
     "message ordering is delivery behaviour of a client or broker; the codec handles one "
     "packet at a time"),
    (r"5\.0 MQTT-2\.2\.1-[56](?= )|3\.1\.1 MQTT-2\.3\.1-[2-7](?= )|MQTT-3\.8\.4-2(?= )|MQTT-3\.10\.4-[45](?= )",
     "STATE",
     "which identifiers are in use and which request an acknowledgement answers is connection "
     "state; the codec checks only that an identifier is non-zero"),
    (r"MQTT-3\.1\.0-|MQTT-3\.2\.0-|MQTT-3\.1\.4-[56](?= )|MQTT-3\.14\.0-1(?= )|MQTT-3\.14\.4-",
     "STATE", "the order of packets on a connection is state the codec does not keep"),
    (r"3\.1\.1 MQTT-3\.1\.2-2[34](?= )|5\.0 MQTT-3\.1\.2-2[0-2](?= )|MQTT-3\.2\.2-2[12](?= )", "STATE",
     "keep-alive timing needs a clock and the connection; the codec only carries the values"),
    (r"5\.0 MQTT-3\.1\.2-24(?= )|MQTT-3\.2\.2-(15|19|20)(?= )|MQTT-3\.14\.2-[34](?= )",
     "STATE",
     "depends on the Maximum Packet Size the peer announced: the sender compares "
     "encoded_size() with it; a receiver sets frame_options/decode_options.max_packet_size"),
    (r"5\.0 MQTT-3\.1\.2-2[67](?= )|MQTT-3\.2\.2-1[78](?= )|MQTT-3\.3\.2-(7|9|10|11|12)(?= )", "STATE",
     "topic alias limits and mappings belong to one connection; the codec only refuses alias 0"),
    (r"MQTT-4\.3\.|MQTT-4\.4\.0-2(?= )|MQTT-4\.9\.|MQTT-3\.3\.4-([789]|10)(?= )", "STATE",
     "QoS delivery state machines and flow control need session state the codec does not keep"),
    (r"MQTT-4\.12\.|5\.0 MQTT-3\.1\.2-30(?= )", "STATE",
     "the authentication exchange is a conversation; the codec decodes each AUTH on its own"),
    (r"MQTT-3\.8\.4-[56](?= )|MQTT-3\.9\.3-1(?= )|MQTT-3\.11\.3-1(?= )", "STATE",
     "needs the SUBSCRIBE or UNSUBSCRIBE the acknowledgement answers"),
    (r"MQTT-3\.2\.2-(1|2|11|14)(?= )|5\.0 MQTT-3\.1\.2-2[89](?= )|5\.0 MQTT-3\.1\.2-21(?= )", "STATE",
     "depends on what the other side sent or announced earlier on the connection"),
    (r"MQTT-3\.1\.2-[2-6](?= )|3\.1\.1 MQTT-3\.1\.4-3(?= )|5\.0 MQTT-3\.1\.4-4(?= )|"
     r"MQTT-4\.1\.0-|3\.1\.1 MQTT-3\.2\.2-[23](?= )|5\.0 MQTT-3\.2\.2-[3-5](?= )|"
     r"MQTT-4\.4\.0-1(?= )|5\.0 MQTT-3\.1\.2-23(?= )", "BEHAVIOUR",
     "session lifetime and resumption are the broker's and client's; the codec carries Clean "
     "Start, Session Present and Session Expiry Interval"),
    (r"3\.1\.1 MQTT-3\.1\.2-(8|10|12|16|17)(?= )|5\.0 MQTT-3\.1\.2-(7|8|10|14|15)(?= )|"
     r"5\.0 MQTT-3\.1\.3-(9|10)(?= )|MQTT-3\.14\.4-3(?= )",
     "BEHAVIOUR", "storing and publishing the will is the server's job; the codec decodes the "
     "will fields"),
    (r"MQTT-3\.3\.1-([5-9]|1[0-3])(?= )|3\.1\.1 MQTT-3\.1\.2-7(?= )", "BEHAVIOUR",
     "retained-message storage and the RETAIN flag of forwarded messages are broker behaviour"),
    (r"MQTT-3\.1\.3-[5-9](?= )|MQTT-3\.1\.3-2(?= )|MQTT-3\.2\.2-16(?= )", "BEHAVIOUR",
     "which client identifiers a server accepts or assigns is its policy"),
    (r"3\.1\.1 MQTT-3\.2\.2-[56](?= )|5\.0 MQTT-3\.2\.2-7(?= )|MQTT-4\.8\.0-|MQTT-4\.13\.|MQTT-3\.1\.4-2(?= )|MQTT-3\.2\.2-1[23](?= )|"
     r"MQTT-4\.12\.|MQTT-3\.14\.4-[12](?= )|MQTT-3\.3\.5-2(?= )", "BEHAVIOUR",
     "closing the connection is the caller's act; a decode error says which reason code "
     "(reason()) or return code (connack_return_code()) to send first"),
    (r"MQTT-4\.2\.0-1(?= )|MQTT-6\.0\.0-|MQTT-7\.", "BEHAVIOUR",
     "about the transport or whole implementations; the codec does no I/O"),
    (r"MQTT-3\.3\.1-[13](?= )", "BEHAVIOUR",
     "whether a PUBLISH is a redelivery is session behaviour; the codec carries the DUP flag"),
    (r"5\.0 MQTT-3\.3\.2-1[78](?= )", "BEHAVIOUR",
     "forwarding is the broker's job; a PUBLISH decoded and encoded again keeps its User "
     "Properties unaltered and in order (properties_test.cpp, `decoded user properties are "
     "encoded again by copying them, when that is exact`)"),
    (r"MQTT-3\.8\.4-3(?= )", "BEHAVIOUR",
     "which subscription a SUBSCRIBE replaces is the broker's decision; an index it keeps does "
     "the replacing in one walk: `topic_index::insert_or_assign` (topic_index_test.cpp, "
     "`topic_index: MQTT-3.8.4-3 insert_or_assign replaces a client's subscription`)"),
    (r"forward|deliver|queue|joins the session|Subscription Identifiers of|each copy|"
     r"highest maximum QoS|handled as separate|replaces|No Local=1|still accepts|advertises",
     "BEHAVIOUR",
     "what a broker forwards to whom, and how; the codec matches topics (topic.hpp, "
     "topic_index.hpp) but does not deliver"),
    (r"answers |acknowledges every|is acknowledged|UNSUBACK is sent", "BEHAVIOUR",
     "answering packets is the peer's job; the codec encodes the answer it is given"),
]
DEFAULT_REASON = {
    "STATE": "needs connection or session state, which the codec does not keep",
    "BEHAVIOUR": "what a broker or client does with packets (delivery, forwarding, "
    "acknowledging, retrying); the codec only turns packets into bytes and back",
}


def read_statements(path):
    rows = []
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        assert header[:4] == ["id", "class", "section", "summary"], header
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            ident, klass, section, summary = line.split("\t", 3)
            rows.append({"id": ident, "class": klass, "section": section, "summary": summary})
    return rows


def unescape(literal):
    return re.sub(r"\\(.)", lambda m: m.group(1), literal)


def read_test_names():
    names = []
    tests = os.path.join(ROOT, "tests")
    for entry in sorted(os.listdir(tests)):
        if not entry.endswith(".cpp"):
            continue
        with open(os.path.join(tests, entry), encoding="utf-8", errors="replace") as f:
            text = f.read()
        for m in TEST_CASE_RE.finditer(text):
            name = "".join(unescape(x) for x in LITERAL_RE.findall(m.group(1)))
            names.append((entry, name))
    return names


def covering_tests(version, ident, names, classes):
    """Test names covering statement `ident` of `version` under the convention above."""
    own_tags = next(tags for v, _, tags in VERSIONS if v == version)
    all_tags = [t for _, _, tags in VERSIONS for t in tags]
    in_both = all(ident in classes[v] for v, _, _ in VERSIONS)
    topic_in_both = in_both and all(classes[v].get(ident) == "TOPIC" for v, _, _ in VERSIONS)
    found = []
    for entry, name in names:
        if ident not in ID_RE.findall(name):
            continue
        tagged = any(t in name for t in all_tags)
        if any(t in name for t in own_tags) or (not tagged and (not in_both or topic_in_both)):
            found.append((entry, name))
    return found


def reason_for(version, ident, klass, summary):
    key = f"{version} {ident} {summary}"
    for pattern, pattern_class, reason in REASONS:
        if pattern_class == klass and re.search(pattern, key):
            return reason
    return DEFAULT_REASON[klass]


def md_escape(text):
    return text.replace("|", "\\|")


def build():
    statements = {v: read_statements(path) for v, path, _ in VERSIONS}
    classes = {v: {s["id"]: s["class"] for s in rows} for v, rows in statements.items()}
    names = read_test_names()
    missing = []
    out = []
    out.append("# Spec conformance")
    out.append("")
    out.append("<!-- Generated by tools/conformance.py from docs/spec/*.tsv and the TEST_CASE "
               "names in tests/*.cpp. Do not edit; run the script. -->")
    out.append("")
    out.append("Every normative statement of MQTT 3.1.1 and MQTT 5.0 (OASIS standards), by its "
               "statement id, with its class (see docs/spec/*.tsv) and what this library does "
               "about it:")
    out.append("")
    out.append("- **enforced**: a CODEC or TOPIC statement the decoder (or the topic module) "
               "checks and the encoder respects; the tests named check it. Those in "
               "`tests/conformance_*_test.cpp` decode packets written by hand from the spec, at "
               "least one that must fail with an exact error code, offset and statement id and "
               "one that must decode, and where a packet struct can express the fault, check "
               "that encoding refuses it.")
    out.append("  Statements that hold in one direction only (MQTT-3.3.4-6, MQTT-3.14.2-2, the "
               "\"Sent by\" column of the DISCONNECT and AUTH reason codes, the direction of "
               "flow of each packet type) are checked when the decoder is told who sent the "
               "packet (`decode_options::sender`); not told, it accepts what either side may "
               "send. A sender checks them with `check_sender` before encoding.")
    out.append("- **not a codec rule**: a STATE or BEHAVIOUR statement; the row says why the "
               "codec leaves it to its user.")
    out.append("")
    out.append("How a test is found: `tools/conformance.py` reads the TEST_CASE names in "
               "`tests/*.cpp`. A name covers a statement when it contains the id, and also "
               "names the version with `[3.1.1]` / `(3.1.1)` or `[5.0]` / `(5.0)` where both "
               "specs use that id (the same id often means different rules in the two specs). "
               "Untagged names count for ids that only one spec has, and for TOPIC ids, whose "
               "matching rules are the same in both. `python3 tools/conformance.py --check` "
               "(ctest `conformance_table`) fails when a CODEC or TOPIC statement has no test "
               "or this file is stale.")
    out.append("")
    out.append("Where a string field has its own UTF-8 statement (e.g. 3.1.1 MQTT-3.1.3-4 for "
               "the ClientId), the decoder reports the general UTF-8 statement (MQTT-1.5.3-1 / "
               "MQTT-1.5.4-1, or -2 for U+0000) with the offset of the bad character; the "
               "field's own test checks exactly that.")
    for version, _, _ in VERSIONS:
        rows = statements[version]
        counts = {}
        table = []
        for s in rows:
            ident, klass = s["id"], s["class"]
            if klass in ("CODEC", "TOPIC"):
                tests = covering_tests(version, ident, names, classes)
                if tests:
                    status = "enforced"
                    detail = "<br>".join(f"`{md_escape(n)}` ({e})" for e, n in tests)
                else:
                    status, detail = "**MISSING**", "no test names this statement"
                    missing.append(f"{version} {ident} ({klass}): no TEST_CASE names it")
            else:
                status, detail = "not a codec rule", reason_for(version, ident, klass, s["summary"])
            counts[status] = counts.get(status, 0) + 1
            table.append(f"| {ident} | {klass} | {md_escape(s['summary'])} | {status} | "
                         f"{detail} |")
        out.append("")
        out.append(f"## MQTT {version}")
        out.append("")
        out.append(", ".join(f"{n} {k}" for k, n in sorted(counts.items())) +
                   f" ({len(rows)} statements).")
        out.append("")
        out.append("| Id | Class | Statement | Status | Tests, or why not |")
        out.append("| --- | --- | --- | --- | --- |")
        out.extend(table)
    known = set(classes["3.1.1"]) | set(classes["5.0"])
    unknown = sorted({(e, i) for e, n in names for i in ID_RE.findall(n) if i not in known})
    return "\n".join(out) + "\n", missing, unknown


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="verify instead of writing; exit 1 on a gap or a stale table")
    args = parser.parse_args()
    text, missing, unknown = build()
    for entry, ident in unknown:
        print(f"warning: {entry} names {ident}, which neither spec list has", file=sys.stderr)
    if not args.check:
        with open(OUT, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"wrote {os.path.relpath(OUT, ROOT)}; {len(missing)} statements without a test")
        for m in missing:
            print("  " + m)
        return 0
    failed = False
    if missing:
        failed = True
        print(f"{len(missing)} CODEC/TOPIC statements have no test:")
        for m in missing:
            print("  " + m)
    try:
        with open(OUT, encoding="utf-8") as f:
            current = f.read()
    except FileNotFoundError:
        current = ""
    if current != text:
        failed = True
        print(f"{os.path.relpath(OUT, ROOT)} is stale; run python3 tools/conformance.py. Diff:")
        diff = difflib.unified_diff(current.splitlines(), text.splitlines(), "committed",
                                    "generated", lineterm="", n=0)
        for i, line in enumerate(diff):
            if i == 40:
                print("  ...")
                break
            print("  " + line)
    if not failed:
        print("conformance table up to date; every CODEC/TOPIC statement has a test")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
