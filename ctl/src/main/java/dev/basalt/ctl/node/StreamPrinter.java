package dev.basalt.ctl.node;

import dev.basalt.machinery.api.common.Data;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * Prints a stream of {@code common.Data} chunks (logs, dmesg), prefixing each line with its node when
 * several nodes answer, and reporting per-node errors carried in metadata.
 *
 * <p>Not thread-safe.
 */
final class StreamPrinter {
    private StreamPrinter() {
    }

    /** Returns the number of nodes that reported an error. */
    static int print(Iterator<Data> stream, PrintStream out, PrintStream err, boolean prefix) {
        int failed = 0;
        while (stream.hasNext()) {
            Data d = stream.next();
            String node = d.getMetadata().getHostname();
            if (!d.getMetadata().getError().isEmpty()) {
                err.println(node + ": error: " + d.getMetadata().getError());
                failed++;
                continue;
            }
            String text = d.getBytes().toString(StandardCharsets.UTF_8);
            if (!prefix) {
                out.print(text);
            } else {
                for (String line : text.split("\n", -1)) {
                    if (!line.isEmpty()) {
                        out.println(node + ": " + line);
                    }
                }
            }
            out.flush();
        }
        return failed;
    }
}
