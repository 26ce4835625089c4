package crosswire.board;

import crosswire.board.BoardDatagram.Heartbeat;
import crosswire.board.BoardDatagram.Msg;
import crosswire.board.BoardJournal.BoardEntry;
import crosswire.board.BoardJournal.CorruptJournalException;
import crosswire.board.BoardJournal.Entry;
import crosswire.board.BoardJournal.MessageEntry;
import crosswire.board.BoardReply.BoardInfo;
import crosswire.board.BoardReply.StoredMessage;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The server's boards and messages, kept in memory and in a {@link BoardJournal}: it answers
 * each request, and stores a board or a message (forced to disk) before answering it. One lock
 * guards it all, so sequence numbers are handed out, stored and multicast in order. No sockets:
 * what is to be multicast goes to an {@link Announcer}.
 */
final class BoardStore implements Closeable {

    /** Sends a datagram to a board's group; called under the store's lock, so it must not block. */
    interface Announcer {
        void announce(String group, int port, BoardDatagram datagram);
    }

    /** A HEARTBEAT and where it goes. */
    record Beat(String group, int port, Heartbeat heartbeat) {
    }

    private static final class Board {
        final String topic;
        final String group;
        final int port;
        final String token;
        final List<StoredMessage> messages = new ArrayList<>();

        Board(String topic, String group, int port, String token) {
            this.topic = topic;
            this.group = group;
            this.port = port;
            this.token = token;
        }

        long lastSeq() {
            return messages.size();
        }
    }

    private final Map<String, Board> boards = new LinkedHashMap<>();
    private final long groupBase;
    private final int portBase;
    private final SecureRandom random = new SecureRandom();
    private BoardJournal journal;

    private BoardStore(Inet4Address groupBase, int portBase) {
        byte[] base = groupBase.getAddress();
        this.groupBase = ((base[0] & 0xffL) << 24) | ((base[1] & 0xff) << 16)
                | ((base[2] & 0xff) << 8) | (base[3] & 0xff);
        this.portBase = portBase;
    }

    /**
     * The store in the journal at {@code path}, replayed; new boards get groups from
     * {@code groupBase} and ports from {@code portBase} ({@code notes} hears about a dropped torn
     * record).
     *
     * @throws BoardJournal.CorruptJournalException if the journal is damaged beyond a torn end
     */
    static BoardStore open(Path path, Inet4Address groupBase, int portBase,
            Consumer<String> notes) throws IOException {
        BoardStore store = new BoardStore(groupBase, portBase);
        store.journal = BoardJournal.open(path, store::replay, notes);
        return store;
    }

    private void replay(Entry entry) throws CorruptJournalException {
        if (entry instanceof BoardEntry board) {
            if (boards.containsKey(board.topic())) {
                throw new CorruptJournalException("journal creates board " + board.topic()
                        + " twice");
            }
            boards.put(board.topic(),
                    new Board(board.topic(), board.group(), board.port(), board.token()));
            return;
        }
        MessageEntry message = (MessageEntry) entry;
        Board board = boards.get(message.topic());
        if (board == null || message.seq() != board.lastSeq() + 1) {
            throw new CorruptJournalException("journal has message #" + message.seq() + " of "
                    + message.topic() + (board == null ? ", a board it never created"
                    : ", after #" + board.lastSeq()));
        }
        board.messages.add(new StoredMessage(message.seq(), message.timeMs(), message.text()));
    }

    /**
     * The reply to {@code request}; an accepted POST is stored, then given to {@code announcer}.
     *
     * @throws IOException if the journal cannot be written: nothing was stored, and the request
     *     must not be answered as if it had been
     */
    synchronized BoardReply handle(BoardRequest request, Announcer announcer) throws IOException {
        if (request instanceof BoardRequest.Create create) {
            return create(create);
        }
        if (request instanceof BoardRequest.ListBoards list) {
            List<BoardInfo> infos = new ArrayList<>();
            for (Board board : boards.values()) {
                infos.add(new BoardInfo(board.topic, board.group, board.port, board.lastSeq()));
            }
            return new BoardReply.Boards(list.requestId(), infos);
        }
        if (request instanceof BoardRequest.Post post) {
            return post(post, announcer);
        }
        if (request instanceof BoardRequest.Lookup lookup) {
            BoardReply.Error missing = findError(lookup.requestId(), lookup.topic());
            if (missing != null) {
                return missing;
            }
            Board board = boards.get(lookup.topic());
            return new BoardReply.Board(lookup.requestId(), board.topic, board.group, board.port,
                    board.lastSeq());
        }
        return fetch((BoardRequest.Fetch) request);
    }

