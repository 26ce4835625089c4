package crosswire.tcputf;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.util.Arrays;

/**
 * Reads writeUTF frames (a 2-byte big-endian length, then modified UTF-8) from a stream.
 *
 * <p>{@code DataInputStream.readUTF} alone throws the same bare {@code EOFException} whether the
 * peer closed between two frames (a clean end) or in the middle of one (a truncated frame), and
 * says nothing of where it was when a read timed out. So this reads each frame's bytes itself,
 * counting them, and then hands the whole frame to {@code readUTF}, which decides exactly what
 * Java accepts.
 */
public final class FrameReader {
    private static final int HEADER_LENGTH = 2;

    private final InputStream in;
    /** Bytes of the current frame read so far, its header included. */
    private int received;
    /** The payload length the current frame's header announced, or -1 before it is whole. */
    private int announced = -1;

    public FrameReader(InputStream in) {
        this.in = in;
    }

    /**
     * The next string, or {@code null} if the stream ended cleanly between two frames.
     *
     * @throws TruncatedFrameException if the stream ended inside a frame
     * @throws UTFDataFormatException if the payload is not modified UTF-8 (the frame has been
     *     read whole, so the framing is intact)
     * @throws IOException for any read error, a timeout included; {@link #progress} then says
     *     how far the frame had come
     */
    public String next() throws IOException {
        received = 0;
        announced = -1;
        byte[] header = new byte[HEADER_LENGTH];
        if (!fill(header, 0)) {
            if (received == 0) {
                return null;
            }
            throw new TruncatedFrameException("truncated frame: the stream ended "
                    + progress());
        }
        announced = ((header[0] & 0xFF) << 8) | (header[1] & 0xFF);
        byte[] frame = Arrays.copyOf(header, HEADER_LENGTH + announced);
        if (!fill(frame, HEADER_LENGTH)) {
            throw new TruncatedFrameException("truncated frame: the stream ended "
                    + progress());
        }
        try {
            return new DataInputStream(new ByteArrayInputStream(frame)).readUTF();
        } catch (UTFDataFormatException e) {
            String why = ModifiedUtf8.describeMalformed(
                    Arrays.copyOfRange(frame, HEADER_LENGTH, frame.length));
            throw new UTFDataFormatException("malformed modified UTF-8 in a "
                    + announced + "-byte frame: " + (why != null ? why : e.getMessage()));
        }
    }

    /** Reads until {@code buffer} is full; false if the stream ends first. */
    private boolean fill(byte[] buffer, int from) throws IOException {
        int filled = from;
        while (filled < buffer.length) {
            int count = in.read(buffer, filled, buffer.length - filled);
            if (count < 0) {
                return false;
            }
            filled += count;
            received += count;
        }
        return true;
    }

    /** Where the current frame stands, for messages: "between frames", "after 1 of ...". */
    public String progress() {
        if (received == 0) {
            return "between frames";
        }
        if (announced < 0) {
            return "after " + received + " of the " + HEADER_LENGTH + " length bytes";
        }
        return "after " + (received - HEADER_LENGTH) + " of the " + announced
                + " bytes of modified UTF-8 its length prefix announced";
    }
}
