"""Java's writeUTF echo (the lecture's TCPClient/TCPServer), in Python, byte-exact."""
