package crosswire.board;

import crosswire.board.BoardDatagram.Heartbeat;
import crosswire.board.BoardDatagram.Msg;
import crosswire.board.BoardReply.StoredMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * A subscriber's delivery logic for one board (docs/protocols/board.md, "Sequence numbers,
 * delivery, repair"), without I/O: feed it what arrives (MSG and HEARTBEAT datagrams, MESSAGES
 * replies, the LOOKUP's last_seq) and it hands back the messages to deliver, in sequence order,
 * each exactly once; {@link #fetchesDue} says which ranges to FETCH: a new gap at once, a gap
 * still missing {@code --repair-timeout} after its FETCH again. Time is a number the caller
 * passes in ({@link System#nanoTime}), so tests need no clock. Twin of
 * {@code python/crosswire/protocol/board_tracker.py}.
 *
 * <p>{@code delivered} is the last seq delivered (0 at first; N - 1 for {@code --since N}; the
 * board's last_seq for only new messages); {@code latest} the highest one known to exist.
 * Everything in between that has not arrived is missing, and is fetched, one FETCH per missing
 * run: the server answers at most 1,000 messages (and at most 1 MiB), and a reply cut short
 * settles its request, so the rest is due again at once.
 */
public final class BoardTracker {

    /** Seqs {@code fromSeq..toSeq}, both inclusive, to ask the server for. */
    public record FetchRange(long fromSeq, long toSeq) {
    }

    /** A range asked for at {@code sentAt}. */
    private record Request(FetchRange wanted, long sentAt) {
    }

    private final String topic;
    private final long repairTimeoutNanos;
    private long delivered;
    private long latest;
    private final TreeMap<Long, Msg> buffer = new TreeMap<>();
    private final List<Request> requests = new ArrayList<>();

    /**
     * A board's tracker that has delivered up to {@code delivered}; a FETCH unanswered after
     * {@code repairTimeoutNanos} is due again.
     */
    public BoardTracker(String topic, long delivered, long repairTimeoutNanos) {
        if (repairTimeoutNanos <= 0) {
            throw new IllegalArgumentException("the repair timeout must be positive");
        }
        this.topic = topic;
        this.delivered = delivered;
        this.latest = delivered;
        this.repairTimeoutNanos = repairTimeoutNanos;
    }

    /**
     * Where a subscriber starts: with {@code --since N} at N - 1 (0 for {@code --since 0} or
     * {@code all}), so the history from N is fetched; without it ({@code since} null) at the
     * board's {@code lastSeq}, so only new messages come.
     */
    public static BoardTracker starting(String topic, Long since, long lastSeq,
            long repairTimeoutNanos) {
        long delivered = since == null ? lastSeq : Math.max(since - 1, 0);
        BoardTracker tracker = new BoardTracker(topic, delivered, repairTimeoutNanos);
        tracker.learnLatest(lastSeq);
        return tracker;
    }

    public String topic() {
        return topic;
    }

    /** The last seq delivered. */
    public long delivered() {
        return delivered;
    }

    /** The highest seq known to exist. */
    public long latest() {
        return latest;
    }

    /** How many messages wait for an earlier one. */
    public int buffered() {
        return buffer.size();
    }

    /** Messages up to {@code lastSeq} exist (from a LOOKUP's BOARD reply, or a HEARTBEAT). */
    public void learnLatest(long lastSeq) {
        latest = Math.max(latest, lastSeq);
    }

    public void onHeartbeat(Heartbeat heartbeat) {
        if (heartbeat.topic().equals(topic)) {
            learnLatest(heartbeat.lastSeq());
        }
    }

    /** The messages now deliverable, in order: {@code msg} and its buffered successors, or none. */
    public List<Msg> onMsg(Msg msg) {
        if (!msg.topic().equals(topic)) {
            return List.of();
        }
        accept(msg);
        return deliverable();
    }

    /**
     * The reply to the FETCH of {@code fetch}: its messages are delivered like MSGs. A reply
     * with messages settles its request (one cut short at the server's limits leaves the rest
     * missing, so it is due again at once); an empty one leaves it to time out, so a server that
     * cannot answer is not asked again in a tight loop.
     */
    public List<Msg> onMessages(FetchRange fetch, BoardReply.Messages reply) {
        if (!reply.topic().equals(topic)) {
            return List.of();
        }
        if (!reply.messages().isEmpty()) {
            for (int i = 0; i < requests.size(); i++) {
                if (requests.get(i).wanted().equals(fetch)) {
                    requests.remove(i);
                    break;
                }
            }
        }
        for (StoredMessage entry : reply.messages()) {
            accept(new Msg(reply.topic(), entry.seq(), entry.timeMs(), entry.text()));
        }
        return deliverable();
    }

    private void accept(Msg msg) {
        learnLatest(msg.seq());
        if (msg.seq() > delivered) {
            buffer.putIfAbsent(msg.seq(), msg);
        }
    }

    private List<Msg> deliverable() {
        List<Msg> ready = new ArrayList<>();
        Msg following;
        while ((following = buffer.remove(delivered + 1)) != null) {
            ready.add(following);
            delivered++;
        }
        return ready;
    }

    /** Every range of seqs known to exist and neither delivered nor buffered, in order. */
    public List<FetchRange> missing() {
        List<FetchRange> ranges = new ArrayList<>();
        long start = delivered + 1;
        for (long seq : buffer.keySet()) {
            if (seq > start) {
                ranges.add(new FetchRange(start, seq - 1));
            }
            start = seq + 1;
        }
        if (start <= latest) {
            ranges.add(new FetchRange(start, latest));
        }
        return ranges;
    }

    /** The ranges to FETCH now; each then counts as asked for at {@code now}. */
    public List<FetchRange> fetchesDue(long now) {
        requests.removeIf(r -> now - r.sentAt() >= repairTimeoutNanos
                || r.wanted().toSeq() <= delivered);
        List<FetchRange> covered = new ArrayList<>();
        for (Request request : requests) {
            covered.add(request.wanted());
        }
        List<FetchRange> due = subtract(missing(), covered);
        for (FetchRange wanted : due) {
            requests.add(new Request(wanted, now));
        }
        return due;
    }

    /**
     * When the earliest FETCH still outstanding times out (call {@link #fetchesDue} then), or
     * null if none is outstanding.
     */
    public Long nextDeadline() {
        Long earliest = null;
        for (Request request : requests) {
            long due = request.sentAt() + repairTimeoutNanos;
            if (earliest == null || due - earliest < 0) {
                earliest = due;
            }
        }
        return earliest;
    }

    /** The parts of {@code ranges} (sorted, disjoint) that no range of {@code covered} includes. */
    private static List<FetchRange> subtract(List<FetchRange> ranges, List<FetchRange> covered) {
        List<FetchRange> sorted = new ArrayList<>(covered);
        sorted.sort(Comparator.comparingLong(FetchRange::fromSeq));
        List<FetchRange> left = new ArrayList<>();
        for (FetchRange wanted : ranges) {
            long cursor = wanted.fromSeq();
            boolean done = false;
            for (FetchRange cover : sorted) {
                if (cover.toSeq() < cursor || cover.fromSeq() > wanted.toSeq()) {
                    continue;
                }
                if (cover.fromSeq() > cursor) {
                    left.add(new FetchRange(cursor, cover.fromSeq() - 1));
                }
                if (cover.toSeq() >= wanted.toSeq()) {
                    done = true;
                    break;
                }
                cursor = Math.max(cursor, cover.toSeq() + 1);
            }
            if (!done) {
                left.add(new FetchRange(cursor, wanted.toSeq()));
            }
        }
        return left;
    }
}
