"""The lecture's UDP echo server and client (Python twins of UDPServer/UDPClient.java)."""
