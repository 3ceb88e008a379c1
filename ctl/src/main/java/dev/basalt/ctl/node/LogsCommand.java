package dev.basalt.ctl.node;

import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.Flag;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.machinery.api.machine.LogsRequest;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import java.util.List;

/** {@code basaltctl logs SERVICE [-f] [--tail N]}: a service's log from each target node. */
public final class LogsCommand implements Command {
    @Override
    public String name() {
        return "logs";
    }

    @Override
    public String summary() {
        return "Retrieve logs for a service";
    }

    @Override
    public String arguments() {
        return "SERVICE";
    }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.bool("follow", "f", "specify if the logs should be streamed"),
                Flag.integer("tail", "", -1, "lines of log file to display (default is to show from the beginning)"));
    }

    @Override
    public int run(Invocation inv) {
        String id = inv.requireArgs("SERVICE").getFirst();
        try (ApiSession session = ApiSession.open(inv)) {
            LogsRequest request = LogsRequest.newBuilder().setNamespace("system").setId(id)
                    .setFollow(inv.bool("follow")).setTailLines(inv.integer("tail")).build();
            int failed = session.call(ch -> StreamPrinter.print(MachineServiceGrpc.newBlockingStub(ch).logs(request),
                    inv.out(), inv.err(), session.nodes().size() > 1));
            return failed == 0 ? 0 : 1;
        }
    }
}
