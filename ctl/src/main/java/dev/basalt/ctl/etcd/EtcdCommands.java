package dev.basalt.ctl.etcd;

import com.google.protobuf.Empty;
import dev.basalt.ctl.cli.CliException;
import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.CommandGroup;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.ctl.cli.UsageException;
import dev.basalt.machinery.api.common.Data;
import dev.basalt.machinery.api.common.Metadata;
import dev.basalt.machinery.api.machine.EtcdLeaveClusterRequest;
import dev.basalt.machinery.api.machine.EtcdMember;
import dev.basalt.machinery.api.machine.EtcdMemberListRequest;
import dev.basalt.machinery.api.machine.EtcdMembers;
import dev.basalt.machinery.api.machine.EtcdRemoveMemberByIDRequest;
import dev.basalt.machinery.api.machine.EtcdRemoveMemberRequest;
import dev.basalt.machinery.api.machine.EtcdSnapshotRequest;
import dev.basalt.machinery.api.machine.EtcdStatus;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code basaltctl etcd members|remove-member|leave|snapshot|status}, as talosctl names them.
 */
public final class EtcdCommands {
    private static final long DEADLINE_SECONDS = 30;
    /** An etcd member id as etcdctl and {@code etcd members} print it. */
    private static final Pattern HEX_ID = Pattern.compile("[0-9a-f]{1,16}");

    private EtcdCommands() {
    }

    public static CommandGroup group() {
        return new CommandGroup("etcd", "Manage etcd", List.of(new Members(), new RemoveMember(), new Leave(),
                new Snapshot(), new Status()));
    }

    private static void failOnError(Metadata md, String target) {
        if (!md.getError().isEmpty()) {
            throw new CliException(ClusterSession.node(md, target) + ": " + md.getError());
        }
    }

    private static String hex(long id) {
        return Long.toHexString(id);
    }

    /** {@code etcd members}. */
    static final class Members implements Command {
        @Override
        public String name() {
            return "members";
        }

        @Override
        public String summary() {
            return "Get the list of etcd cluster members";
        }

        @Override
        public int run(Invocation inv) {
            try (ClusterSession session = ClusterSession.open(inv)) {
                List<String> targets = session.nodes();
                List<EtcdMembers> replies = session.call(targets, ch -> MachineServiceGrpc.newBlockingStub(ch)
                        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                        .etcdMemberList(EtcdMemberListRequest.getDefaultInstance())).getMessagesList();
                List<List<String>> rows = new ArrayList<>();
                int failed = 0;
                String fallback = targets.size() == 1 ? targets.getFirst() : "";
                for (EtcdMembers reply : replies) {
                    String node = ClusterSession.node(reply.getMetadata(), fallback);
                    if (!reply.getMetadata().getError().isEmpty()) {
                        inv.err().println(node + ": error: " + reply.getMetadata().getError());
                        failed++;
                        continue;
                    }
                    for (EtcdMember m : reply.getMembersList()) {
                        rows.add(List.of(node, hex(m.getId()), m.getHostname(), String.join(",", m.getPeerUrlsList()),
                                String.join(",", m.getClientUrlsList()), Boolean.toString(m.getIsLearner())));
                    }
                }
                ClusterSession.table(inv.out(), List.of("NODE", "ID", "HOSTNAME", "PEER URLS", "CLIENT URLS",
                        "LEARNER"), rows);
                return failed == 0 ? 0 : 1;
            }
        }
    }

    /** {@code etcd remove-member HOSTNAME|ID}. */
    static final class RemoveMember implements Command {
        @Override
        public String name() {
            return "remove-member";
        }

        @Override
        public String summary() {
            return "Remove the node from etcd cluster (by hostname or hex member id)";
        }

        @Override
        public String arguments() {
            return "<hostname|member ID>";
        }

        @Override
        public int run(Invocation inv) {
            if (inv.args().size() != 1) {
                throw new UsageException("'etcd remove-member' takes one HOSTNAME or member ID, got " + inv.args());
            }
            String member = inv.args().getFirst();
            try (ClusterSession session = ClusterSession.open(inv)) {
                String node = session.singleNode("etcd remove-member");
                Metadata md;
                if (HEX_ID.matcher(member).matches()) {
                    long id = Long.parseUnsignedLong(member, 16);
                    md = session.call(List.of(node), ch -> MachineServiceGrpc.newBlockingStub(ch)
                            .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                            .etcdRemoveMemberByID(EtcdRemoveMemberByIDRequest.newBuilder().setMemberId(id).build()))
                            .getMessages(0).getMetadata();
                } else {
                    md = session.call(List.of(node), ch -> MachineServiceGrpc.newBlockingStub(ch)
                            .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                            .etcdRemoveMember(EtcdRemoveMemberRequest.newBuilder().setMember(member).build()))
                            .getMessages(0).getMetadata();
                }
                failOnError(md, node);
                inv.out().println("removed etcd member " + member + " (through " + node + ")");
                return 0;
            }
        }
    }

