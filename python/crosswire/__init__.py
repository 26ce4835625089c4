"""crosswire: the lecture's socket programs in Python, and the protocol code they share.

`crosswire.protocol` holds pure functions over bytes (no sockets); the peer
packages (`crosswire.udpecho`, ...) are thin programs built on it.
"""
