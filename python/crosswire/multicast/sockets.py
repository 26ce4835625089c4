"""Multicast sockets, set up explicitly: which interface, which TTL, which group."""

from __future__ import annotations

import socket

from crosswire.protocol.multicast import ANY_INTERFACE, check_group, membership_request

RECEIVE_BUFFER = 65_535


def group_receiver(group: str, port: int, interface: str = ANY_INTERFACE) -> socket.socket:
    """A socket bound to the group's port and joined to the group on `interface`."""
    check_group(group)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    try:
        # Several receivers (and peers) on one host share the group's port.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Binding the group address, not "", keeps datagrams of other groups on this port out.
        sock.bind((group, port))
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership_request(group, interface))
    except OSError:
        sock.close()
        raise
    return sock


def configure_sending(sock: socket.socket, ttl: int, interface: str = ANY_INTERFACE) -> None:
    """TTL and outgoing interface for multicast datagrams sent on `sock`."""
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, ttl)
    if interface != ANY_INTERFACE:
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(interface))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)


def leave(sock: socket.socket, group: str, interface: str = ANY_INTERFACE) -> None:
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_DROP_MEMBERSHIP, membership_request(group, interface))


def multicast_interface(sock: socket.socket) -> str:
    """The outgoing interface address set on `sock` (0.0.0.0: the OS chooses)."""
    return socket.inet_ntoa(sock.getsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, 4))
