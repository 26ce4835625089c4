package crosswire.board;

import crosswire.bench.Console;
import crosswire.bench.HexLines;
import crosswire.bench.JsonLine;
import crosswire.bench.Options;
import crosswire.bench.Options.Dashes;
import crosswire.bench.Program;
import crosswire.bench.UsageException;
import crosswire.multicast.Output;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;

/**
 * The board's publisher: {@code create TOPIC} (printing the board's group, port and token),
 * {@code post TOPIC --token T [TEXT ...]} (each TEXT one message; without any, one per stdin
 * line; with {@code --json}, one per stdin hex line of UTF-8), and {@code list}. Every request
 * goes over one connection. Twin of {@code python/crosswire/board/publisher.py}.
 */
public final class Publisher {
    static final String USAGE = "usage: Publisher [--host HOST] [--port PORT] [--timeout SECONDS]"
            + " [--json] create TOPIC\n"
            + "       Publisher [options] post TOPIC --token TOKEN [TEXT ...]\n"
            + "       Publisher [options] list\n"
            + "  post without TEXT posts each stdin line (with --json: each hex line of UTF-8)";
    static final String DEFAULT_HOST = "localhost";
    /** How long each reply may take: a POST waits for the server's fsync. */
    static final double DEFAULT_TIMEOUT_SECONDS = 5.0;

    /** One text to post: a string, or with {@code --json} the bytes of a stdin line. */
    private interface Texts {
        /** The next text (a String or a byte[]), or null when there are no more. */
        Object next() throws IOException, UsageException;
    }

    private final BoardConnection connection;
    private final Output output;

    private Publisher(BoardConnection connection, Output output) {
        this.connection = connection;
        this.output = output;
    }

    public static void main(String[] args) {
        Program.main("Publisher", USAGE, args, Publisher::run);
    }

