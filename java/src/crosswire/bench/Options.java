package crosswire.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A command line parsed against the {@link Option}s a program accepts (and -h/--help);
 * everything else is kept as positional arguments. Both {@code --opt value} and
 * {@code --opt=value} are accepted, a later option overrides an earlier one, and {@code --}
 * ends the options (so an argument may start with a dash).
 */
public final class Options {

    /** Which words are options. */
    public enum Dashes {
        /** Only those starting with {@code --}: {@code -x} is a positional argument. */
        TWO,
        /** Those starting with {@code -} (an unknown one is an error), but not {@code -} alone. */
        ONE;

        boolean isOption(String arg) {
            return this == TWO ? arg.startsWith("--") : arg.startsWith("-") && !arg.equals("-");
        }
    }

    private final Map<String, Object> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();
    private boolean help;

    private Options() {
    }

    /** Parses {@code args}, accepting only the {@code accepted} options (and -h/--help). */
    public static Options parse(String[] args, Dashes dashes, Option<?>... accepted)
            throws UsageException {
        Options parsed = new Options();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                parsed.positional.addAll(List.of(args).subList(i + 1, args.length));
                break;
            }
            if (arg.equals("-h") || arg.equals("--help")) {
                parsed.help = true;
                continue;
            }
            if (!dashes.isOption(arg)) {
                parsed.positional.add(arg);
                continue;
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            Option<?> option = find(name, accepted);
            String value = null;
            if (option.takesValue()) {
                if (equals >= 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new UsageException(name + " needs a value");
                }
            } else if (equals >= 0) {
                throw new UsageException(name + " takes no value");
            }
            parsed.values.put(name, option.read(value));
        }
        return parsed;
    }

    private static Option<?> find(String name, Option<?>[] accepted) throws UsageException {
        for (Option<?> option : accepted) {
            if (option.name.equals(name)) {
                return option;
            }
        }
        throw new UsageException("unknown option " + name);
    }

    public boolean helpRequested() {
        return help;
    }

    /** Whether {@code option} was given (for a flag: whether it is set). */
    public boolean has(Option<?> option) {
        return values.containsKey(option.name);
    }

    /** The value given for {@code option}, or null if it was not given. */
    public <T> T get(Option<T> option) {
        return option.cast(values.get(option.name));
    }

    /** The value given for {@code option}, or {@code fallback} if it was not given. */
    public <T> T get(Option<T> option, T fallback) {
        T value = get(option);
        return value != null ? value : fallback;
    }

    public List<String> positional() {
        return Collections.unmodifiableList(positional);
    }
}
