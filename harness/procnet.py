"""Which UDP address a process has bound, read from /proc (for programs that cannot say).

socat's `UDP-RECVFROM:0` binds a port the kernel picks and never prints it,
so for such a peer the harness looks the socket up instead: the process's
socket inodes (/proc/PID/fd) matched against the kernel's UDP table
(/proc/net/udp, which is per network namespace, like the peer).
"""

from __future__ import annotations

import os
import socket
import struct
import time

from harness.process import PeerProcess, PeerProcessError

# The table cannot be waited on, only looked at again; 5 ms is far below a process start.
LOOK_AGAIN = 0.005


def socket_inodes(pid: int) -> set[str]:
    inodes: set[str] = set()
    try:
        names = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return inodes
    for name in names:
        try:
            target = os.readlink(f"/proc/{pid}/fd/{name}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def parse_udp_table(text: str) -> dict[str, tuple[str, int]]:
    """inode → (host, port) for each IPv4 UDP socket in a /proc/net/udp text."""
    bound = {}
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 10:
            continue
        address, port = fields[1].split(":")
        host = socket.inet_ntoa(struct.pack("<I", int(address, 16)))
        bound[fields[9]] = (host, int(port, 16))
    return bound


def bound_udp_address(pid: int) -> tuple[str, int] | None:
    inodes = socket_inodes(pid)
    with open("/proc/net/udp") as table:
        bound = parse_udp_table(table.read())
    for inode in inodes:
        if inode in bound and bound[inode][1] != 0:
            return bound[inode]
    return None


def wait_for_udp_socket(process: PeerProcess, timeout: float) -> tuple[str, int]:
    deadline = time.monotonic() + timeout
    while True:
        address = bound_udp_address(process.pid)
        if address is not None:
            return address
        if process.process.poll() is not None:
            raise PeerProcessError(f"{process.name} exited with status {process.process.returncode} before binding")
        if time.monotonic() > deadline:
            raise PeerProcessError(f"{process.name} bound no UDP socket within {timeout:.0f} s")
        time.sleep(LOOK_AGAIN)
