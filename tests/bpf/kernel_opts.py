#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
# kernel_opts.py: the server answers an IPv4 request exactly when the kernel takes its options.
#
# Run by kernel-opts.sh in the client namespace: for each option shape, an ordinary Echo
# Request (code 0) asks the server host's kernel whether it takes those options, and a
# presence check (Echo Request code 1, TTL 0) with the same options asks rtr-server. The server
# must send its state-1 response exactly when the kernel answered (docs/PROTOCOL.md SRV-12).
# Prints one line per shape and "N passed, N failed".
import select
import socket
import struct
import sys
import time

SHAPES = {
    "4 NOPs": [1, 1, 1, 1],
    "END then other bytes": [0, 7, 3, 9],
    "record route": [7, 7, 4, 0, 0, 0, 0, 0],
    "record route full": [7, 3, 4, 0],
    "record route length 2": [7, 2, 1, 1],
    "record route pointer 3": [7, 7, 3, 0, 0, 0, 0, 0],
    "record route pointer past room": [7, 7, 5, 0, 0, 0, 0, 0],
    "record route twice": [7, 3, 4, 7, 3, 4, 0, 0],
    "option length 1": [0x44, 1, 0, 0],
    "option length past IHL": [7, 8, 4, 0],
    "option type in the last byte": [1, 1, 1, 7],
    "unknown option length 0": [0x99, 0, 0, 0],
    "timestamp": [0x44, 8, 5, 0, 0, 0, 0, 0],
    "timestamp full, overflow 1": [0x44, 4, 5, 0x10],
    "timestamp flag 2": [0x44, 8, 5, 2, 0, 0, 0, 0],
    "timestamp length 3": [0x44, 3, 5, 0],
    "timestamp pointer 4": [0x44, 4, 4, 0],
    "timestamp overflow 15": [0x44, 4, 5, 0xF0],
    "timestamp with address, no room": [0x44, 8, 5, 1, 0, 0, 0, 0],
    "timestamp prespecified, no room": [0x44, 8, 5, 3, 0, 0, 0, 0],
    "timestamp twice": [0x44, 4, 5, 0x10, 0x44, 4, 5, 0x10],
    "router alert": [148, 4, 0, 0],
    "router alert length 2": [148, 2, 1, 1],
    "loose source route": [131, 7, 4, 10, 201, 77, 2, 0],
    "strict source route": [137, 7, 4, 10, 201, 77, 2, 0],
    "source route at its end": [131, 7, 8, 10, 201, 77, 2, 0],
    "CIPSO": [134, 8, 0, 0, 0, 1, 0, 0],
    "security": [130, 4, 0, 0],
    "unknown option": [0x99, 4, 0, 0],
}


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def packet(src, dst, opt, code, ident, seq, tail):
    icmp = struct.pack("!BBHHH", 8, code, 0, ident, seq) + tail
    icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
    ihl = 5 + len(opt) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(icmp), ident, 0x4000, 64, 1, 0,
                    socket.inet_aton(src), socket.inet_aton(dst)) + bytes(opt)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + icmp


def wait_for(r, match, secs=0.4):
    end = time.time() + secs
    while time.time() < end:
        if not select.select([r], [], [], 0.05)[0]:
            continue
        p = r.recv(2000)
        hl = (p[0] & 15) * 4
        if len(p) >= hl + 12 and match(p[hl:]):
            return True
    return False


def main():
    src, dst = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    passed = failed = 0
    for i, (name, opt) in enumerate(SHAPES.items()):
        ident = 0x4200 + i
        s.sendto(packet(src, dst, opt, 0, ident, 7, b"k" * 16), (dst, 0))
        kernel = wait_for(r, lambda m: m[0] == 0 and m[1] == 0 and
                          struct.unpack("!H", m[4:6])[0] == ident)
        # Presence check: TTL 0, protocol 17, flow 0; rtr-server answers state 1, sequence 0.
        s.sendto(packet(src, dst, opt, 1, ident, 0x5151, bytes([0, 17, 0, 0])), (dst, 0))
        server = wait_for(r, lambda m: m[0] == 0 and m[1] == 1 and
                          struct.unpack("!HH", m[4:8]) == (ident, 0) and m[8] == 1)
        ok = kernel == server
        passed += ok
        failed += not ok
        print("%s %-32s kernel %s, server %s" % ("ok  " if ok else "FAIL", name,
              "answers" if kernel else "refuses", "answers" if server else "silent"))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
