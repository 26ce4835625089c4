package crosswire.board;

import crosswire.board.BoardDatagram.Heartbeat;
import crosswire.board.BoardDatagram.Msg;
import crosswire.board.BoardReply.BoardInfo;
import crosswire.board.BoardReply.StoredMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * The board protocol's codec (docs/protocols/board.md): every TCP message as a body (and a
 * frame: {@code int length} + body) and every datagram, written with {@link DataOutputStream}
 * and read back with {@link DataInputStream}, so strings are exactly Java's writeUTF. It checks
 * the form of a message, not its sense: a topic with a space decodes fine, and the server
 * answers it {@code BAD_TOPIC}. No I/O; the twin of {@code python/crosswire/protocol/board.py}.
 */
public final class BoardMessages {
    /** Bytes of a body before a request's or reply's own fields: version, kind, request_id. */
    static final int HEADER_BYTES = 6;
    /** Bytes of a MESSAGES reply before its messages: the header, the topic's u16, the count. */
    static final int MESSAGES_OVERHEAD = HEADER_BYTES + 2 + 4;

    private BoardMessages() {
    }

    // ----- framing

    /** {@code body} with its {@code int length} in front. */
    public static byte[] frame(byte[] body) throws UnencodableException {
        if (body.length < 1 || body.length > BoardProtocol.MAX_BODY) {
            throw new UnencodableException("a body of " + body.length
                    + " bytes cannot be framed; the length must be 1.." + BoardProtocol.MAX_BODY);
        }
        byte[] framed = new byte[4 + body.length];
        framed[0] = (byte) (body.length >>> 24);
        framed[1] = (byte) (body.length >>> 16);
        framed[2] = (byte) (body.length >>> 8);
        framed[3] = (byte) body.length;
        System.arraycopy(body, 0, framed, 4, body.length);
        return framed;
    }

    /** How many bytes {@code message} adds to a MESSAGES body. */
    public static int encodedSize(StoredMessage message) {
        return 8 + 8 + 2 + BoardProtocol.modifiedUtf8Length(message.text());
    }

    /** How many bytes a MESSAGES body about {@code topic} takes before its messages. */
    public static int messagesOverhead(String topic) {
        return MESSAGES_OVERHEAD + BoardProtocol.modifiedUtf8Length(topic);
    }

    // ----- requests

    /** {@code request} framed, ready to send. */
    public static byte[] encodeRequest(BoardRequest request) throws UnencodableException {
        return frame(requestBody(request));
    }

    /** {@code request}'s body. */
    public static byte[] requestBody(BoardRequest request) throws UnencodableException {
        if (request instanceof BoardRequest.Create create) {
            return new BodyWriter(BoardProtocol.CREATE, create.requestId())
                    .utf("topic", create.topic()).bytes();
        }
        if (request instanceof BoardRequest.ListBoards list) {
            return new BodyWriter(BoardProtocol.LIST, list.requestId()).bytes();
        }
        if (request instanceof BoardRequest.Post post) {
            return new BodyWriter(BoardProtocol.POST, post.requestId())
                    .utf("topic", post.topic()).utf("token", post.token())
                    .utf("text", post.text()).bytes();
        }
        if (request instanceof BoardRequest.Lookup lookup) {
            return new BodyWriter(BoardProtocol.LOOKUP, lookup.requestId())
                    .utf("topic", lookup.topic()).bytes();
        }
        BoardRequest.Fetch fetch = (BoardRequest.Fetch) request;
        return new BodyWriter(BoardProtocol.FETCH, fetch.requestId())
                .utf("topic", fetch.topic()).int64(fetch.fromSeq()).int64(fetch.toSeq()).bytes();
    }

