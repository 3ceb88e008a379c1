package dev.basalt.ctl.node;

import com.google.protobuf.Empty;
import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.ctl.cli.UsageException;
import dev.basalt.machinery.api.common.Metadata;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import dev.basalt.machinery.api.machine.ServiceEvent;
import dev.basalt.machinery.api.machine.ServiceInfo;
import dev.basalt.machinery.api.machine.ServiceList;
import dev.basalt.machinery.api.machine.ServiceRestartRequest;
import dev.basalt.machinery.api.machine.ServiceStartRequest;
import dev.basalt.machinery.api.machine.ServiceStopRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code basaltctl services [ID [start|stop|restart|status]]}: lists services, shows one, or asks the
 * supervisor to start, stop or restart it.
 */
public final class ServicesCommand implements Command {
    @Override
    public String name() {
        return "services";
    }

    @Override
    public String summary() {
        return "Lists services, or shows/starts/stops/restarts one";
    }

    @Override
    public String arguments() {
        return "[ID [start|stop|restart|status]]";
    }

    @Override
    public int run(Invocation inv) {
        List<String> args = inv.args();
        if (args.size() > 2) {
            throw new UsageException("'services' takes at most ID and an action, got " + args);
        }
        try (ApiSession session = ApiSession.open(inv)) {
            if (args.isEmpty()) {
                return list(inv, session);
            }
            String id = args.get(0);
            String action = args.size() == 2 ? args.get(1) : "status";
            return switch (action) {
                case "status" -> status(inv, session, id);
                case "start", "stop", "restart" -> act(inv, session, id, action);
                default -> throw new UsageException("services: unknown action '" + action
                        + "'; expected start, stop, restart or status");
            };
        }
    }

    private static List<ServiceList> fetch(ApiSession session) {
        return session.call(ch -> MachineServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
                .serviceList(Empty.getDefaultInstance())).getMessagesList();
    }

    private static int list(Invocation inv, ApiSession session) {
        Table table = new Table("NODE", "SERVICE", "STATE", "HEALTH", "LAST CHANGE", "LAST EVENT");
        int failed = 0;
        for (ServiceList node : fetch(session)) {
            String name = session.node(node.getMetadata());
            if (!node.getMetadata().getError().isEmpty()) {
                table.row(name, "error: " + node.getMetadata().getError());
                failed++;
                continue;
            }
            for (ServiceInfo s : node.getServicesList()) {
                List<ServiceEvent> events = s.getEvents().getEventsList();
                ServiceEvent last = events.isEmpty() ? null : events.getLast();
                table.row(name, s.getId(), s.getState(), health(s),
                        last == null ? "" : Instant.ofEpochSecond(last.getTs().getSeconds()),
                        last == null ? "" : last.getMsg());
            }
        }
        table.print(inv.out());
        return failed == 0 ? 0 : 1;
    }

    private static String health(ServiceInfo s) {
        return s.getHealth().getUnknown() ? "?" : s.getHealth().getHealthy() ? "OK" : "Fail";
    }

    private static int status(Invocation inv, ApiSession session, String id) {
        boolean found = false;
        int failed = 0;
        for (ServiceList node : fetch(session)) {
            String name = session.node(node.getMetadata());
            if (!node.getMetadata().getError().isEmpty()) {
                inv.out().println("NODE     " + name + "\nerror:   " + node.getMetadata().getError());
                failed++;
                continue;
            }
            for (ServiceInfo s : node.getServicesList()) {
                if (!s.getId().equals(id)) {
                    continue;
                }
                found = true;
                inv.out().println("NODE     " + name);
                inv.out().println("ID       " + s.getId());
                inv.out().println("STATE    " + s.getState());
                inv.out().println("HEALTH   " + health(s));
                inv.out().println("EVENTS");
                for (ServiceEvent e : s.getEvents().getEventsList()) {
                    inv.out().println("         [" + Instant.ofEpochSecond(e.getTs().getSeconds()) + "] " + e.getMsg()
                            + " (" + e.getState() + ")");
                }
            }
        }
        if (!found && failed == 0) {
            inv.err().println("error: service \"" + id + "\" is not registered on the target node(s)");
            return 1;
        }
        return failed == 0 ? 0 : 1;
    }

    private static int act(Invocation inv, ApiSession session, String id, String action) {
        record Reply(Metadata metadata, String resp) {
        }
        List<Reply> replies = new ArrayList<>();
        session.call(ch -> {
            var stub = MachineServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
            switch (action) {
                case "start" -> stub.serviceStart(ServiceStartRequest.newBuilder().setId(id).build())
                        .getMessagesList().forEach(m -> replies.add(new Reply(m.getMetadata(), m.getResp())));
                case "stop" -> stub.serviceStop(ServiceStopRequest.newBuilder().setId(id).build())
                        .getMessagesList().forEach(m -> replies.add(new Reply(m.getMetadata(), m.getResp())));
                default -> stub.serviceRestart(ServiceRestartRequest.newBuilder().setId(id).build())
                        .getMessagesList().forEach(m -> replies.add(new Reply(m.getMetadata(), m.getResp())));
            }
            return replies;
        });
        int failed = 0;
        Table table = new Table("NODE", "RESPONSE");
        for (Reply r : replies) {
            if (!r.metadata().getError().isEmpty()) {
                table.row(session.node(r.metadata()), "error: " + r.metadata().getError());
                failed++;
            } else {
                table.row(session.node(r.metadata()), r.resp());
            }
        }
        table.print(inv.out());
        return failed == 0 ? 0 : 1;
    }
}
