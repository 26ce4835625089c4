package crosswire.board;

import crosswire.net.ClientConnection;
import crosswire.net.DeadlineInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/**
 * A client's TCP connection to a board server: sends a request and reads its reply, each
 * within the timeout (the deadline streams of {@link ClientConnection}), and checks that the
 * reply carries the request's id. Shared by {@link Publisher} and {@link Subscriber}.
 */
final class BoardConnection implements Closeable {
    private static final int RECV_SIZE = 65_536;

    private final ClientConnection connection;
    private final double timeoutSeconds;
    private final BoardFrameDecoder decoder = new BoardFrameDecoder();
    private final byte[] chunk = new byte[RECV_SIZE];
    private int lastRequestId;

    private BoardConnection(ClientConnection connection, double timeoutSeconds) {
        this.connection = connection;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Connects within {@code timeoutSeconds}, which also bounds every exchange. */
    static BoardConnection open(InetSocketAddress server, double timeoutSeconds)
            throws IOException {
        return new BoardConnection(ClientConnection.open(server, timeoutSeconds), timeoutSeconds);
    }

    /** A fresh request_id: 1, 2, 3, ... on this connection. */
    int nextRequestId() {
        return ++lastRequestId;
    }

    /**
     * Sends {@code request} and returns its reply (an ERROR too).
     *
     * @throws SocketTimeoutException if no whole reply came within the timeout
     * @throws BoardProtocolException if what came back is not a reply of this protocol, or
     *     answers another request
     */
    BoardReply exchange(BoardRequest request) throws IOException, BoardProtocolException {
        byte[] frame = BoardMessages.encodeRequest(request);
        long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
        connection.out().expireAt(deadline);
        connection.out().write(frame);
        connection.out().flush();
        BoardReply reply = BoardMessages.decodeReply(nextBody(deadline));
        // A server that could not read the request_id answers with 0.
        if (reply.requestId() != request.requestId()
                && !(reply instanceof BoardReply.Error && reply.requestId() == 0)) {
            throw new MalformedBodyException("the reply to request " + request.requestId()
                    + " carries request_id " + reply.requestId(), reply.requestId());
        }
        return reply;
    }

    private byte[] nextBody(long deadline) throws IOException, FramingException {
        DeadlineInputStream in = connection.in();
        in.expireAt(deadline);
        while (true) {
            byte[] body = decoder.nextBody();
            if (body != null) {
                return body;
            }
            if (decoder.endOfStream()) {
                throw new EOFException("the server closed the connection without a reply");
            }
            int count = in.read(chunk);
            if (count < 0) {
                decoder.receiveEnd();
            } else {
                decoder.receiveData(chunk, 0, count);
            }
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
