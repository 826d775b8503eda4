#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""A tiny authoritative DNS server for tests: UDP and TCP on one loopback port, answering from
zone files (dnspython), with per-name delays and drops that a test can change while it runs.

Usage: slow_upstream.py --zone FILE [--zone FILE ...] [--address 127.0.0.1] [--control FILE]
                        [--log FILE]
Prints "PORT <n>" on its first output line once both sockets are bound (it picks a free port
itself, so there is no bind race). The control file is JSON, re-read on every query:
    {"delay": {"race.slow.ml. MX": 1.5, "other.ml.": 1.0}, "drop": ["army.dead.ml."]}
Names are lower-case and fully qualified; a delay keyed "name TYPE" applies to that type only,
one keyed by the bare name to every type (also the A query of QNAME minimisation); a drop
applies to the name for every type.
A delayed name is answered `delay` seconds after the FIRST query for that name and type in the
current episode (retries by the resolver get the answer at the same moment, so a resolver's
retransmission schedule does not stretch the delay); an episode ends 3 s after its answer time.
Each query is logged as "<monotonic time> <qname> <qtype> <udp|tcp>" to --log.
Answers: minimal (answer section only for data; SOA in authority for NXDOMAIN/NODATA;
NS + glue for referrals below an apex NS); AA set. CNAMEs are chased inside the same zone only.
Stop it with SIGTERM (by its PID)."""
import argparse
import json
import os
import socket
import struct
import sys
import threading
import time

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.zone

LOCK = threading.Lock()
EPISODES = {}  # (qname, qtype) -> answer time (monotonic)


def load_zones(paths):
    zones = {}
    for path in paths:
        z = dns.zone.from_file(path, origin=None, relativize=False, check_origin=True)
        zones[z.origin] = z
    return zones


def read_control(path):
    if not path:
        return {}
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def find_zone(zones, qname):
    best = None
    for origin, z in zones.items():
        if qname.is_subdomain(origin) and (best is None or len(origin) > len(best.origin)):
            best = z
    return best


def rrset_of(zone, name, rdtype):
    node = zone.get_node(name)
    if node is None:
        return None
    rds = node.get_rdataset(dns.rdataclass.IN, rdtype)
    if rds is None:
        return None
    rrset = dns.rrset.RRset(name, dns.rdataclass.IN, rdtype)
    rrset.update(rds)
    return rrset


def soa_of(zone):
    return rrset_of(zone, zone.origin, dns.rdatatype.SOA)


def name_exists(zone, name):
    if zone.get_node(name) is not None:
        return True
    return any(n.is_subdomain(name) for n in zone.nodes.keys())  # empty non-terminal


def answer(zones, query):
    r = dns.message.make_response(query)
    r.flags &= ~dns.flags.RA
    if len(query.question) != 1:
        r.set_rcode(dns.rcode.FORMERR)
        return r
    q = query.question[0]
    qname = q.name
    zone = find_zone(zones, qname)
    if zone is None:
        r.set_rcode(dns.rcode.REFUSED)
        return r
    # Delegation below the apex: referral (NS + in-zone glue), no AA.
    cut = qname
    cuts = []
    while cut != zone.origin and cut.is_subdomain(zone.origin):
        cuts.append(cut)
        cut = cut.parent()
    for c in reversed(cuts):
        ns = rrset_of(zone, c, dns.rdatatype.NS)
        if ns is not None:
            r.authority.append(ns)
            for rd in ns:
                for t in (dns.rdatatype.A, dns.rdatatype.AAAA):
                    glue = rrset_of(zone, rd.target, t)
                    if glue is not None:
                        r.additional.append(glue)
            return r
    r.flags |= dns.flags.AA
    name = qname
    for _ in range(8):  # CNAME chase inside this zone
        data = rrset_of(zone, name, q.rdtype)
        if data is not None:
            r.answer.append(data)
            return r
        cname = rrset_of(zone, name, dns.rdatatype.CNAME)
        if cname is not None and q.rdtype != dns.rdatatype.CNAME:
            r.answer.append(cname)
            target = cname[0].target
            if not target.is_subdomain(zone.origin):
                return r
            name = target
            continue
        if not name_exists(zone, name):
            if name == qname:
                r.set_rcode(dns.rcode.NXDOMAIN)
        r.authority.append(soa_of(zone))
        return r
    return r


def handle(zones, args, wire, transport):
    """The response wire for a query, or None to drop it."""
    try:
        query = dns.message.from_wire(wire)
    except Exception:
        return None
    if not query.question:
        return None
    q = query.question[0]
    qname = q.name.to_text().lower()
    with open(args.log, "a") if args.log else open(os.devnull, "w") as log, LOCK:
        log.write(f"{time.monotonic():.3f} {qname} {dns.rdatatype.to_text(q.rdtype)} {transport}\n")
    control = read_control(args.control)
    if qname in [n.lower() for n in control.get("drop", [])]:
        return None
    delays = control.get("delay", {})
    rdtype = dns.rdatatype.to_text(q.rdtype)
    delay = float(delays.get(f"{qname} {rdtype}", delays.get(qname, 0)))
    if delay > 0:
        key = (qname, q.rdtype)
        now = time.monotonic()
        with LOCK:
            at = EPISODES.get(key)
            if at is None or now > at + 3.0:
                at = now + delay
                EPISODES[key] = at
        if at > now:
            time.sleep(at - now)
    return answer(zones, query).to_wire()


def serve_udp(sock, zones, args):
    def one(wire, peer):
        out = handle(zones, args, wire, "udp")
        if out is not None:
            if len(out) > 512:
                m = dns.message.from_wire(out)
                m.answer, m.authority, m.additional = [], [], []
                m.flags |= dns.flags.TC
                out = m.to_wire()
            sock.sendto(out, peer)
    while True:
        wire, peer = sock.recvfrom(65535)
        threading.Thread(target=one, args=(wire, peer), daemon=True).start()


def serve_tcp(sock, zones, args):
    def conn(c):
        with c:
            c.settimeout(10)
            try:
                while True:
                    hdr = c.recv(2)
                    if len(hdr) < 2:
                        return
                    (n,) = struct.unpack("!H", hdr)
                    wire = b""
                    while len(wire) < n:
                        chunk = c.recv(n - len(wire))
                        if not chunk:
                            return
                        wire += chunk
                    out = handle(zones, args, wire, "tcp")
                    if out is not None:
                        c.sendall(struct.pack("!H", len(out)) + out)
            except OSError:
                return
    while True:
        c, _ = sock.accept()
        threading.Thread(target=conn, args=(c,), daemon=True).start()


def bind(address):
    for _ in range(50):
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind((address, 0))
        port = udp.getsockname()[1]
        tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            tcp.bind((address, port))
        except OSError:
            udp.close()
            tcp.close()
            continue
        tcp.listen(16)
        return udp, tcp, port
    raise RuntimeError(f"no free port on {address}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--zone", action="append", required=True)
    ap.add_argument("--address", default="127.0.0.1")
    ap.add_argument("--control")
    ap.add_argument("--log")
    args = ap.parse_args()
    zones = load_zones(args.zone)
    udp, tcp, port = bind(args.address)
    threading.Thread(target=serve_tcp, args=(tcp, zones, args), daemon=True).start()
    print(f"PORT {port}", flush=True)
    serve_udp(udp, zones, args)


if __name__ == "__main__":
    sys.exit(main())
