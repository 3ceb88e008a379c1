package dev.basalt.machined.metal;

import dev.basalt.blockd.boot.SystemVolumes;
import dev.basalt.blockd.disks.Disk;
import dev.basalt.blockd.disks.DiskDiscovery;
import dev.basalt.blockd.fs.Mounter;
import dev.basalt.blockd.install.InstallOutcome;
import dev.basalt.blockd.install.InstallRequest;
import dev.basalt.blockd.install.Installer;
import dev.basalt.blockd.layout.SystemPartition;
import dev.basalt.blockd.luks.KeyProvider;
import dev.basalt.blockd.luks.LuksOptions;
import dev.basalt.blockd.luks.VolumeEncryption;
import dev.basalt.machined.api.NodeApiException;
import dev.basalt.machined.api.PowerControl;
import dev.basalt.machined.maintenance.Installation;
import dev.basalt.machined.sequencer.Sequence;
import dev.basalt.machined.sequencer.SequenceOutcome;
import dev.basalt.machined.sequencer.Sequencer;
import dev.basalt.machined.sequencer.Task;
import dev.basalt.machined.system.SystemConsole;
import dev.basalt.machinery.config.Machine;
import dev.basalt.machinery.config.MachineConfig;
import dev.basalt.machinery.exec.Exec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Installs a metal node from maintenance mode: the kernel and initramfs come from the medium the node booted from
 * (the ISO) or, booted from a disk whose STATE was wiped by a reset, from that disk's BOOT partition; GRUB's
 * modules from the root filesystem; keys for {@code machine.systemDiskEncryption} are checked
 * before anything is written. The install runs as the {@code install} sequence on its own thread, printing its
 * tasks on the console, and reboots into the installed system. A failed install stays in maintenance mode with
 * the reason on the console.
 *
 * <p>Thread-safe: one install at a time.
 */
public final class MetalInstall implements Installation {
    /** Where the install medium is mounted while it is read. */
    static final Path MEDIA = Path.of("/run/basalt/install-media");
    static final Path GRUB_MODULES = Path.of("/usr/lib/grub");
    private static final List<String> DROPPED_ARGS = List.of("BOOT_IMAGE", "initrd", "basalt.config");

    private final Exec exec;
    private final Mounter mounter;
    private final Path dev;
    private final Path sys;
    private final Path workDir;
    private final String cmdline;
    private final PowerControl power;
    private final SystemConsole console;
    private final PrintStream out;
    private final AtomicBoolean running = new AtomicBoolean();

    /**
     * @param dev     the device directory ({@code /dev}), where CD-ROM drives ({@code sr*}) are looked for
     * @param sys     sysfs ({@code /sys}), where disks are discovered
     * @param cmdline the running kernel command line; the installed system boots with the same arguments
     */
    public MetalInstall(Exec exec, Mounter mounter, Path dev, Path sys, Path workDir, String cmdline,
                        PowerControl power, SystemConsole console, PrintStream out) {
        this.exec = exec;
        this.mounter = mounter;
        this.dev = dev;
        this.sys = sys;
        this.workDir = workDir;
        this.cmdline = cmdline;
        this.power = power;
        this.console = console;
        this.out = out;
    }