    private BoardReply create(BoardRequest.Create create) throws IOException {
        int id = create.requestId();
        String problem = BoardProtocol.topicProblem(create.topic());
        if (problem != null) {
            return new BoardReply.Error(id, BoardProtocol.BAD_TOPIC, problem);
        }
        if (boards.containsKey(create.topic())) {
            return new BoardReply.Error(id, BoardProtocol.TOPIC_EXISTS,
                    "there is already a board " + create.topic());
        }
        int n = boards.size();
        long address = groupBase + n;
        long port = (long) portBase + n;
        if (address > 0xffff_ffffL || (address >>> 28) != 0xe || port > 65_535) {
            return new BoardReply.Error(id, BoardProtocol.BAD_REQUEST, "no multicast group or"
                    + " port left for board number " + n + " (restart the server with other"
                    + " --group-base and --board-port-base)");
        }
        Board board = new Board(create.topic(), dottedQuad(address), (int) port, newToken());
        journal.append(new BoardEntry(board.topic, board.group, board.port, board.token));
        boards.put(board.topic, board);
        return new BoardReply.Created(id, board.topic, board.group, board.port, board.token);
    }

    private BoardReply post(BoardRequest.Post post, Announcer announcer) throws IOException {
        int id = post.requestId();
        BoardReply.Error missing = findError(id, post.topic());
        if (missing != null) {
            return missing;
        }
        Board board = boards.get(post.topic());
        // The token before the text: whoever lacks it learns nothing more about the board.
        if (!MessageDigest.isEqual(post.token().getBytes(StandardCharsets.UTF_8),
                board.token.getBytes(StandardCharsets.UTF_8))) {
            return new BoardReply.Error(id, BoardProtocol.BAD_TOKEN,
                    "that is not the token of board " + board.topic);
        }
        String problem = BoardProtocol.textProblem(post.text());
        if (problem != null) {
            return new BoardReply.Error(id, BoardProtocol.TOO_LONG, problem);
        }
        StoredMessage message =
                new StoredMessage(board.lastSeq() + 1, System.currentTimeMillis(), post.text());
        journal.append(new MessageEntry(board.topic, message.seq(), message.timeMs(),
                message.text()));
        board.messages.add(message);
        announcer.announce(board.group, board.port,
                new Msg(board.topic, message.seq(), message.timeMs(), message.text()));
        return new BoardReply.Posted(id, board.topic, message.seq());
    }

    /**
     * Messages {@code from..to} (to 0: the latest), at most {@link BoardProtocol#MAX_FETCH} and
     * at most what fits a 1 MiB body; a range past the latest gives what there is (maybe none).
     */
    private BoardReply fetch(BoardRequest.Fetch fetch) {
        int id = fetch.requestId();
        BoardReply.Error missing = findError(id, fetch.topic());
        if (missing != null) {
            return missing;
        }
        long from = fetch.fromSeq();
        long to = fetch.toSeq();
        if (from < 1 || to < 0 || (to != 0 && to < from)) {
            return new BoardReply.Error(id, BoardProtocol.BAD_RANGE, "cannot fetch " + from
                    + ".." + to + ": from_seq must be at least 1, and to_seq 0 (the latest) or"
                    + " at least from_seq");
        }
        Board board = boards.get(fetch.topic());
        long last = to == 0 ? board.lastSeq() : Math.min(to, board.lastSeq());
        List<StoredMessage> messages = new ArrayList<>();
        long size = BoardMessages.messagesOverhead(board.topic);
        for (long seq = from; seq <= last && messages.size() < BoardProtocol.MAX_FETCH; seq++) {
            StoredMessage message = board.messages.get((int) (seq - 1));
            size += BoardMessages.encodedSize(message);
            if (size > BoardProtocol.MAX_BODY) {
                break;
            }
            messages.add(message);
        }
        return new BoardReply.Messages(id, board.topic, messages);
    }

    /** BAD_TOPIC or NO_SUCH_BOARD for {@code topic}, or null if it names a board. */
    private BoardReply.Error findError(int id, String topic) {
        String problem = BoardProtocol.topicProblem(topic);
        if (problem != null) {
            return new BoardReply.Error(id, BoardProtocol.BAD_TOPIC, problem);
        }
        if (!boards.containsKey(topic)) {
            return new BoardReply.Error(id, BoardProtocol.NO_SUCH_BOARD,
                    "there is no board " + topic);
        }
        return null;
    }

    /** A HEARTBEAT for every board, taken under the lock (so after every MSG already sent). */
    synchronized List<Beat> heartbeats() {
        List<Beat> beats = new ArrayList<>();
        for (Board board : boards.values()) {
            beats.add(new Beat(board.group, board.port, new Heartbeat(board.topic,
                    board.lastSeq())));
        }
        return beats;
    }

    private String newToken() {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        return HexFormat.of().formatHex(bits);
    }

    private static String dottedQuad(long address) {
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8),
            (byte) address};
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        journal.close();
    }
}
