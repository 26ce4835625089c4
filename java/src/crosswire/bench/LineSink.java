package crosswire.bench;

/** Where a program run {@link InProcess in-process} prints: one call per line of output. */
@FunctionalInterface
public interface LineSink {
    void line(String line);
}
