package crosswire.board;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * The Java server's store on disk: an append-only journal (the Python twin uses sqlite3), one
 * record per board created and per message accepted, each written and forced to the disk
 * ({@link FileChannel#force}) before the reply goes out, so an acknowledged message survives a
 * crash.
 *
 * <p>The file is the 8 bytes {@code CWBJ} + {@code int 1}, then records: {@code int length},
 * {@code int crc32} (of the payload), then {@code length} bytes of payload, written with
 * DataOutputStream: {@code byte 1}, UTF topic, UTF group, int port, UTF token for a board;
 * {@code byte 2}, UTF topic, long seq, long time_ms, UTF text for a message.
 *
 * <p>On start it replays every record. A crash can only tear the last record (each is forced
 * before the next is written), so a last record that is cut short, fails its CRC, or is followed
 * only by zeros (what some file systems leave after a crash) is dropped and the file truncated
 * there. A bad record with good data after it is real damage: the server refuses to start
 * rather than lose acknowledged messages silently.
 */
final class BoardJournal implements Closeable {
    private static final byte[] MAGIC = {'C', 'W', 'B', 'J', 0, 0, 0, 1};
    private static final int RECORD_HEADER = 8;
    /** Far above the largest record (a text of 8,000 bytes and a topic of 64), below silly. */
    static final int MAX_RECORD = 1 << 20;
    private static final byte BOARD = 1;
    private static final byte MESSAGE = 2;

    /** One record. */
    sealed interface Entry {
    }

    /** A board was created. */
    record BoardEntry(String topic, String group, int port, String token) implements Entry {
    }

    /** A message was accepted as number {@code seq}. */
    record MessageEntry(String topic, long seq, long timeMs, String text) implements Entry {
    }

    /** What the replay does with each record; it throws if the record makes no sense. */
    interface Replayer {
        void apply(Entry entry) throws CorruptJournalException;
    }

    /** The journal is damaged (or not a journal) somewhere a crash cannot explain. */
    static final class CorruptJournalException extends IOException {
        private static final long serialVersionUID = 1L;

        CorruptJournalException(String message) {
            super(message);
        }
    }

    private final FileChannel channel;
    private long end;

    private BoardJournal(FileChannel channel, long end) {
        this.channel = channel;
        this.end = end;
    }

    /**
     * Opens (or creates) the journal at {@code path} and replays it into {@code replayer};
     * {@code notes} hears about a dropped torn record.
     */
    static BoardJournal open(Path path, Replayer replayer, Consumer<String> notes)
            throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long end = replay(channel, path, replayer, notes);
            return new BoardJournal(channel, end);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Replays the journal; returns where the next record goes. */
    private static long replay(FileChannel channel, Path path, Replayer replayer,
            Consumer<String> notes) throws IOException {
        long size = channel.size();
        if (size < MAGIC.length) {
            byte[] start = read(channel, 0, (int) size);
            if (!Arrays.equals(start, 0, start.length, MAGIC, 0, start.length)) {
                throw new CorruptJournalException(path + " is not a board journal");
            }
            channel.truncate(0);
            write(channel, 0, MAGIC);
            channel.force(true);
            return MAGIC.length;
        }
        if (!Arrays.equals(read(channel, 0, MAGIC.length), MAGIC)) {
            throw new CorruptJournalException(path + " is not a board journal (it does not"
                    + " start with CWBJ version 1)");
        }
        long position = MAGIC.length;
        while (position < size) {
            String torn = null;
            if (size - position < RECORD_HEADER) {
                torn = "a record header cut short";
            } else {
                ByteBuffer header = ByteBuffer.wrap(read(channel, position, RECORD_HEADER));
                int length = header.getInt();
                int crc = header.getInt();
                if (length < 1 || length > MAX_RECORD) {
                    torn = "a record length of " + length;
                } else if (size - position - RECORD_HEADER < length) {
                    torn = "a record cut short";
                } else {
                    byte[] payload = read(channel, position + RECORD_HEADER, length);
                    if (crc32(payload) != crc) {
                        torn = "a record failing its CRC";
                        if (position + RECORD_HEADER + length == size) {
                            return dropTail(channel, path, position, size, torn, notes);
                        }
                    } else {
                        replayer.apply(decode(payload, path, position));
                        position += RECORD_HEADER + length;
                        continue;
                    }
                }
            }
            if (torn.endsWith("cut short") || zerosFrom(channel, position, size)) {
                return dropTail(channel, path, position, size, torn, notes);
            }
            throw new CorruptJournalException(path + " is damaged at offset " + position + " ("
                    + torn + ", with more data after it); refusing to start, since records"
                    + " after it would be lost");
        }
        return position;
    }

    private static long dropTail(FileChannel channel, Path path, long position, long size,
            String what, Consumer<String> notes) throws IOException {
        channel.truncate(position);
        channel.force(true);
        notes.accept(path + ": dropped the torn last record at offset " + position + " (" + what
                + ", " + (size - position) + " bytes)");
        return position;
    }

    /** Appends {@code entry} and forces it to the disk; on failure the file is as before. */
    synchronized void append(Entry entry) throws IOException {
        byte[] payload = encode(entry);
        ByteBuffer record = ByteBuffer.allocate(RECORD_HEADER + payload.length);
        record.putInt(payload.length).putInt(crc32(payload)).put(payload).flip();
        try {
            write(channel, end, record.array());
            channel.force(true);
        } catch (IOException e) {
            try {
                channel.truncate(end);
            } catch (IOException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        end += record.limit();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static byte[] encode(Entry entry) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        if (entry instanceof BoardEntry board) {
            out.writeByte(BOARD);
            out.writeUTF(board.topic());
            out.writeUTF(board.group());
            out.writeInt(board.port());
            out.writeUTF(board.token());
        } else {
            MessageEntry message = (MessageEntry) entry;
            out.writeByte(MESSAGE);
            out.writeUTF(message.topic());
            out.writeLong(message.seq());
            out.writeLong(message.timeMs());
            out.writeUTF(message.text());
        }
        return buffer.toByteArray();
    }

    private static Entry decode(byte[] payload, Path path, long position)
            throws CorruptJournalException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        try {
            Entry entry;
            byte type = in.readByte();
            if (type == BOARD) {
                entry = new BoardEntry(in.readUTF(), in.readUTF(), in.readInt(), in.readUTF());
            } else if (type == MESSAGE) {
                entry = new MessageEntry(in.readUTF(), in.readLong(), in.readLong(),
                        in.readUTF());
            } else {
                throw new CorruptJournalException(path + ": record at offset " + position
                        + " has unknown type " + type);
            }
            if (in.available() > 0) {
                throw new CorruptJournalException(path + ": record at offset " + position
                        + " has " + in.available() + " bytes left over");
            }
            return entry;
        } catch (EOFException e) {
            throw new CorruptJournalException(path + ": record at offset " + position
                    + " ends inside a field");
        } catch (IOException e) {
            throw new CorruptJournalException(path + ": record at offset " + position
                    + " is malformed: " + e.getMessage());
        }
    }

    private static int crc32(byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        return (int) crc.getValue();
    }

    private static boolean zerosFrom(FileChannel channel, long position, long size)
            throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(65_536);
        for (long at = position; at < size;) {
            chunk.clear();
            int count = channel.read(chunk, at);
            if (count < 0) {
                break;
            }
            for (int i = 0; i < count; i++) {
                if (chunk.get(i) != 0) {
                    return false;
                }
            }
            at += count;
        }
        return true;
    }

    private static byte[] read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("journal ended early");
            }
        }
        return buffer.array();
    }

    private static void write(FileChannel channel, long position, byte[] bytes)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer, position + buffer.position());
        }
    }
}
