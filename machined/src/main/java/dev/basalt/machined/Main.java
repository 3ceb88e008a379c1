package dev.basalt.machined;

import dev.basalt.machined.api.ProcessNode;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Entry point of machined. As an ordinary process (tests, benchmarks, development) it serves the node API on
 * a unix socket from the live machine:
 * <pre>
 *   machined --api-socket PATH [--state-dir DIR] [--hostname-override NAME]
 * </pre>
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // On a node machined is PID 1: the system core (dev.basalt.machined.system.Pid1) takes over and never returns.
        if (ProcessHandle.current().pid() == 1) {
            dev.basalt.machined.system.Pid1.main(args);
            return;
        }
        Path socket = Path.of("/system/run/machined/machine.sock");
        Optional<String> hostname = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--api-socket" -> socket = Path.of(value(args, ++i, flag));
                case "--state-dir" -> value(args, ++i, flag); // accepted for the process model; nothing persisted yet
                case "--hostname-override" -> hostname = Optional.of(value(args, ++i, flag));
                default -> {
                    System.err.println("machined: unknown flag '" + flag
                            + "' (expected --api-socket PATH, --state-dir DIR, --hostname-override NAME)");
                    System.exit(2);
                }
            }
        }
        ProcessNode node = new ProcessNode(socket, hostname, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "machined-stop"));
        node.awaitStop();
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            System.err.println("machined: flag " + flag + " needs a value");
            System.exit(2);
        }
        return args[i];
    }
}
