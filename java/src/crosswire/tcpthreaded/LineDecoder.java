package crosswire.tcpthreaded;

import java.util.Arrays;

/**
 * Splits a byte stream into lines, fed in whatever chunks the network delivers: the twin of
 * Python's {@code LineDecoder}. It never touches a socket: {@link #receiveData} buffers,
 * {@link #nextLine} takes a whole line or says there is none yet, and {@link #receiveEnd} marks
 * the end of the stream, after which an unterminated last line counts as a line.
 */
public final class LineDecoder {
    private final int maxLine;
    private byte[] buffer = new byte[1024];
    /** The unconsumed bytes are buffer[head, tail). */
    private int head;
    private int tail;
    /** Where to go on looking for a newline: buffer[head, scanned) has none. */
    private int scanned;
    private boolean ended;

    /** A decoder that refuses lines longer than {@code maxLine} bytes (without the newline). */
    public LineDecoder(int maxLine) {
        this.maxLine = maxLine;
    }

    /** Buffers {@code length} bytes of {@code data} from {@code offset}. */
    public void receiveData(byte[] data, int offset, int length) {
        if (ended) {
            throw new IllegalStateException("data after the end of the stream");
        }
        if (tail + length > buffer.length) {
            compact(length);
        }
        System.arraycopy(data, offset, buffer, tail, length);
        tail += length;
    }

    /** The peer ended the stream. */
    public void receiveEnd() {
        ended = true;
    }

    /**
     * The next whole line without its newline; null if there is none yet (read more, unless
     * {@link #endOfStream} says there is no more).
     *
     * @throws BadLineException if the line is longer than the limit; the stream cannot be
     *     resynchronised after that
     */
    public byte[] nextLine() throws BadLineException {
        for (int i = Math.max(head, scanned); i < tail; i++) {
            if (buffer[i] == LineProtocol.NEWLINE) {
                if (i - head > maxLine) {
                    throw new BadLineException("a line of " + (i - head)
                            + " bytes is longer than " + maxLine);
                }
                return take(i, i + 1);
            }
        }
        scanned = tail;
        if (tail - head > maxLine) {
            throw new BadLineException("more than " + maxLine + " bytes without a newline");
        }
        if (ended && tail > head) {
            return take(tail, tail);
        }
        return null;
    }

    /** True once the peer has ended the stream, whether or not lines are still buffered. */
    public boolean ended() {
        return ended;
    }

    /** True once the stream has ended and every line was taken. */
    public boolean endOfStream() {
        return ended && head == tail;
    }

    /** How many bytes wait for the rest of their line. */
    public int buffered() {
        return tail - head;
    }

    private byte[] take(int end, int next) {
        byte[] line = Arrays.copyOfRange(buffer, head, end);
        head = next;
        scanned = next;
        return line;
    }

    /** Moves the unconsumed bytes to the front, growing the buffer if they and more won't fit. */
    private void compact(int more) {
        int pending = tail - head;
        byte[] target = pending + more > buffer.length
                ? new byte[Math.max(pending + more, buffer.length * 2)] : buffer;
        System.arraycopy(buffer, head, target, 0, pending);
        scanned -= head;
        buffer = target;
        head = 0;
        tail = pending;
    }
}
