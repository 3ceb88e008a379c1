package dev.basalt.qemu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A QEMU x86-64 guest under TCG, started from a kernel and initramfs or from boot media, with its serial console
 * captured line by line (kept in memory and written to a log file). Built with {@link #builder()}:
 * <pre>
 *   try (QemuMachine vm = QemuMachine.builder().kernel(vmlinuz).initrd(initramfs).append("console=ttyS0")
 *           .serialLog(log).start()) {
 *       vm.awaitLine(l -> l.contains("maintenance mode"), Duration.ofSeconds(60));
 *   }
 * </pre>
 * Always runs with {@code -no-reboot}: a reboot or power-off ends QEMU, and a kernel panic (with
 * {@code panic=-1}) too, so no guest can hang a test forever.
 *
 * <p>Thread-safe: the console reader thread and callers share the line list under its lock.
 */
public final class QemuMachine implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Path serialLog;
    private final Path monitor;
    private final long startNanos;
    private final Thread reader;

    private QemuMachine(Process process, Path serialLog, Path monitor, long startNanos) throws IOException {
        this.process = process;
        this.serialLog = serialLog;
        this.monitor = monitor;
        this.startNanos = startNanos;
        Files.createDirectories(serialLog.toAbsolutePath().getParent());
        PrintStream log = new PrintStream(Files.newOutputStream(serialLog), true, StandardCharsets.UTF_8);
        this.reader = Thread.ofPlatform().daemon().name("qemu-serial").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); log) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String clean = line.replace("\r", "");
                    long ms = (System.nanoTime() - startNanos) / 1_000_000;
                    log.printf("[%7d ms] %s%n", ms, clean);
                    synchronized (lines) {
                        lines.add(clean);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // QEMU went away; awaiters notice through the process state.
            } finally {
                synchronized (lines) {
                    lines.notifyAll();
                }
            }
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Time since QEMU was started. */
    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Every console line so far. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Waits for a console line containing {@code text}. */
    public String awaitLine(String text, Duration timeout) {
        return awaitLine(line -> line.contains(text), "a line containing '" + text + "'", timeout);
    }

    public String awaitLine(Predicate<String> match, String description, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        synchronized (lines) {
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (match.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                boolean ended = !reader.isAlive();
                if (left <= 0 || ended) {
                    throw new ConsoleTimeoutException("no console line matched " + description + " "
                            + (ended ? "before QEMU exited" : "within " + timeout.toSeconds() + " s")
                            + " (serial log: " + serialLog + "); last lines:\n" + tail(40));
                }
                try {
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ConsoleTimeoutException("interrupted waiting for " + description);
                }
            }
        }
    }

    /** Whether any console line so far contains {@code text}. */
    public boolean printed(String text) {
        return lines().stream().anyMatch(l -> l.contains(text));
    }

    /** Waits for QEMU to exit (the guest powered off, rebooted or panicked); returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ConsoleTimeoutException("QEMU still running after " + timeout.toSeconds()
                        + " s; last lines:\n" + tail(40));
            }
            reader.join(5_000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsoleTimeoutException("interrupted waiting for QEMU to exit");
        }
    }

    /** Presses Ctrl-Alt-Del on the guest's keyboard (through the QEMU monitor). */
    public void sendCtrlAltDelete() throws IOException {
        monitorCommand("sendkey ctrl-alt-delete");
    }

    private void monitorCommand(String command) throws IOException {
        if (monitor == null) {
            throw new IllegalStateException("this machine was started without a monitor socket");
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(monitor));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            // Let the monitor read the command before the socket closes.
            ByteBuffer reply = ByteBuffer.allocate(4096);
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            channel.configureBlocking(false);
            while (System.nanoTime() < deadline) {
                reply.clear();
                if (channel.read(reply) < 0) {
                    break;
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String tail(int count) {
        List<String> all = lines();
        return String.join("\n", all.subList(Math.max(0, all.size() - count), all.size()));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (monitor != null) {
                Files.deleteIfExists(monitor);
            }
        } catch (IOException ignored) {
            // a stale socket file in a temporary directory is harmless
        }
    }

    /** Options of a machine; {@link #start()} launches it. Not thread-safe. */
    public static final class Builder {
        private Path kernel;
        private Path initrd;
        private String append = "";
        private Path cdrom;
        private final List<Path> disks = new ArrayList<>();
        private Firmware firmware = Firmware.SEABIOS;
        private int memoryMib = 1024;
        private java.util.UUID uuid;
        private int cpus = 1;
        private Path serialLog = Path.of("target/qemu-serial.log");
        private final List<String> hostForwards = new ArrayList<>();
        private Path monitor;
        private String qemu = "qemu-system-x86_64";

        public Builder kernel(Path kernel) {
            this.kernel = kernel;
            return this;
        }

        public Builder initrd(Path initrd) {
            this.initrd = initrd;
            return this;
        }

        /** The kernel command line (direct kernel boot only). */
        public Builder append(String append) {
            this.append = append;
            return this;
        }

        public Builder cdrom(Path iso) {
            this.cdrom = iso;
            return this;
        }

        /** A raw disk image, attached as virtio; written to (use a copy for disposable runs). */
        public Builder disk(Path image) {
            disks.add(image);
            return this;
        }

        /** The SMBIOS system UUID the guest sees (nodeID disk encryption keys derive from it). */
        public Builder uuid(java.util.UUID uuid) {
            this.uuid = uuid;
            return this;
        }

        public Builder firmware(Firmware firmware) {
            this.firmware = firmware;
            return this;
        }

        public Builder memoryMib(int memoryMib) {
            this.memoryMib = memoryMib;
            return this;
        }

        public Builder cpus(int cpus) {
            this.cpus = cpus;
            return this;
        }

        public Builder serialLog(Path serialLog) {
            this.serialLog = serialLog;
            return this;
        }

        /** Forwards 127.0.0.1:{@code hostPort} to the guest's {@code guestPort} (user-mode networking). */
        public Builder hostForward(int hostPort, int guestPort) {
            hostForwards.add("hostfwd=tcp:127.0.0.1:" + hostPort + "-:" + guestPort);
            return this;
        }

        /** A monitor socket, needed for {@link QemuMachine#sendCtrlAltDelete()}. */
        public Builder monitor(Path socket) {
            this.monitor = socket;
            return this;
        }

        public Builder qemu(String binary) {
            this.qemu = binary;
            return this;
        }

        List<String> command() {
            if (kernel == null && cdrom == null && disks.isEmpty()) {
                throw new IllegalStateException("nothing to boot: give a kernel, an ISO or a disk image");
            }
            if (kernel == null && (initrd != null || !append.isEmpty())) {
                throw new IllegalStateException("an initrd and a command line need a kernel (direct boot)");
            }
            if (firmware == Firmware.OVMF && !Files.exists(Firmware.OVMF_IMAGE)) {
                throw new IllegalStateException("OVMF firmware not found at " + Firmware.OVMF_IMAGE
                        + " (install Debian's ovmf package)");
            }
            List<String> argv = new ArrayList<>(List.of(qemu, "-machine", "q35", "-accel", "tcg", "-cpu", "max",
                    "-m", Integer.toString(memoryMib), "-smp", Integer.toString(cpus), "-no-reboot",
                    "-display", "none", "-serial", "stdio", "-monitor", monitor == null ? "none"
                            : "unix:" + monitor + ",server,nowait"));
            argv.addAll(firmware.arguments());
            if (uuid != null) {
                argv.addAll(List.of("-uuid", uuid.toString()));
            }
            if (kernel != null) {
                argv.addAll(List.of("-kernel", kernel.toString()));
                if (initrd != null) {
                    argv.addAll(List.of("-initrd", initrd.toString()));
                }
                argv.addAll(List.of("-append", append));
            }
            if (cdrom != null) {
                argv.addAll(List.of("-cdrom", cdrom.toString()));
            }
            for (Path disk : disks) {
                argv.addAll(List.of("-drive", "file=" + disk + ",format=raw,if=virtio"));
            }
            StringBuilder netdev = new StringBuilder("user,id=n0");
            for (String forward : hostForwards) {
                netdev.append(',').append(forward);
            }
            argv.addAll(List.of("-netdev", netdev.toString(), "-device", "virtio-net-pci,netdev=n0"));
            if (cdrom != null && kernel == null) {
                argv.addAll(List.of("-boot", "d"));
            }
            return argv;
        }

        public QemuMachine start() throws IOException {
            List<String> argv = command();
            if (monitor != null) {
                Files.deleteIfExists(monitor);
            }
            long start = System.nanoTime();
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            // stdin stays open and unused: the serial port reads it, and EOF there is not wanted.
            return new QemuMachine(process, serialLog, monitor, start);
        }
    }

    /** The command line, for logs. */
    public static Optional<String> describe(Builder builder) {
        return Optional.of(String.join(" ", builder.command()));
    }
}
