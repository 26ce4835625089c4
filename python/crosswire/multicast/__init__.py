"""The lecture's multicast sender and receiver, and a Python twin of Java's MulticastPeer."""
