package dev.basalt.ctl.node;

import com.google.protobuf.Empty;
import dev.basalt.ctl.cli.Command;
import dev.basalt.ctl.cli.Invocation;
import dev.basalt.machinery.api.common.Metadata;
import dev.basalt.machinery.api.machine.MachineServiceGrpc;
import dev.basalt.machinery.api.machine.MemInfo;
import dev.basalt.machinery.api.machine.MountStat;
import dev.basalt.machinery.api.machine.ProcessInfo;
import dev.basalt.machinery.api.storage.Disk;
import dev.basalt.machinery.api.storage.StorageServiceGrpc;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The read-only node commands that print one table per call: {@code memory}, {@code processes},
 * {@code mounts}, {@code disks}. Each node's rows start with its name; a node that failed prints its error.
 */
public final class ReadCommands {
    private ReadCommands() {
    }

    /** All of them, for wiring into the command tree. */
    public static List<Command> all() {
        return List.of(new Memory(), new Processes(), new Mounts(), new Disks());
    }

    private static boolean failed(ApiSession session, Table table, Metadata metadata) {
        if (metadata.getError().isEmpty()) {
            return false;
        }
        table.row(session.node(metadata), "error: " + metadata.getError());
        return true;
    }

    private static MachineServiceGrpc.MachineServiceBlockingStub machine(io.grpc.Channel ch) {
        return MachineServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    /** {@code basaltctl memory}. */
    static final class Memory implements Command {
        @Override
        public String name() {
            return "memory";
        }

        @Override
        public String summary() {
            return "Show memory usage (MiB)";
        }

        @Override
        public int run(Invocation inv) {
            inv.requireArgs();
            try (ApiSession session = ApiSession.open(inv)) {
                var reply = session.call(ch -> machine(ch).memory(Empty.getDefaultInstance()));
                Table table = new Table("NODE", "TOTAL", "USED", "FREE", "SHARED", "BUFFERS", "CACHE", "AVAILABLE");
                int errors = 0;
                for (var m : reply.getMessagesList()) {
                    if (failed(session, table, m.getMetadata())) {
                        errors++;
                        continue;
                    }
                    MemInfo i = m.getMeminfo();
                    long used = i.getMemtotal() - i.getMemfree() - i.getCached() - i.getBuffers();
                    table.row(session.node(m.getMetadata()), i.getMemtotal() / 1024, used / 1024, i.getMemfree() / 1024,
                            i.getShmem() / 1024, i.getBuffers() / 1024, i.getCached() / 1024, i.getMemavailable() / 1024);
                }
                table.print(inv.out());
                return errors == 0 ? 0 : 1;
            }
        }
    }

    /** {@code basaltctl processes}. */
    static final class Processes implements Command {
        @Override
        public String name() {
            return "processes";
        }

        @Override
        public String summary() {
            return "List running processes";
        }

        @Override
        public int run(Invocation inv) {
            inv.requireArgs();
            try (ApiSession session = ApiSession.open(inv)) {
                var reply = session.call(ch -> machine(ch).processes(Empty.getDefaultInstance()));
                Table table = new Table("NODE", "PID", "STATE", "THREADS", "CPU-TIME", "VIRTMEM", "RESMEM", "COMMAND");
                int errors = 0;
                for (var p : reply.getMessagesList()) {
                    if (failed(session, table, p.getMetadata())) {
                        errors++;
                        continue;
                    }
                    for (ProcessInfo i : p.getProcessesList()) {
                        table.row(session.node(p.getMetadata()), i.getPid(), i.getState(), i.getThreads(),
                                String.format("%.2f", i.getCpuTime()), human(i.getVirtualMemory()),
                                human(i.getResidentMemory()), i.getArgs().isEmpty() ? i.getCommand() : i.getArgs());
                    }
                }
                table.print(inv.out());
                return errors == 0 ? 0 : 1;
            }
        }
    }

    /** {@code basaltctl mounts}. */
    static final class Mounts implements Command {
        @Override
        public String name() {
            return "mounts";
        }

        @Override
        public String summary() {
            return "List mounts";
        }

        @Override
        public int run(Invocation inv) {
            inv.requireArgs();
            try (ApiSession session = ApiSession.open(inv)) {
                var reply = session.call(ch -> machine(ch).mounts(Empty.getDefaultInstance()));
                Table table = new Table("NODE", "FILESYSTEM", "SIZE(GB)", "USED(GB)", "AVAILABLE(GB)", "PERCENT USED",
                        "MOUNTED ON");
                int errors = 0;
                for (var m : reply.getMessagesList()) {
                    if (failed(session, table, m.getMetadata())) {
                        errors++;
                        continue;
                    }
                    for (MountStat s : m.getStatsList()) {
                        double gb = 1e9;
                        long used = s.getSize() - s.getAvailable();
                        table.row(session.node(m.getMetadata()), s.getFilesystem(), String.format("%.02f", s.getSize() / gb),
                                String.format("%.02f", used / gb), String.format("%.02f", s.getAvailable() / gb),
                                s.getSize() == 0 ? "" : String.format("%.02f%%", 100.0 * used / s.getSize()),
                                s.getMountedOn());
                    }
                }
                table.print(inv.out());
                return errors == 0 ? 0 : 1;
            }
        }
    }

    /** {@code basaltctl disks}. */
    static final class Disks implements Command {
        @Override
        public String name() {
            return "disks";
        }

        @Override
        public String summary() {
            return "List disks";
        }

        @Override
        public int run(Invocation inv) {
            inv.requireArgs();
            try (ApiSession session = ApiSession.open(inv)) {
                var reply = session.call(ch -> StorageServiceGrpc.newBlockingStub(ch)
                        .withDeadlineAfter(30, TimeUnit.SECONDS).disks(Empty.getDefaultInstance()));
                Table table = new Table("NODE", "DEV", "MODEL", "SERIAL", "TYPE", "SIZE", "BUS_PATH");
                int errors = 0;
                for (var d : reply.getMessagesList()) {
                    if (failed(session, table, d.getMetadata())) {
                        errors++;
                        continue;
                    }
                    for (Disk disk : d.getDisksList()) {
                        table.row(session.node(d.getMetadata()), "/dev/" + disk.getDeviceName(),
                                orDash(disk.getModel()), orDash(disk.getSerial()), disk.getType(),
                                human(disk.getSize()), orDash(disk.getBusPath()));
                    }
                }
                table.print(inv.out());
                return errors == 0 ? 0 : 1;
            }
        }
    }

    private static String orDash(String s) {
        return s.isEmpty() ? "-" : s;
    }

    static String human(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format("%.1f %s", v, units[u]);
    }
}