    /**
     * The request in {@code body}.
     *
     * @throws UnsupportedVersionException if its version is not 1
     * @throws MalformedBodyException if it is not a request of this protocol
     */
    public static BoardRequest decodeRequest(byte[] body) throws MalformedBodyException {
        BodyReader in = BodyReader.forMessage(body, "request");
        int id = in.requestId;
        BoardRequest request;
        switch (in.kind) {
            case BoardProtocol.CREATE:
                request = new BoardRequest.Create(id, in.utf("topic"));
                break;
            case BoardProtocol.LIST:
                request = new BoardRequest.ListBoards(id);
                break;
            case BoardProtocol.POST:
                request = new BoardRequest.Post(id, in.utf("topic"), in.utf("token"),
                        in.utf("text"));
                break;
            case BoardProtocol.LOOKUP:
                request = new BoardRequest.Lookup(id, in.utf("topic"));
                break;
            case BoardProtocol.FETCH:
                request = new BoardRequest.Fetch(id, in.utf("topic"), in.int64("from_seq"),
                        in.int64("to_seq"));
                break;
            default:
                throw new MalformedBodyException("unknown request kind " + in.kind, id);
        }
        in.end();
        return request;
    }

    // ----- replies

    /** {@code reply} framed, ready to send. */
    public static byte[] encodeReply(BoardReply reply) throws UnencodableException {
        return frame(replyBody(reply));
    }

    /** {@code reply}'s body. */
    public static byte[] replyBody(BoardReply reply) throws UnencodableException {
        if (reply instanceof BoardReply.Created created) {
            return new BodyWriter(BoardProtocol.CREATED, created.requestId())
                    .utf("topic", created.topic()).utf("group", created.group())
                    .int32(created.port()).utf("token", created.token()).bytes();
        }
        if (reply instanceof BoardReply.Boards boards) {
            BodyWriter body = new BodyWriter(BoardProtocol.BOARDS, boards.requestId())
                    .int32(boards.boards().size());
            for (BoardInfo board : boards.boards()) {
                body.utf("topic", board.topic()).utf("group", board.group()).int32(board.port())
                        .int64(board.lastSeq());
            }
            return body.bytes();
        }
        if (reply instanceof BoardReply.Posted posted) {
            return new BodyWriter(BoardProtocol.POSTED, posted.requestId())
                    .utf("topic", posted.topic()).int64(posted.seq()).bytes();
        }
        if (reply instanceof BoardReply.Board board) {
            return new BodyWriter(BoardProtocol.BOARD, board.requestId())
                    .utf("topic", board.topic()).utf("group", board.group()).int32(board.port())
                    .int64(board.lastSeq()).bytes();
        }
        if (reply instanceof BoardReply.Messages messages) {
            BodyWriter body = new BodyWriter(BoardProtocol.MESSAGES, messages.requestId())
                    .utf("topic", messages.topic()).int32(messages.messages().size());
            for (StoredMessage message : messages.messages()) {
                body.int64(message.seq()).int64(message.timeMs()).utf("text", message.text());
            }
            return body.bytes();
        }
        BoardReply.Error error = (BoardReply.Error) reply;
        return new BodyWriter(BoardProtocol.ERROR, error.requestId())
                .utf("code", error.code()).utf("message", error.message()).bytes();
    }