    /** Creates a board, posts to one or lists them, over one connection; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.ONE,
                BoardOptions.HOST, BoardOptions.PORT, BoardOptions.TIMEOUT, BoardOptions.JSON,
                BoardOptions.TOKEN);
        if (options.helpRequested()) {
            console.out().println(USAGE);
            return 0;
        }
        List<String> positional = options.positional();
        if (positional.isEmpty()) {
            throw new UsageException("say what to do: create, post or list");
        }
        String command = positional.get(0);
        List<String> rest = positional.subList(1, positional.size());
        if (!command.equals("post") && options.has(BoardOptions.TOKEN)) {
            throw new UsageException("--token goes with post");
        }
        Texts texts = null;
        switch (command) {
            case "create":
                if (rest.size() != 1) {
                    throw new UsageException("create takes one TOPIC");
                }
                break;
            case "list":
                if (!rest.isEmpty()) {
                    throw new UsageException("list takes no arguments");
                }
                break;
            case "post":
                if (rest.isEmpty()) {
                    throw new UsageException("post needs a TOPIC");
                }
                // Without --token the post goes out with an empty token and the server says
                // BAD_TOKEN, as with the Python publisher: refusing is the server's job.
                texts = texts(options.has(BoardOptions.JSON), rest.subList(1, rest.size()),
                        console);
                break;
            default:
                throw new UsageException("unknown command " + command
                        + "; say create, post or list");
        }
        int port = options.get(BoardOptions.PORT, BoardServer.DEFAULT_PORT);
        if (port == 0) {
            throw new UsageException("--port must name the server's port (1 to 65535)");
        }
        String host = options.get(BoardOptions.HOST, DEFAULT_HOST);
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            console.err().println("Publisher: unknown host " + host);
            return 1;
        }
        double timeoutSeconds = options.get(BoardOptions.TIMEOUT, DEFAULT_TIMEOUT_SECONDS);
        Output output = new Output(options.has(BoardOptions.JSON), "Publisher", console);
        BoardConnection opened;
        try {
            opened = BoardConnection.open(new InetSocketAddress(address, port), timeoutSeconds);
        } catch (IOException e) {
            console.err().println("Publisher: " + e.getMessage());
            return 1;
        }
        try (BoardConnection connection = opened) {
            Publisher publisher = new Publisher(connection, output);
            switch (command) {
                case "create":
                    return publisher.create(rest.get(0));
                case "list":
                    return publisher.list();
                default:
                    return publisher.post(rest.get(0), options.get(BoardOptions.TOKEN, ""), texts);
            }
        } catch (SocketTimeoutException e) {
            output.event(JsonLine.event("timeout")
                    .put("detail", "no reply within " + timeoutSeconds + " s"));
            console.err().println("Publisher: no reply within " + timeoutSeconds + " s");
            return 1;
        } catch (IOException e) {
            output.error(null, e.getMessage());
            return 1;
        } catch (BoardProtocolException e) {
            output.error(null, "bad reply from the server: " + e.getMessage());
            return 1;
        }
    }

    private static Texts texts(boolean json, List<String> arguments, Console console)
            throws UsageException {
        if (!arguments.isEmpty()) {
            Iterator<String> each = arguments.iterator();
            return () -> each.hasNext() ? each.next() : null;
        }
        if (json) {
            return new HexLines(console.in())::next;
        }
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(console.in(), StandardCharsets.UTF_8));
        return lines::readLine;
    }

    private int create(String topic) throws IOException, BoardProtocolException {
        BoardReply reply = connection.exchange(
                new BoardRequest.Create(connection.nextRequestId(), topic));
        if (reply instanceof BoardReply.Created created) {
            output.event(JsonLine.event("created").put("topic", created.topic())
                    .put("group", created.group()).put("port", created.port())
                    .put("token", created.token()));
            output.say("created board " + created.topic() + ": group " + created.group()
                    + " port " + created.port() + " token " + created.token());
            return 0;
        }
        return failed(reply, null);
    }

    private int list() throws IOException, BoardProtocolException {
        BoardReply reply = connection.exchange(
                new BoardRequest.ListBoards(connection.nextRequestId()));
        if (!(reply instanceof BoardReply.Boards boards)) {
            return failed(reply, null);
        }
        for (BoardReply.BoardInfo board : boards.boards()) {
            output.event(JsonLine.event("board").put("topic", board.topic())
                    .put("group", board.group()).put("port", board.port())
                    .put("last_seq", board.lastSeq()));
            output.say(board.topic() + " " + board.group() + ":" + board.port() + " last #"
                    + board.lastSeq());
        }
        if (boards.boards().isEmpty()) {
            output.say("(no boards)");
        }
        return 0;
    }

    /**
     * Posts each text in turn; one that is refused, or cannot be sent, is reported with its
     * {@code index} (counted from 0), and the next is posted. A stdin line that is not hex ends
     * the run as a usage error; events already printed stand.
     */
    private int post(String topic, String token, Texts texts)
            throws IOException, BoardProtocolException, UsageException {
        int status = 0;
        Object next;
        for (int index = 0; (next = texts.next()) != null; index++) {
            BoardReply reply;
            try {
                String text = next instanceof byte[] bytes ? SurrogatePassUtf8.decode(bytes)
                        : (String) next;
                reply = connection.exchange(new BoardRequest.Post(
                        connection.nextRequestId(), topic, token, text));
            } catch (IllegalArgumentException | UnencodableException e) {
                notSent(index, e.getMessage());
                status = 1;
                continue;
            }
            if (reply instanceof BoardReply.Posted posted) {
                output.event(JsonLine.event("posted").put("topic", posted.topic())
                        .put("seq", posted.seq()).put("index", index));
                output.say("posted " + posted.topic() + " #" + posted.seq());
            } else {
                status = failed(reply, index);
            }
        }
        return status;
    }

    private void notSent(int index, String why) {
        if (output.json()) {
            output.event(JsonLine.event("error").put("index", index)
                    .put("detail", "not sent: " + why));
        } else {
            output.err().println("Publisher: message " + index + " not sent: " + why);
        }
    }

    /** Reports an ERROR (or a reply of the wrong kind); returns the exit status 1. */
    private int failed(BoardReply reply, Integer index) {
        if (reply instanceof BoardReply.Error error) {
            if (output.json()) {
                JsonLine event = JsonLine.event("error").put("code", error.code())
                        .put("detail", error.message());
                if (index != null) {
                    event.put("index", index);
                }
                output.event(event);
            } else {
                output.err().println("refused: " + error.code() + " " + error.message());
            }
        } else {
            output.error(null, "unexpected reply " + reply);
        }
        return 1;
    }
}
