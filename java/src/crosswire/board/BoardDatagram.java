package crosswire.board;

/** A multicast datagram, server to a board's group. */
public sealed interface BoardDatagram {
    String topic();

    /** MSG: one accepted message. */
    record Msg(String topic, long seq, long timeMs, String text) implements BoardDatagram {
    }

    /** HEARTBEAT: the board's latest sequence number, so a subscriber can see what it missed. */
    record Heartbeat(String topic, long lastSeq) implements BoardDatagram {
    }
}
