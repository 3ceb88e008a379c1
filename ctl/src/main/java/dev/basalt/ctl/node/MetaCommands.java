package dev.basalt.ctl.node;

import com.google.protobuf.ByteString;
import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.CommandGroup;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.ctl.cli.UsageException;
import dev.basalt.machinery.api.common.Metadata;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import dev.basalt.machinery.api.machine.MetaDeleteRequest;
import dev.basalt.machinery.api.machine.MetaWriteRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code basaltctl meta write KEY VALUE} and {@code basaltctl meta delete KEY}, as talosctl spells them: KEY is a
 * META tag of 1..255 in decimal or Go's prefixed forms ({@code 0x0a}, {@code 0o12}, {@code 0b1010}, {@code 012}).
 * With the global {@code --insecure} they reach a node in maintenance mode. Listing is {@code get metakeys}.
 */
public final class MetaCommands {
    private static final long DEADLINE_SECONDS = 30;

    private MetaCommands() {
    }

    public static CommandGroup group() {
        return new CommandGroup("meta", "Write and delete keys in the META partition",
                List.of(new Write(), new Delete()));
    }

    /**
     * A META key as talosctl parses it ({@code strconv.ParseUint(s, 0, 8)}), limited to 1..255 because tag 0
     * ends META's record list.
     *
     * @throws UsageException naming the text and what was expected
     */
    static int parseKey(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        int radix = 10;
        String digits = lower;
        if (lower.startsWith("0x")) {
            radix = 16;
            digits = lower.substring(2);
        } else if (lower.startsWith("0o")) {
            radix = 8;
            digits = lower.substring(2);
        } else if (lower.startsWith("0b")) {
            radix = 2;
            digits = lower.substring(2);
        } else if (lower.length() > 1 && lower.startsWith("0")) {
            radix = 8;
            digits = lower.substring(1);
        }
        int key;
        try {
            if (digits.isEmpty() || !Character.isLetterOrDigit(digits.charAt(0))) {
                throw new NumberFormatException();
            }
            key = Integer.parseInt(digits, radix);
        } catch (NumberFormatException e) {
            throw new UsageException("META key '" + text + "' is not a number; expected 1..255 in decimal or "
                    + "0x-hex (e.g. 10 or 0x0a)");
        }
        if (key < 1 || key > 255) {
            throw new UsageException("META key '" + text + "' is out of range; expected 1..255 (0x01..0xff)");
        }
        return key;
    }

    private static String hex(int key) {
        return String.format("0x%02x", key);
    }

    /** Prints {@code done} or the error per node; the exit code is 1 when any node failed. */
    static int report(Invocation inv, ApiSession session, List<Metadata> replies, String done) {
        int failed = 0;
        for (Metadata m : replies) {
            String node = session.node(m);
            String prefix = node.isEmpty() ? "" : node + ": ";
            if (!m.getError().isEmpty()) {
                inv.err().println(prefix + "error: " + m.getError());
                failed++;
            } else {
                inv.out().println(prefix + done);
            }
        }
        return failed == 0 ? 0 : 1;
    }

    /** {@code meta write KEY VALUE}. */
    static final class Write implements Command {
        @Override
        public String name() {
            return "write";
        }

        @Override
        public String summary() {
            return "Write a key-value pair to the META partition";
        }

        @Override
        public String arguments() {
            return "KEY VALUE";
        }

        @Override
        public int run(Invocation inv) {
            List<String> args = inv.requireArgs("KEY", "VALUE");
            int key = parseKey(args.get(0));
            MetaWriteRequest request = MetaWriteRequest.newBuilder().setKey(key)
                    .setValue(ByteString.copyFrom(args.get(1), StandardCharsets.UTF_8)).build();
            try (ApiSession session = ApiSession.open(inv)) {
                List<Metadata> replies = new ArrayList<>();
                session.call(ch -> MachineServiceGrpc.newBlockingStub(ch)
                        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).metaWrite(request))
                        .getMessagesList().forEach(m -> replies.add(m.getMetadata()));
                return report(inv, session, replies, "META key " + hex(key) + " written");
            }
        }
    }

    /** {@code meta delete KEY}. */
    static final class Delete implements Command {
        @Override
        public String name() {
            return "delete";
        }

        @Override
        public String summary() {
            return "Delete a key from the META partition";
        }

        @Override
        public String arguments() {
            return "KEY";
        }

        @Override
        public int run(Invocation inv) {
            int key = parseKey(inv.requireArgs("KEY").getFirst());
            MetaDeleteRequest request = MetaDeleteRequest.newBuilder().setKey(key).build();
            try (ApiSession session = ApiSession.open(inv)) {
                List<Metadata> replies = new ArrayList<>();
                session.call(ch -> MachineServiceGrpc.newBlockingStub(ch)
                        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).metaDelete(request))
                        .getMessagesList().forEach(m -> replies.add(m.getMetadata()));
                return report(inv, session, replies, "META key " + hex(key) + " deleted");
            }
        }
    }
}
