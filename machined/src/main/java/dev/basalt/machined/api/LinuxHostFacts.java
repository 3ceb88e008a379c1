package dev.basalt.machined.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link HostFacts} read from procfs and sysfs. The roots are parameters so tests can use a fake tree; in
 * production they are {@code /proc} and {@code /sys}.
 *
 * <p>Stateless apart from its configuration; thread-safe.
 */
public final class LinuxHostFacts implements HostFacts {
    // USER_HZ is 100 on every Linux architecture Basalt targets (the kernel's ABI constant for /proc ticks).
    private static final double TICKS_PER_SECOND = 100.0;
    // Page size of amd64 and of Debian's arm64 kernels (4 KiB pages).
    private static final long PAGE_SIZE = 4096;

    private final Path proc;
    private final Path sys;
    private final Optional<String> hostnameOverride;

    public LinuxHostFacts(Path proc, Path sys, Optional<String> hostnameOverride) {
        this.proc = proc;
        this.sys = sys;
        this.hostnameOverride = hostnameOverride;
    }

    /** The machine's own /proc and /sys. */
    public static LinuxHostFacts system(Optional<String> hostnameOverride) {
        return new LinuxHostFacts(Path.of("/proc"), Path.of("/sys"), hostnameOverride);
    }

    @Override
    public String hostname() throws IOException {
        if (hostnameOverride.isPresent()) {
            return hostnameOverride.get();
        }
        return Files.readString(proc.resolve("sys/kernel/hostname")).trim();
    }

    @Override
    public Map<String, Long> memInfo() throws IOException {
        return ProcParsers.meminfo(Files.readString(proc.resolve("meminfo")));
    }

    @Override
    public long bootTimeEpochSeconds() throws IOException {
        return ProcParsers.bootTime(Files.readString(proc.resolve("stat")))
                .orElseThrow(() -> new IOException(proc.resolve("stat") + " has no btime line"));
    }

    @Override
    public List<ProcessSample> processes() throws IOException {
        List<ProcessSample> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                readProcess(dir).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparingInt(ProcessSample::pid));
        return out;
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private Optional<ProcessSample> readProcess(Path dir) {
        try {
            Optional<ProcParsers.Stat> parsed = ProcParsers.stat(Files.readString(dir.resolve("stat")));
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            ProcParsers.Stat st = parsed.get();
            String args = ProcParsers.cmdline(Files.readAllBytes(dir.resolve("cmdline")));
            String exe;
            try {
                exe = Files.readSymbolicLink(dir.resolve("exe")).toString();
            } catch (IOException | UnsupportedOperationException e) {
                // kernel threads have no executable, and other users' links need privileges
                exe = "";
            }
            return Optional.of(new ProcessSample(st.pid(), st.ppid(), st.state(), st.threads(),
                    (st.utimeTicks() + st.stimeTicks()) / TICKS_PER_SECOND, st.vsizeBytes(),
                    st.rssPages() * PAGE_SIZE, st.comm(), exe, args));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // exited while we were reading it
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<MountSample> mounts() throws IOException {
        List<MountSample> out = new ArrayList<>();
        for (String line : Files.readAllLines(proc.resolve("mounts"), StandardCharsets.UTF_8)) {
            Optional<ProcParsers.MountLine> parsed = ProcParsers.mountLine(line);
            if (parsed.isEmpty()) {
                continue;
            }
            ProcParsers.MountLine m = parsed.get();
            long size = 0;
            long available = 0;
            try {
                FileStore store = Files.getFileStore(Path.of(m.mountPoint()));
                size = store.getTotalSpace();
                available = store.getUsableSpace();
            } catch (IOException | RuntimeException e) {
                // shadowed or inaccessible mount point: reported with zero capacity rather than dropped
            }
            out.add(new MountSample(m.device(), m.mountPoint(), size, available));
        }
        return out;
    }

    @Override
    public List<DiskSample> disks() throws IOException {
        Path block = sys.resolve("block");
        List<DiskSample> out = new ArrayList<>();
        if (!Files.isDirectory(block)) {
            return out;
        }
        try (DirectoryStream<Path> devices = Files.newDirectoryStream(block)) {
            for (Path dev : devices) {
                Path device = dev.resolve("device");
                if (!Files.exists(device)) {
                    continue; // loop, ram, device-mapper: not hardware
                }
                String name = dev.getFileName().toString();
                long sectors = parseLong(read(dev.resolve("size")));
                HostFacts.DiskKind kind;
                if (name.startsWith("nvme")) {
                    kind = DiskKind.NVME;
                } else if (name.startsWith("mmcblk")) {
                    kind = DiskKind.SD;
                } else {
                    String rotational = read(dev.resolve("queue/rotational"));
                    kind = rotational.equals("1") ? DiskKind.HDD : rotational.equals("0") ? DiskKind.SSD
                            : DiskKind.UNKNOWN;
                }
                String busPath = "";
                try {
                    busPath = device.toRealPath().toString();
                    if (busPath.startsWith(sys.resolve("devices").toString())) {
                        busPath = busPath.substring(sys.resolve("devices").toString().length());
                    }
                } catch (IOException e) {
                    // leave empty
                }
                String subsystem = "";
                try {
                    subsystem = dev.resolve("subsystem").toRealPath().toString();
                } catch (IOException e) {
                    // leave empty
                }
                // sysfs sizes count 512-byte sectors whatever the device's logical block size
                out.add(new DiskSample(name, sectors * 512, read(device.resolve("model")),
                        read(device.resolve("serial")), read(device.resolve("modalias")),
                        read(device.resolve("uuid")), read(device.resolve("wwid")), kind, busPath, subsystem));
            }
        }
        out.sort(Comparator.comparing(DiskSample::deviceName));
        return out;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
