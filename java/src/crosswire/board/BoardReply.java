package crosswire.board;

import java.util.List;

/** A reply, server to client, carrying the request_id of the request it answers. */
public sealed interface BoardReply {
    int requestId();

    /** One board as BOARDS lists it. */
    record BoardInfo(String topic, String group, int port, long lastSeq) {
    }

    /** One stored message as MESSAGES carries it. */
    record StoredMessage(long seq, long timeMs, String text) {
    }

    /** CREATED: the new board's group, port and token. */
    record Created(int requestId, String topic, String group, int port, String token)
            implements BoardReply {
    }

    /** BOARDS: every board, in creation order. */
    record Boards(int requestId, List<BoardInfo> boards) implements BoardReply {
        public Boards {
            boards = List.copyOf(boards);
        }
    }

    /** POSTED: the message is stored as number {@code seq}. */
    record Posted(int requestId, String topic, long seq) implements BoardReply {
    }

    /** BOARD: the answer to LOOKUP. */
    record Board(int requestId, String topic, String group, int port, long lastSeq)
            implements BoardReply {
    }

    /** MESSAGES: the answer to FETCH, in sequence order. */
    record Messages(int requestId, String topic, List<StoredMessage> messages)
            implements BoardReply {
        public Messages {
            messages = List.copyOf(messages);
        }
    }

    /** ERROR: one of the codes in {@link BoardProtocol}, and what went wrong. */
    record Error(int requestId, String code, String message) implements BoardReply {
    }
}