    /**
     * The reply in {@code body}.
     *
     * @throws UnsupportedVersionException if its version is not 1
     * @throws MalformedBodyException if it is not a reply of this protocol
     */
    public static BoardReply decodeReply(byte[] body) throws MalformedBodyException {
        BodyReader in = BodyReader.forMessage(body, "reply");
        int id = in.requestId;
        BoardReply reply;
        switch (in.kind) {
            case BoardProtocol.CREATED:
                reply = new BoardReply.Created(id, in.utf("topic"), in.utf("group"),
                        in.int32("port"), in.utf("token"));
                break;
            case BoardProtocol.BOARDS: {
                int count = in.count("count");
                List<BoardInfo> boards = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    boards.add(new BoardInfo(in.utf("topic"), in.utf("group"), in.int32("port"),
                            in.int64("last_seq")));
                }
                reply = new BoardReply.Boards(id, boards);
                break;
            }
            case BoardProtocol.POSTED:
                reply = new BoardReply.Posted(id, in.utf("topic"), in.int64("seq"));
                break;
            case BoardProtocol.BOARD:
                reply = new BoardReply.Board(id, in.utf("topic"), in.utf("group"),
                        in.int32("port"), in.int64("last_seq"));
                break;
            case BoardProtocol.MESSAGES: {
                String topic = in.utf("topic");
                int count = in.count("count");
                List<StoredMessage> messages = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    messages.add(new StoredMessage(in.int64("seq"), in.int64("time_ms"),
                            in.utf("text")));
                }
                reply = new BoardReply.Messages(id, topic, messages);
                break;
            }
            case BoardProtocol.ERROR:
                reply = new BoardReply.Error(id, in.utf("code"), in.utf("message"));
                break;
            default:
                throw new MalformedBodyException("unknown reply kind " + in.kind, id);
        }
        in.end();
        return reply;
    }

    // ----- datagrams

    /** {@code datagram}'s bytes: one body, no length in front. */
    public static byte[] encodeDatagram(BoardDatagram datagram) throws UnencodableException {
        if (datagram instanceof Msg msg) {
            return new BodyWriter(BoardProtocol.MSG).utf("topic", msg.topic()).int64(msg.seq())
                    .int64(msg.timeMs()).utf("text", msg.text()).bytes();
        }
        Heartbeat heartbeat = (Heartbeat) datagram;
        return new BodyWriter(BoardProtocol.HEARTBEAT).utf("topic", heartbeat.topic())
                .int64(heartbeat.lastSeq()).bytes();
    }

    /**
     * The datagram in {@code data[offset..offset+length)}.
     *
     * @throws UnsupportedVersionException if its version is not 1 (a subscriber ignores it)
     * @throws MalformedBodyException if it is not a datagram of this protocol
     */
    public static BoardDatagram decodeDatagram(byte[] data, int offset, int length)
            throws MalformedBodyException {
        BodyReader in = BodyReader.forDatagram(data, offset, length);
        BoardDatagram datagram;
        switch (in.kind) {
            case BoardProtocol.MSG:
                datagram = new Msg(in.utf("topic"), in.int64("seq"), in.int64("time_ms"),
                        in.utf("text"));
                break;
            case BoardProtocol.HEARTBEAT:
                datagram = new Heartbeat(in.utf("topic"), in.int64("last_seq"));
                break;
            default:
                throw new MalformedBodyException("unknown datagram kind " + in.kind, 0);
        }
        in.end();
        return datagram;
    }

    // ----- the two halves

    /** A body being written: version, kind, [request_id,] then fields. */
    private static final class BodyWriter {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(buffer);

        BodyWriter(int kind) {
            try {
                out.writeByte(BoardProtocol.VERSION);
                out.writeByte(kind);
            } catch (IOException impossible) {
                throw new AssertionError(impossible);
            }
        }

        BodyWriter(int kind, int requestId) {
            this(kind);
            int32(requestId);
        }

        BodyWriter utf(String field, String value) throws UnencodableException {
            try {
                out.writeUTF(value);
            } catch (UTFDataFormatException e) {
                throw new UnencodableException(field + " is "
                        + BoardProtocol.modifiedUtf8Length(value)
                        + " bytes of modified UTF-8; writeUTF carries at most "
                        + BoardProtocol.MAX_UTF_BYTES);
            } catch (IOException impossible) {
                throw new AssertionError(impossible);
            }
            return this;
        }

        BodyWriter int32(int value) {
            try {
                out.writeInt(value);
            } catch (IOException impossible) {
                throw new AssertionError(impossible);
            }
            return this;
        }

        BodyWriter int64(long value) {
            try {
                out.writeLong(value);
            } catch (IOException impossible) {
                throw new AssertionError(impossible);
            }
            return this;
        }

        byte[] bytes() {
            return buffer.toByteArray();
        }
    }

    /** A body being read; every problem becomes a {@link MalformedBodyException}. */
    private static final class BodyReader {
        final int kind;
        final int requestId;
        private final ByteArrayInputStream buffer;
        private final DataInputStream in;
        private final String what;

        private BodyReader(ByteArrayInputStream buffer, int kind, int requestId, String what) {
            this.buffer = buffer;
            this.in = new DataInputStream(buffer);
            this.kind = kind;
            this.requestId = requestId;
            this.what = what;
        }

        /** After version, kind and request_id; the version is checked first. */
        static BodyReader forMessage(byte[] body, String what) throws MalformedBodyException {
            if (body.length == 0) {
                throw new MalformedBodyException("empty " + what + " body", 0);
            }
            int requestId = 0;
            if (body.length >= HEADER_BYTES) {
                requestId = ((body[2] & 0xff) << 24) | ((body[3] & 0xff) << 16)
                        | ((body[4] & 0xff) << 8) | (body[5] & 0xff);
            }
            int version = body[0] & 0xff;
            if (version != BoardProtocol.VERSION) {
                throw new UnsupportedVersionException(version, requestId);
            }
            if (body.length < HEADER_BYTES) {
                throw new MalformedBodyException("a " + what + " body of " + body.length
                        + " bytes is too short for version, kind and request_id (6 bytes)", 0);
            }
            ByteArrayInputStream buffer =
                    new ByteArrayInputStream(body, HEADER_BYTES, body.length - HEADER_BYTES);
            return new BodyReader(buffer, body[1] & 0xff, requestId, what);
        }

        /** After version and kind. */
        static BodyReader forDatagram(byte[] data, int offset, int length)
                throws MalformedBodyException {
            if (length == 0) {
                throw new MalformedBodyException("empty datagram", 0);
            }
            int version = data[offset] & 0xff;
            if (version != BoardProtocol.VERSION) {
                throw new UnsupportedVersionException(version, 0);
            }
            if (length < 2) {
                throw new MalformedBodyException("a 1-byte datagram has no kind", 0);
            }
            ByteArrayInputStream buffer = new ByteArrayInputStream(data, offset + 2, length - 2);
            return new BodyReader(buffer, data[offset + 1] & 0xff, 0, "datagram");
        }

        String utf(String field) throws MalformedBodyException {
            try {
                return in.readUTF();
            } catch (EOFException e) {
                throw cutShort(field);
            } catch (UTFDataFormatException e) {
                throw new MalformedBodyException(field + " is not modified UTF-8 ("
                        + e.getMessage() + ")", requestId);
            } catch (IOException impossible) {
                throw new AssertionError(impossible);
            }
        }

        int int32(String field) throws MalformedBodyException {
            try {
                return in.readInt();
            } catch (EOFException e) {
                throw cutShort(field);
            } catch (IOException impossible) {
                throw new AssertionError(impossible);
            }
        }

        long int64(String field) throws MalformedBodyException {
            try {
                return in.readLong();
            } catch (EOFException e) {
                throw cutShort(field);
            } catch (IOException impossible) {
                throw new AssertionError(impossible);
            }
        }

        /** A count, which must not be negative; entries are read one by one, never reserved. */
        int count(String field) throws MalformedBodyException {
            int count = int32(field);
            if (count < 0) {
                throw new MalformedBodyException(field + " is negative (" + count + ")",
                        requestId);
            }
            return count;
        }

        /** Every byte must have been read. */
        void end() throws MalformedBodyException {
            int left = buffer.available();
            if (left > 0) {
                throw new MalformedBodyException(left + " bytes left over after the " + what
                        + " (kind " + kind + ")", requestId);
            }
        }

        private MalformedBodyException cutShort(String field) {
            return new MalformedBodyException("the " + what + " (kind " + kind
                    + ") ends inside " + field, requestId);
        }
    }
}
