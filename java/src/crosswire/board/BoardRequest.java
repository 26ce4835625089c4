package crosswire.board;

/** A request, client to server; each carries the request_id its reply echoes. */
public sealed interface BoardRequest {
    int requestId();

    /** CREATE: a new board named {@code topic}. */
    record Create(int requestId, String topic) implements BoardRequest {
    }

    /** LIST: every board. */
    record ListBoards(int requestId) implements BoardRequest {
    }

    /** POST: {@code text} to the board, with the token CREATE gave. */
    record Post(int requestId, String topic, String token, String text) implements BoardRequest {
    }

    /** LOOKUP: where a board is multicast, and its latest sequence number. */
    record Lookup(int requestId, String topic) implements BoardRequest {
    }

    /** FETCH: messages {@code fromSeq..toSeq} inclusive; {@code toSeq} 0 is "the latest". */
    record Fetch(int requestId, String topic, long fromSeq, long toSeq) implements BoardRequest {
    }
}
