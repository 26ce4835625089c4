package crosswire.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An output stream that hands each complete line, decoded from UTF-8 and without its newline,
 * to a {@link LineSink}; closing it hands over an unfinished last line. It is how a program run
 * {@link InProcess in-process} prints to the harness.
 */
final class LineOutputStream extends OutputStream {
    private final LineSink sink;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    LineOutputStream(LineSink sink) {
        this.sink = sink;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            sink.line(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
        } else {
            pending.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        int start = offset;
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == '\n') {
                pending.write(bytes, start, i - start);
                write('\n');
                start = i + 1;
            }
        }
        pending.write(bytes, start, offset + length - start);
    }

    @Override
    public synchronized void close() {
        if (pending.size() > 0) {
            write('\n');
        }
    }
}
