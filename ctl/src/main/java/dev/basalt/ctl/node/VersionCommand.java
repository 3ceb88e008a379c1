package dev.basalt.ctl.node;

import com.google.protobuf.Empty;
import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.Flag;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.machinery.api.BuildInfo;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import dev.basalt.machinery.api.machine.Version;
import dev.basalt.machinery.api.machine.VersionResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code basaltctl version}: the client's build and each target node's. */
public final class VersionCommand implements Command {
    @Override
    public String name() {
        return "version";
    }

    @Override
    public String summary() {
        return "Prints the version of the client and of each node";
    }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.bool("client", "", "print the client version only"),
                Flag.duration("timeout", "", "30s", "how long to wait for the nodes"));
    }

    @Override
    public int run(Invocation inv) {
        inv.requireArgs();
        BuildInfo client = BuildInfo.current();
        inv.out().println("Client: " + client.tag() + " (" + client.runtime() + ", " + client.os() + "/"
                + client.arch() + ")");
        if (inv.bool("client")) {
            return 0;
        }
        long timeout = inv.duration("timeout").toMillis();
        try (ApiSession session = ApiSession.open(inv)) {
            VersionResponse reply = session.call(ch -> MachineServiceGrpc.newBlockingStub(ch)
                    .withDeadlineAfter(timeout, TimeUnit.MILLISECONDS).version(Empty.getDefaultInstance()));
            Table table = new Table("NODE", "TAG", "BUILT", "RUNTIME", "OS/ARCH", "PLATFORM");
            int failed = 0;
            for (Version v : reply.getMessagesList()) {
                String node = session.node(v.getMetadata());
                if (!v.getMetadata().getError().isEmpty()) {
                    table.row(node, "error: " + v.getMetadata().getError());
                    failed++;
                    continue;
                }
                table.row(node, v.getVersion().getTag(), v.getVersion().getBuilt(), v.getVersion().getGoVersion(),
                        v.getVersion().getOs() + "/" + v.getVersion().getArch(), v.getPlatform().getName());
            }
            table.print(inv.out());
            return failed == 0 ? 0 : 1;
        }
    }
}
