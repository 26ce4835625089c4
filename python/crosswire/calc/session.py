"""One calculator conversation, over TCP or UDP, for interactive clients (the GUI).

It turns every way a request can go wrong into an outcome a window can show:
the server is down, it did not answer in time, or it answered `ERR`.
"""

from __future__ import annotations

from dataclasses import dataclass

from crosswire.calc.udp_client import CalcUdpClient
from crosswire.peerutil import Output
from crosswire.protocol.calc import BadReply, parse_reply
from crosswire.protocol.errors import ProtocolError
from crosswire.tcpthreaded.client import ReplyTimeout, ThreadedClient


@dataclass(frozen=True)
class Outcome:
    request: str
    ok: bool
    text: str  # the result, or what went wrong, for a person to read
    code: str = ""  # the ERR code, "TIMEOUT" or "UNREACHABLE" when not ok


class CalcSession:
    def __init__(self, transport: str, host: str, port: int, timeout: float = 1.0) -> None:
        self.transport = transport
        self.host = host
        self.port = port
        self.timeout = timeout
        self._tcp: ThreadedClient | None = None

    def ask(self, request: str) -> Outcome:
        try:
            raw = self._exchange(request.encode("utf-8"))
        except (ReplyTimeout, TimeoutError):
            return Outcome(request, False, f"no reply from {self.host}:{self.port} within {self.timeout:g} s",
                           "TIMEOUT")
        except OSError as error:
            return Outcome(request, False, f"cannot reach {self.host}:{self.port}: {error.strerror or error}",
                           "UNREACHABLE")
        except ProtocolError as error:
            return Outcome(request, False, str(error), "PROTOCOL")
        try:
            reply = parse_reply(raw.decode("utf-8"))
        except (BadReply, UnicodeDecodeError) as error:
            return Outcome(request, False, f"unreadable reply: {error}", "PROTOCOL")
        if reply.code is None:
            return Outcome(request, True, reply.body)
        return Outcome(request, False, reply.body, reply.code.value)

    def _exchange(self, request: bytes) -> bytes:
        if self.transport == "udp":
            client = CalcUdpClient(self.host, self.port, self.timeout, 1, Output(json_mode=False))
            try:
                outcome = client.exchange(0, request)
            finally:
                client.socket.close()
            if isinstance(outcome, int):
                raise ReplyTimeout
            return outcome[0]
        if self._tcp is None:
            self._tcp = ThreadedClient(self.host, self.port, self.timeout, require_utf8=False)
        try:
            return self._tcp.exchange(request)
        except (OSError, ProtocolError, ReplyTimeout):
            self._tcp.drop()  # the next request reconnects
            raise

    def close(self) -> None:
        if self._tcp is not None:
            self._tcp.drop()