    @Override
    public void check(MachineConfig config) throws NodeApiException {
        keys(config, "state");
        keys(config, "ephemeral");
        if (!Files.isDirectory(GRUB_MODULES.resolve("i386-pc")) || !Files.isDirectory(GRUB_MODULES.resolve("x86_64-efi"))) {
            throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION, "ApplyConfiguration: this image"
                    + " has no GRUB modules under " + GRUB_MODULES + "; it cannot install to a disk");
        }
        if (cdromDrives().isEmpty() && installedSystem().isEmpty()) {
            throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION, "ApplyConfiguration: no install"
                    + " source: no CD-ROM/ISO (no " + dev + "/sr* device) and no installed system disk to take the"
                    + " kernel and initramfs from");
        }
    }

    @Override
    public String start(MachineConfig config, byte[] raw, Disk disk) throws NodeApiException {
        check(config);
        List<VolumeEncryption.SlotKey> stateKeys = keys(config, "state");
        List<VolumeEncryption.SlotKey> ephemeralKeys = keys(config, "ephemeral");
        if (!running.compareAndSet(false, true)) {
            throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION,
                    "ApplyConfiguration: an install is already running on this node");
        }
        String kernelArgs = kernelArgs(cmdline, config.machine().install().extraKernelArgs());
        Thread.ofPlatform().name("install").start(() -> {
            try {
                Sequencer sequencer = new Sequencer(out, System::nanoTime);
                Path[] source = new Path[1];
                SequenceOutcome outcome = sequencer.run(new Sequence("install", List.of(
                        new Task("prepareInstallSource", () -> {
                            source[0] = prepareSource();
                            return "kernel and initramfs from " + source[0];
                        }),
                        new Task("installToDisk", () -> install(disk, source[0], raw, kernelArgs, stateKeys,
                                ephemeralKeys)),
                        new Task("releaseInstallSource", this::releaseSource),
                        new Task("reboot", () -> power.reboot(false) instanceof PowerControl.Refused r
                                ? "reboot refused: " + r.reason() : "rebooting into the installed system"))));
                if (outcome instanceof SequenceOutcome.Failed failed) {
                    console.failure("install", "install to " + disk.devPath() + " failed at task " + failed.task()
                            + "; the node stays in maintenance mode", failed.cause());
                    try {
                        releaseSource();
                    } catch (IOException e) {
                        // nothing to release
                    }
                    running.set(false);
                }
            } catch (RuntimeException e) {
                console.failure("install", "install failed", e);
                running.set(false);
            }
        });
        return "installing to " + disk.devPath() + (stateKeys.isEmpty() ? "" : " (STATE encrypted)")
                + (ephemeralKeys.isEmpty() ? "" : " (EPHEMERAL encrypted)")
                + "; the node reboots from it when the install is done";
    }

    private String install(Disk disk, Path source, byte[] raw, String kernelArgs,
                           List<VolumeEncryption.SlotKey> stateKeys, List<VolumeEncryption.SlotKey> ephemeralKeys)
            throws Exception {
        Installer installer = new Installer(exec, mounter, workDir, LuksOptions.defaults(), Duration.ofSeconds(30));
        InstallOutcome outcome = installer.install(new InstallRequest(disk.devPath(),
                source.resolve("vmlinuz"), source.resolve("initramfs.xz"), GRUB_MODULES, kernelArgs, raw,
                stateKeys, ephemeralKeys));
        return switch (outcome) {
            case InstallOutcome.Rejected rejected -> throw new IOException(rejected.reason());
            case InstallOutcome.Installed installed -> String.join(", ", installed.steps());
        };
    }

    /**
     * The directory holding {@code vmlinuz} and {@code initramfs.xz} to install: the boot medium's {@code /boot}
     * (mounted at {@link #MEDIA}), or without one the installed system's {@code BOOT/A}, copied to RAM first since
     * the install may overwrite the disk it comes from.
     */
    private Path prepareSource() throws IOException {
        if (!cdromDrives().isEmpty()) {
            mountMedia();
            return MEDIA.resolve("boot");
        }
        SystemVolumes.SystemDisk system = installedSystem().orElseThrow(() ->
                new IOException("no CD-ROM and no installed system disk to install from"));
        Path boot = Installer.partitionNode(system.disk(), SystemPartition.BOOT);
        Files.createDirectories(MEDIA);
        mounter.mountReadOnly(boot, MEDIA, "xfs");
        Path copy = Files.createDirectories(workDir.resolve("source"));
        try {
            for (String name : List.of("vmlinuz", "initramfs.xz")) {
                Files.copy(MEDIA.resolve("A").resolve(name), copy.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            mounter.unmount(MEDIA);
        }
        return copy;
    }

    private String releaseSource() throws IOException {
        Path copy = workDir.resolve("source");
        if (Files.isDirectory(copy)) {
            for (String name : List.of("vmlinuz", "initramfs.xz")) {
                Files.deleteIfExists(copy.resolve(name));
            }
            return "removed the copied kernel and initramfs";
        }
        mounter.unmount(MEDIA);
        return "unmounted " + MEDIA;
    }

    private Optional<SystemVolumes.SystemDisk> installedSystem() {
        try {
            return SystemVolumes.locate(DiskDiscovery.discover(sys).stream().map(Disk::devPath).toList());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Mounts the first CD-ROM drive holding a Basalt boot medium ({@code /boot/vmlinuz}) at {@link #MEDIA}. */
    private Path mountMedia() throws IOException {
        Files.createDirectories(MEDIA);
        List<String> tried = new ArrayList<>();
        for (Path drive : cdromDrives()) {
            try {
                mounter.mountReadOnly(drive, MEDIA, "iso9660");
            } catch (IOException e) {
                tried.add(drive + ": " + e.getMessage());
                continue;
            }
            if (Files.isRegularFile(MEDIA.resolve("boot/vmlinuz")) && Files.isRegularFile(MEDIA.resolve("boot/initramfs.xz"))) {
                return drive;
            }
            mounter.unmount(MEDIA);
            tried.add(drive + ": no /boot/vmlinuz and /boot/initramfs.xz");
        }
        throw new IOException("no Basalt install medium found (" + String.join("; ", tried) + ")");
    }

    private List<Path> cdromDrives() {
        try (Stream<Path> entries = Files.list(dev)) {
            return entries.filter(p -> p.getFileName().toString().matches("sr\\d+")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The running command line without boot-loader and one-shot arguments, plus {@code extraKernelArgs}. */
    static String kernelArgs(String cmdline, List<String> extra) {
        List<String> words = new ArrayList<>();
        for (String word : cmdline.strip().split("\\s+")) {
            String key = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
            if (!word.isEmpty() && !DROPPED_ARGS.contains(key)) {
                words.add(word);
            }
        }
        words.addAll(extra);
        return String.join(" ", words);
    }

    /**
     * The LUKS2 keys for one system partition from {@code machine.systemDiskEncryption}; static and nodeID are
     * supported, tpm and kms are refused with the field path.
     */
    static List<VolumeEncryption.SlotKey> keys(MachineConfig config, String partition) throws NodeApiException {
        Optional<Machine.DiskEncryption> encryption = config.machine().systemDiskEncryption();
        Optional<Machine.Encryption> settings = encryption.flatMap(e -> partition.equals("state") ? e.state()
                : e.ephemeral());
        if (settings.isEmpty()) {
            return List.of();
        }
        String path = "machine.systemDiskEncryption." + partition + ".keys";
        List<Machine.EncryptionKey> keys = settings.get().keys();
        if (keys.size() != 1) {
            throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT, "ApplyConfiguration: " + path
                    + " lists " + keys.size() + " keys; exactly one key per partition is supported");
        }
        Machine.EncryptionKey key = keys.getFirst();
        KeyProvider provider = switch (key.source()) {
            case Machine.KeySource.Static s -> {
                if (s.passphrase().isEmpty()) {
                    throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT, "ApplyConfiguration: " + path
                            + "[0].static.passphrase is empty");
                }
                yield new KeyProvider.Static(s.passphrase());
            }
            case Machine.KeySource.NodeId n -> {
                KeyProvider.NodeId nodeId = KeyProvider.NodeId.system();
                try {
                    nodeId.key(partition.toUpperCase());
                } catch (IOException e) {
                    throw new NodeApiException(NodeApiException.Code.FAILED_PRECONDITION, "ApplyConfiguration: "
                            + path + "[0].nodeID: " + e.getMessage());
                }
                yield nodeId;
            }
            case Machine.KeySource.Tpm t -> throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT,
                    "ApplyConfiguration: " + path + "[0].tpm: TPM-sealed keys are not supported yet; use static or"
                            + " nodeID");
            case Machine.KeySource.Kms k -> throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT,
                    "ApplyConfiguration: " + path + "[0].kms: KMS keys are not supported yet; use static or nodeID");
        };
        return List.of(new VolumeEncryption.SlotKey(key.slot(), provider));
    }
}
