package crosswire.board;

import java.util.Arrays;

/**
 * Takes a TCP stream's bytes in whatever chunks they arrive and hands out whole bodies:
 * {@link #receiveData} only buffers, {@link #nextBody} does the work and answers null when it
 * needs more. Bytes after a body are left for the next one. No I/O.
 */
public final class BoardFrameDecoder {
    private static final int LENGTH_BYTES = 4;

    private byte[] buffer = new byte[8192];
    private int start;
    private int end;
    private boolean ended;

    /** Buffers {@code data[offset..offset+length)}. */
    public void receiveData(byte[] data, int offset, int length) {
        if (ended) {
            throw new IllegalStateException("data after the end of the stream");
        }
        if (buffer.length - end < length) {
            int held = end - start;
            if (buffer.length - held < length) {
                buffer = Arrays.copyOfRange(buffer, start,
                        start + Math.max(buffer.length * 2, held + length));
            } else {
                System.arraycopy(buffer, start, buffer, 0, held);
            }
            start = 0;
            end = held;
        }
        System.arraycopy(data, offset, buffer, end, length);
        end += length;
    }

    /** The peer ended the stream. */
    public void receiveEnd() {
        ended = true;
    }

    /** True once the stream ended cleanly between frames: there is nothing more to come. */
    public boolean endOfStream() {
        return ended && start == end;
    }

    /**
     * The next whole body, or null if more bytes are needed (or, see {@link #endOfStream},
     * none will come).
     *
     * @throws FramingException if the length is outside 1..1,048,576 (as soon as its 4 bytes
     *     are in), or the stream ended inside a frame
     */
    public byte[] nextBody() throws FramingException {
        int held = end - start;
        if (held < LENGTH_BYTES) {
            if (ended && held > 0) {
                throw FramingException.truncated(held, null);
            }
            return null;
        }
        int length = ((buffer[start] & 0xff) << 24) | ((buffer[start + 1] & 0xff) << 16)
                | ((buffer[start + 2] & 0xff) << 8) | (buffer[start + 3] & 0xff);
        if (length < 1 || length > BoardProtocol.MAX_BODY) {
            throw FramingException.badLength(length);
        }
        if (held - LENGTH_BYTES < length) {
            if (ended) {
                throw FramingException.truncated(held - LENGTH_BYTES, length);
            }
            return null;
        }
        byte[] body = Arrays.copyOfRange(buffer, start + LENGTH_BYTES,
                start + LENGTH_BYTES + length);
        start += LENGTH_BYTES + length;
        if (start == end) {
            start = 0;
            end = 0;
        }
        return body;
    }
}
