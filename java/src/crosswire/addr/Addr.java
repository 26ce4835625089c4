package crosswire.addr;

import crosswire.bench.Console;
import crosswire.bench.Options;
import crosswire.bench.Options.Dashes;
import crosswire.bench.Program;
import crosswire.bench.UsageException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * addr: what {@link InetAddress} makes of names, address literals and integers.
 * <pre>
 * java -cp crosswire.jar crosswire.addr.Addr [--json] lookup NAME...    getAllByName
 * java -cp crosswire.jar crosswire.addr.Addr [--json] reverse ADDR...   getCanonicalHostName
 * java -cp crosswire.jar crosswire.addr.Addr [--json] parse TEXT...     getByName on literals only
 * java -cp crosswire.jar crosswire.addr.Addr [--json] order N...        ByteBuffer byte orders
 * </pre>
 * Twin of Python's {@code python -m crosswire.addr}: the same subcommands, JSON events (one per
 * argument) and readable lines. Exit status: 0, or 1 when a lookup failed, 2 on a usage error.
 */
public final class Addr {
    static final String USAGE = "usage: Addr [--json] lookup NAME... | reverse ADDR..."
            + " | parse TEXT... | order N...";
    /** Wide enough for "InetAddress.getByName: ", so the Python and Java lines align. */
    static final int LABEL_WIDTH = 23;

    private Addr() {
    }

    public static void main(String[] args) {
        Program.main("addr", USAGE, args, Addr::run);
    }

    /** The parse event exactly as {@code addr --json parse TEXT} prints it (for JPype). */
    public static String parseEventJson(String text) {
        return parseEvent(text).toString();
    }

    static Json parseEvent(String text) {
        return Json.event("parse").put("input", text)
                .put("inetaddress", Literals.answer(text).toJson());
    }

    /** Answers the command for each argument; the exit status. */
    public static int run(String[] args, Console console) throws UsageException {
        Options options = Options.parse(args, Dashes.TWO, AddrArgs.JSON);
        if (options.helpRequested()) {
            console.out().println(USAGE);
            return 0;
        }
        List<String> positional = options.positional();
        if (positional.size() < 2) {
            throw new UsageException("give a command and at least one argument");
        }
        String command = positional.get(0);
        List<String> arguments = positional.subList(1, positional.size());
        List<String> lines = new ArrayList<>();
        int status = 0;
        switch (command) {
            case "lookup":
                for (String name : arguments) {
                    status = Math.max(status, lookup(name, options.has(AddrArgs.JSON), lines));
                }
                break;
            case "reverse":
                for (String address : arguments) {
                    if (!Literals.answer(address).valid) {
                        throw new UsageException("reverse needs an address literal, not '"
                                + address + "'");
                    }
                }
                for (String address : arguments) {
                    reverse(address, options.has(AddrArgs.JSON), lines);
                }
                break;
            case "parse":
                for (String text : arguments) {
                    parse(text, options.has(AddrArgs.JSON), lines);
                }
                break;
            case "order":
                List<ByteOrders> orders = new ArrayList<>();
                for (String number : arguments) {
                    orders.add(new ByteOrders(ByteOrders.parseNumber(number)));
                }
                for (ByteOrders order : orders) {
                    if (options.has(AddrArgs.JSON)) {
                        lines.add(order.toJson().toString());
                    } else {
                        lines.addAll(order.lines());
                    }
                }
                break;
            default:
                throw new UsageException("unknown command " + command);
        }
        for (String line : lines) {
            console.out().print(line + "\n");
        }
        console.out().flush();
        return status;
    }

    /** Every address {@code getAllByName} gives, IPv4 and IPv6, in its order, once each. */
    private static int lookup(String name, boolean json, List<String> lines) {
        InetAddress[] found;
        try {
            found = InetAddress.getAllByName(name);
        } catch (UnknownHostException e) {
            if (json) {
                lines.add(Json.event("error").put("name", name).put("detail", e.getMessage())
                        .toString());
            } else {
                lines.add("lookup " + Json.quoted(name) + ": failed: " + e.getMessage());
            }
            return 1;
        }
        Map<String, Answer> unique = new LinkedHashMap<>();
        for (InetAddress address : found) {
            Answer answer = Answer.of(address);
            unique.putIfAbsent(answer.family + " " + answer.text, answer);
        }
        if (json) {
            List<Json> entries = new ArrayList<>();
            for (Answer answer : unique.values()) {
                entries.add(Json.object().put("family", answer.family).put("text", answer.text)
                        .put("packed", answer.packed));
            }
            lines.add(Json.event("lookup").put("name", name).put("addresses", entries).toString());
        } else {
            lines.add("lookup " + Json.quoted(name) + ": " + unique.size() + " address(es)");
            for (Answer answer : unique.values()) {
                lines.add("  " + answer.family + " " + answer.text);
            }
        }
        return 0;
    }

    /**
     * The name a reverse lookup finds. {@code getCanonicalHostName} returns the address text when
     * it finds none (or when the name does not resolve back to the address: Java checks).
     */
    private static void reverse(String address, boolean json, List<String> lines) {
        String name;
        boolean found;
        try {
            InetAddress literal = InetAddress.getByName(address);
            name = literal.getCanonicalHostName();
            found = !name.equals(literal.getHostAddress());
        } catch (UnknownHostException e) {
            throw new AssertionError("a literal Literals accepted: " + address, e);
        }
        if (json) {
            lines.add(Json.event("reverse").put("address", address).put("found", found)
                    .put("name", found ? name : null).toString());
        } else {
            lines.add("reverse " + address + ": " + (found ? name : "no name found"));
        }
    }

    private static void parse(String text, boolean json, List<String> lines) {
        if (json) {
            lines.add(parseEventJson(text));
            return;
        }
        lines.add("parse " + Json.quoted(text));
        lines.add(answerLine("InetAddress.getByName", Literals.answer(text)));
    }

    static String answerLine(String label, Answer answer) {
        return "  " + String.format("%-" + LABEL_WIDTH + "s", label + ":") + answer.describe();
    }
}
