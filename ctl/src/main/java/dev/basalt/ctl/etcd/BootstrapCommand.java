package dev.basalt.ctl.etcd;

import dev.basalt.ctl.cli.CliException;
import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.ctl.cli.UsageException;
import dev.basalt.machinery.api.machine.BootstrapRequest;
import dev.basalt.machinery.api.machine.BootstrapResponse;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code basaltctl bootstrap -n NODE}: forms the etcd cluster on one control-plane node. The node refuses (and
 * changes nothing) when etcd is already bootstrapped or joined there, or when it is a worker.
 */
public final class BootstrapCommand implements Command {
    /** The node waits up to 60 s for the new member to be healthy before it answers. */
    private static final long DEADLINE_SECONDS = 90;

    @Override
    public String name() {
        return "bootstrap";
    }

    @Override
    public String summary() {
        return "Bootstrap the etcd cluster on the specified node";
    }

    @Override
    public int run(Invocation inv) {
        if (!inv.args().isEmpty()) {
            throw new UsageException("'bootstrap' takes no arguments, got " + inv.args());
        }
        try (ClusterSession session = ClusterSession.open(inv)) {
            String node = session.singleNode("bootstrap");
            BootstrapResponse r = session.call(List.of(node), ch -> MachineServiceGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .bootstrap(BootstrapRequest.getDefaultInstance()));
            for (var m : r.getMessagesList()) {
                if (!m.getMetadata().getError().isEmpty()) {
                    throw new CliException(ClusterSession.node(m.getMetadata(), node) + ": "
                            + m.getMetadata().getError());
                }
            }
            inv.out().println("bootstrapped etcd on " + node);
            return 0;
        }
    }
}