    /** {@code etcd leave}. */
    static final class Leave implements Command {
        @Override
        public String name() {
            return "leave";
        }

        @Override
        public String summary() {
            return "Tell nodes to leave etcd cluster";
        }

        @Override
        public int run(Invocation inv) {
            try (ClusterSession session = ClusterSession.open(inv)) {
                String node = session.singleNode("etcd leave");
                Metadata md = session.call(List.of(node), ch -> MachineServiceGrpc.newBlockingStub(ch)
                        .withDeadlineAfter(DEADLINE_SECONDS * 2, TimeUnit.SECONDS)
                        .etcdLeaveCluster(EtcdLeaveClusterRequest.getDefaultInstance())).getMessages(0).getMetadata();
                failOnError(md, node);
                inv.out().println(node + " left the etcd cluster");
                return 0;
            }
        }
    }

    /** {@code etcd snapshot PATH}. */
    static final class Snapshot implements Command {
        @Override
        public String name() {
            return "snapshot";
        }

        @Override
        public String summary() {
            return "Stream snapshot of the etcd node to the path";
        }

        @Override
        public String arguments() {
            return "<path>";
        }

        @Override
        public int run(Invocation inv) throws IOException {
            if (inv.args().size() != 1) {
                throw new UsageException("'etcd snapshot' takes one PATH, got " + inv.args());
            }
            Path target = inv.path(inv.args().getFirst());
            Path partial = target.resolveSibling(target.getFileName() + ".part");
            try (ClusterSession session = ClusterSession.open(inv)) {
                String node = session.singleNode("etcd snapshot");
                long bytes = 0;
                try (OutputStream out = Files.newOutputStream(partial)) {
                    Iterator<Data> chunks = session.call(List.of(node), ch -> MachineServiceGrpc
                            .newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.MINUTES)
                            .etcdSnapshot(EtcdSnapshotRequest.getDefaultInstance()));
                    while (chunks.hasNext()) {
                        Data d = chunks.next();
                        failOnError(d.getMetadata(), node);
                        d.getBytes().writeTo(out);
                        bytes += d.getBytes().size();
                    }
                } catch (StatusRuntimeException e) {
                    Files.deleteIfExists(partial);
                    throw new CliException("etcd snapshot from " + node + " failed: " + ClusterSession.describe(e), e);
                } catch (CliException e) {
                    Files.deleteIfExists(partial);
                    throw e;
                }
                if (bytes == 0) {
                    Files.deleteIfExists(partial);
                    throw new CliException("etcd snapshot from " + node + " was empty");
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                inv.out().println("etcd snapshot saved to \"" + target + "\" (" + bytes + " bytes)");
                return 0;
            }
        }
    }

    /** {@code etcd status}. */
    static final class Status implements Command {
        @Override
        public String name() {
            return "status";
        }

        @Override
        public String summary() {
            return "Get the status of etcd cluster member";
        }

        @Override
        public int run(Invocation inv) {
            try (ClusterSession session = ClusterSession.open(inv)) {
                List<String> targets = session.nodes();
                List<EtcdStatus> replies = session.call(targets, ch -> MachineServiceGrpc.newBlockingStub(ch)
                        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                        .etcdStatus(Empty.getDefaultInstance())).getMessagesList();
                List<List<String>> rows = new ArrayList<>();
                int failed = 0;
                String fallback = targets.size() == 1 ? targets.getFirst() : "";
                for (EtcdStatus s : replies) {
                    String node = ClusterSession.node(s.getMetadata(), fallback);
                    if (!s.getMetadata().getError().isEmpty()) {
                        inv.err().println(node + ": error: " + s.getMetadata().getError());
                        failed++;
                        continue;
                    }
                    var m = s.getMemberStatus();
                    rows.add(List.of(node, hex(m.getMemberId()), Long.toString(m.getDbSize()), hex(m.getLeader()),
                            Long.toString(m.getRaftIndex()), Long.toString(m.getRaftTerm()),
                            Boolean.toString(m.getIsLearner()), String.join(",", m.getErrorsList())));
                }
                ClusterSession.table(inv.out(), List.of("NODE", "MEMBER", "DB SIZE", "LEADER", "RAFT INDEX",
                        "RAFT TERM", "LEARNER", "ERRORS"), rows);
                return failed == 0 ? 0 : 1;
            }
        }
    }
}
