package dev.basalt.ctl.node;

import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.Flag;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.machinery.api.common.Metadata;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import dev.basalt.machinery.api.machine.RebootRequest;
import dev.basalt.machinery.api.machine.ShutdownRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code basaltctl reboot} and {@code basaltctl shutdown}. */
public final class PowerCommands {
    private PowerCommands() {
    }

    public static List<Command> all() {
        return List.of(new Reboot(), new Shutdown());
    }

    private static int report(Invocation inv, ApiSession session, List<Metadata> replies, String verb) {
        int failed = 0;
        for (Metadata m : replies) {
            if (!m.getError().isEmpty()) {
                inv.err().println(session.node(m) + ": error: " + m.getError());
                failed++;
            } else {
                inv.out().println(session.node(m) + ": " + verb);
            }
        }
        return failed == 0 ? 0 : 1;
    }

    /** {@code basaltctl reboot [--mode default|powercycle]}. */
    static final class Reboot implements Command {
        @Override
        public String name() {
            return "reboot";
        }

        @Override
        public String summary() {
            return "Reboot a node";
        }

        @Override
        public List<Flag> flags() {
            return List.of(Flag.string("mode", "m", "default", "select the reboot mode: \"default\", \"powercycle\""));
        }

        @Override
        public int run(Invocation inv) {
            inv.requireArgs();
            RebootRequest.Mode mode = switch (inv.string("mode")) {
                case "default" -> RebootRequest.Mode.DEFAULT;
                case "powercycle" -> RebootRequest.Mode.POWERCYCLE;
                default -> throw new dev.basalt.ctl.cli.UsageException("--mode: '" + inv.string("mode")
                        + "' is not one of default, powercycle");
            };
            try (ApiSession session = ApiSession.open(inv)) {
                List<Metadata> replies = new ArrayList<>();
                session.call(ch -> MachineServiceGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
                        .reboot(RebootRequest.newBuilder().setMode(mode).build()))
                        .getMessagesList().forEach(m -> replies.add(m.getMetadata()));
                return report(inv, session, replies, "reboot scheduled");
            }
        }
    }

    /** {@code basaltctl shutdown [--force]}. */
    static final class Shutdown implements Command {
        @Override
        public String name() {
            return "shutdown";
        }

        @Override
        public String summary() {
            return "Shutdown a node";
        }

        @Override
        public List<Flag> flags() {
            return List.of(Flag.bool("force", "", "if true, force a node to shutdown without a cordon/drain"));
        }

        @Override
        public int run(Invocation inv) {
            inv.requireArgs();
            try (ApiSession session = ApiSession.open(inv)) {
                List<Metadata> replies = new ArrayList<>();
                session.call(ch -> MachineServiceGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
                        .shutdown(ShutdownRequest.newBuilder().setForce(inv.bool("force")).build()))
                        .getMessagesList().forEach(m -> replies.add(m.getMetadata()));
                return report(inv, session, replies, "shutdown scheduled");
            }
        }
    }
}
