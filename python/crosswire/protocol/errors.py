"""The error types every crosswire codec raises.

Following h11, there is one base class, `ProtocolError`, so a program can catch
"anything the codec objected to" in one place, and two branches that say whose
fault it was:

* `LocalProtocolError`: *you* misused the codec (for example asked it to frame a
  string that cannot be framed).  Fix the calling code.
* `RemoteProtocolError`: the *peer* sent bytes that break the protocol.  A
  server logs it, drops or answers that request, and keeps serving.

Codecs never raise these for "not enough input yet": running out of input is a
value (a ``NEED_DATA`` marker), not an exception.
"""

from __future__ import annotations


class ProtocolError(Exception):
    """Base class of every error a crosswire protocol codec raises."""


class LocalProtocolError(ProtocolError):
    """The caller misused the codec; the bytes on the wire are not to blame."""


class RemoteProtocolError(ProtocolError):
    """The peer sent bytes that violate the protocol."""
