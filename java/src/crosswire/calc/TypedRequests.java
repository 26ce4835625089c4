package crosswire.calc;

import crosswire.bench.Console;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;

/**
 * Where a calculator client takes its requests by hand: its command-line arguments, or else the
 * lines typed at the prompt {@code calc> } until end of input or {@code bye} (blank lines are
 * skipped). Twin of {@code typed_requests} in python/crosswire/calc/tcp_client.py.
 */
final class TypedRequests {
    static final String PROMPT = "calc> ";
    static final String QUIT = "bye";

    private final Iterator<String> arguments;
    private final InputStream keyboard;
    private final PrintStream prompts;

    private TypedRequests(Iterator<String> arguments, InputStream keyboard, PrintStream prompts) {
        this.arguments = arguments;
        this.keyboard = keyboard;
        this.prompts = prompts;
    }

    /**
     * The requests given as arguments, or, if there are none, those typed on the console's
     * stdin at prompts on its stdout.
     */
    static TypedRequests from(List<String> arguments, Console console) {
        return arguments.isEmpty()
                ? new TypedRequests(null, new BufferedInputStream(console.in()), console.out())
                : new TypedRequests(arguments.iterator(), null, null);
    }

    /** The next request as bytes (UTF-8 for an argument, as typed otherwise); null at the end. */
    byte[] next() throws IOException {
        if (arguments != null) {
            return arguments.hasNext() ? arguments.next().getBytes(StandardCharsets.UTF_8) : null;
        }
        while (true) {
            prompts.print(PROMPT);
            prompts.flush();
            byte[] line = readLine();
            if (line == null) {
                return null;
            }
            String text = new String(line, StandardCharsets.UTF_8).strip();
            if (text.equals(QUIT)) {
                return null;
            }
            if (!text.isEmpty()) {
                return line;
            }
        }
    }

    /** The next line of the keyboard without its {@code \n} (a {@code \r} stays); null at end. */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = keyboard.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        return line.toByteArray();
    }
}
