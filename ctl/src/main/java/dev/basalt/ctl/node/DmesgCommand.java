package dev.basalt.ctl.node;

import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.Flag;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.machinery.api.machine.DmesgRequest;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import java.util.List;

/** {@code basaltctl dmesg [-f] [--tail]}: the kernel log of each target node. */
public final class DmesgCommand implements Command {
    @Override
    public String name() {
        return "dmesg";
    }

    @Override
    public String summary() {
        return "Retrieve kernel logs";
    }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.bool("follow", "f", "specify if the kernel log should be streamed"),
                Flag.bool("tail", "", "specify if only new messages should be sent (makes sense only when combined with --follow)"));
    }

    @Override
    public int run(Invocation inv) {
        inv.requireArgs();
        try (ApiSession session = ApiSession.open(inv)) {
            DmesgRequest request = DmesgRequest.newBuilder().setFollow(inv.bool("follow")).setTail(inv.bool("tail"))
                    .build();
            int failed = session.call(ch -> StreamPrinter.print(MachineServiceGrpc.newBlockingStub(ch).dmesg(request),
                    inv.out(), inv.err(), session.nodes().size() > 1));
            return failed == 0 ? 0 : 1;
        }
    }
}
