package dev.basalt.blockd.install;

import dev.basalt.blockd.device.BlockDevice;
import dev.basalt.blockd.fs.Mkfs;
import dev.basalt.blockd.fs.Mounter;
import dev.basalt.blockd.gpt.Gpt;
import dev.basalt.blockd.gpt.GptPartition;
import dev.basalt.blockd.gpt.GptTable;
import dev.basalt.blockd.layout.LayoutPlan;
import dev.basalt.blockd.layout.SystemLayout;
import dev.basalt.blockd.layout.SystemPartition;
import dev.basalt.blockd.luks.Luks;
import dev.basalt.blockd.luks.LuksOptions;
import dev.basalt.blockd.luks.VolumeEncryption;
import dev.basalt.blockd.meta.MetaKey;
import dev.basalt.blockd.meta.MetaStore;
import dev.basalt.machinery.exec.Command;
import dev.basalt.machinery.exec.Exec;
import dev.basalt.machinery.exec.ExecException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;

/**
 * Installs Basalt onto a disk: validate, wipe, partition ({@link SystemLayout}), format (optionally LUKS2 for
 * STATE and EPHEMERAL), initialise META, copy kernel and initramfs to {@code BOOT/A}, install GRUB for BIOS and
 * UEFI, write grub.cfg, save the machine config to STATE.
 *
 * <p>Validation happens before the first write: a disk that does not exist, is not a block device or image,
 * or is too small, and missing artifacts, give {@link InstallOutcome.Rejected} with the disk untouched.
 *
 * <p>Not thread-safe: one install at a time (it mounts under its work directory).
 */
public final class Installer {
    /** Where the config lives on STATE. */
    public static final String CONFIG_FILE = "config.yaml";
    private static final long MIB = SystemLayout.MIB;

    private final Exec exec;
    private final Mounter mounter;
    private final Path workDir;
    private final LuksOptions luksOptions;
    private final Duration partitionWait;

    /**
     * @param workDir       where BOOT, EFI and STATE are mounted while being filled (e.g. {@code /run/basalt/install})
     * @param partitionWait how long to wait for the kernel to create partition device nodes
     */
    public Installer(Exec exec, Mounter mounter, Path workDir, LuksOptions luksOptions, Duration partitionWait) {
        this.exec = exec;
        this.mounter = mounter;
        this.workDir = workDir;
        this.luksOptions = luksOptions;
        this.partitionWait = partitionWait;
    }

    /** Runs the whole install, or refuses without touching the disk. */
    public InstallOutcome install(InstallRequest request) throws InstallException {
        Path disk = request.disk();
        if (!Files.exists(disk)) {
            return new InstallOutcome.Rejected("install disk " + disk + " does not exist");
        }
        for (Path artifact : List.of(request.kernel(), request.initramfs())) {
            if (!Files.isRegularFile(artifact)) {
                return new InstallOutcome.Rejected("install artifact " + artifact + " is not a readable file");
            }
        }
        if (request.config().length == 0) {
            return new InstallOutcome.Rejected("machine config to save on STATE is empty");
        }
        List<String> steps = new ArrayList<>();
        Deque<Cleanup> cleanups = new ArrayDeque<>();
        String step = "open " + disk;
        try {
            GptTable table;
            try (BlockDevice dev = BlockDevice.open(disk)) {
                LayoutPlan plan = SystemLayout.plan(disk.toString(), dev.size(), dev.sectorSize(),
                        UUID.randomUUID());
                if (plan instanceof LayoutPlan.TooSmall small) {
                    return new InstallOutcome.Rejected(small.message());
                }
                table = ((LayoutPlan.Fits) plan).table();

                step = "wipe " + disk;
                wipe(dev, table);
                steps.add(step);

                step = "partition " + disk;
                Gpt.write(dev, table);
                int ss = dev.sectorSize();
                dev.publishPartitions(table.partitions().stream().map(p -> new BlockDevice.PartitionExtent(
                        p.number(), p.offsetBytes(ss), p.sizeBytes(ss))).toList());
                steps.add(step + " (" + table.partitions().size() + " partitions)");

                step = "initialise META";
                GptPartition meta = table.byNumber(SystemPartition.META.number()).orElseThrow();
                MetaStore.format(dev, meta.offsetBytes(dev.sectorSize()));
                if (!request.stateKeys().isEmpty()) {
                    MetaStore store = MetaStore.load(dev, meta.offsetBytes(dev.sectorSize()),
                            meta.sizeBytes(dev.sectorSize()));
                    store.put(MetaKey.STATE_ENCRYPTION_CONFIG, stateEncryptionJson(request.stateKeys()));
                    store.flush();
                }
                steps.add(step);
            }

            step = "wait for partition devices of " + disk;
            awaitPartitions(disk);

            Mkfs mkfs = new Mkfs(exec);
            VolumeEncryption encryption = new VolumeEncryption(new Luks(exec));
            step = "format EFI";
            mkfs.vfat(partitionNode(disk, SystemPartition.EFI), "EFI");
            steps.add(step);
            step = "format BOOT";
            mkfs.xfs(partitionNode(disk, SystemPartition.BOOT), "BOOT");
            steps.add(step);
            step = "format STATE";
            Path state = formatVolume(mkfs, encryption, disk, SystemPartition.STATE, request.stateKeys(), cleanups);
            steps.add(step + (request.stateKeys().isEmpty() ? "" : " (LUKS2)"));
            step = "format EPHEMERAL";
            formatVolume(mkfs, encryption, disk, SystemPartition.EPHEMERAL, request.ephemeralKeys(), cleanups);
            steps.add(step + (request.ephemeralKeys().isEmpty() ? "" : " (LUKS2)"));

            step = "mount BOOT";
            Path bootMnt = mount(partitionNode(disk, SystemPartition.BOOT), "boot", "xfs", cleanups);
            steps.add(step);

            step = "copy kernel and initramfs to BOOT/A";
            Path slotA = Files.createDirectories(bootMnt.resolve(GrubConfig.Slot.A.name()));
            Files.copy(request.kernel(), slotA.resolve("vmlinuz"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(request.initramfs(), slotA.resolve("initramfs.xz"), StandardCopyOption.REPLACE_EXISTING);
            steps.add(step);

            step = "install GRUB for BIOS";
            Path grubDir = Files.createDirectories(bootMnt.resolve("grub"));
            // Tell GRUB the target is its first BIOS drive: its own probing cannot map every kind of device
            // (loop partitions, some virtual disks) to a drive, and the installed system boots from it as hd0.
            writeDurably(grubDir.resolve("device.map"), ("(hd0) " + disk + "\n").getBytes(StandardCharsets.UTF_8));
            exec.check(Command.builder("grub-install").args("--target=i386-pc",
                    "--directory=" + request.grubModules().resolve("i386-pc"), "--boot-directory=" + bootMnt,
                    "--modules=part_gpt xfs", disk.toString()).timeout(Duration.ofMinutes(5)).build());
            steps.add(step);
            step = "install GRUB for UEFI";
            installEfi(request, partitionNode(disk, SystemPartition.EFI));
            steps.add(step);

            step = "write grub.cfg";
            Files.createDirectories(grubDir);
            writeDurably(grubDir.resolve("grub.cfg"),
                    GrubConfig.render(GrubConfig.Slot.A, false, request.kernelArgs()).getBytes(StandardCharsets.UTF_8));
            steps.add(step);

            step = "save config to STATE";
            Path stateMnt = mount(state, "state", "xfs", cleanups);
            Path configFile = stateMnt.resolve(CONFIG_FILE);
            writeDurably(configFile, request.config());
            Files.setPosixFilePermissions(configFile, PosixFilePermissions.fromString("rw-------"));
            steps.add(step);

            step = "unmount and close";
            runCleanups(cleanups);
            steps.add(step);
            return new InstallOutcome.Installed(table, List.copyOf(steps));
        } catch (IOException | ExecException | IllegalArgumentException e) {
            try {
                runCleanups(cleanups);
            } catch (IOException | ExecException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new InstallException("install to " + disk + " failed at step '" + step + "': " + e.getMessage(), e);
        }
    }

    /**
     * The UEFI loader: a standalone GRUB image with the modules it needs built in and an early config that
     * finds BOOT by label, copied into the FAT file system as the removable-media path {@code EFI/BOOT/BOOTX64.EFI}
     * with mtools. Building the image with grub-mkimage and writing FAT from user space means neither the
     * kernel's vfat driver nor an EFI mount is needed (kernels without vfat exist, and NVRAM is never touched).
     */
    private void installEfi(InstallRequest request, Path efiPartition) throws IOException {
        Path tmp = Files.createDirectories(workDir.resolve("efi-build"));
        Path early = tmp.resolve("early.cfg");
        Files.writeString(early, "search --no-floppy --label BOOT --set=root\nset prefix=($root)/grub\n"
                + "configfile $prefix/grub.cfg\n");
        Path image = tmp.resolve("BOOTX64.EFI");
        exec.check(Command.builder("grub-mkimage").args("--format=x86_64-efi",
                "--directory=" + request.grubModules().resolve("x86_64-efi"), "--output=" + image,
                "--config=" + early, "--prefix=/grub").args(EFI_MODULES).timeout(Duration.ofMinutes(2)).build());
        String fat = efiPartition.toString();
        exec.check(Command.of("mmd", "-i", fat, "::/EFI", "::/EFI/BOOT"));
        exec.check(Command.of("mcopy", "-o", "-i", fat, image.toString(), "::/EFI/BOOT/BOOTX64.EFI"));
    }

    /** Built into the UEFI image so it needs nothing from disk but grub.cfg. */
    private static final List<String> EFI_MODULES = List.of("part_gpt", "fat", "xfs", "search", "search_label",
            "configfile", "normal", "linux", "echo", "all_video", "gzio", "xzio", "serial", "terminal", "test",
            "efi_gop");

    /** The device node of partition {@code p} of {@code disk}: {@code sda3}, {@code nvme0n1p3}, {@code loop0p3}. */
    public static Path partitionNode(Path disk, SystemPartition p) {
        String name = disk.toString();
        return Path.of(name + (Character.isDigit(name.charAt(name.length() - 1)) ? "p" : "") + p.number());
    }

    /**
     * Zeroes the first and last MiB of the disk (old partition tables, MBR boot code) and the first MiB of
     * every old and new partition (old file system and LUKS signatures that would confuse probing).
     */
    private static void wipe(BlockDevice dev, GptTable next) throws IOException {
        int ss = dev.sectorSize();
        byte[] zeros = new byte[(int) MIB];
        List<Long> offsets = new ArrayList<>(List.of(0L, dev.size() - MIB));
        Gpt.read(dev).table().ifPresent(old -> old.partitions().forEach(p -> offsets.add(p.offsetBytes(ss))));
        next.partitions().forEach(p -> offsets.add(p.offsetBytes(ss)));
        for (long off : offsets) {
            long len = Math.min(MIB, dev.size() - off);
            if (off >= 0 && len > 0) {
                dev.write(off, len == MIB ? zeros : new byte[(int) len]);
            }
        }
        dev.sync();
    }

    private void awaitPartitions(Path disk) throws IOException {
        if (Files.isRegularFile(disk)) {
            return; // an image file: the tools run against fakes or a loop device set up by the caller
        }
        long deadline = System.nanoTime() + partitionWait.toNanos();
        for (SystemPartition p : SystemPartition.values()) {
            Path node = partitionNode(disk, p);
            while (!Files.exists(node)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(node + " did not appear within " + partitionWait
                            + " after re-reading the partition table");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for " + node, e);
                }
            }
        }
    }

    private Path formatVolume(Mkfs mkfs, VolumeEncryption encryption, Path disk, SystemPartition p,
                              List<VolumeEncryption.SlotKey> keys, Deque<Cleanup> cleanups) throws IOException {
        Path node = partitionNode(disk, p);
        Path target = node;
        if (!keys.isEmpty()) {
            encryption.format(node, p.label(), keys, luksOptions);
            String mapper = "basalt-install-" + p.label().toLowerCase(java.util.Locale.ROOT);
            target = new Luks(exec).open(node, mapper, keys.getFirst().provider().key(p.label()));
            Luks luks = new Luks(exec);
            cleanups.push(() -> luks.close(mapper));
        }
        mkfs.xfs(target, p.label());
        return target;
    }

    private Path mount(Path source, String name, String fsType, Deque<Cleanup> cleanups) throws IOException {
        Path target = Files.createDirectories(workDir.resolve(name));
        mounter.mount(source, target, fsType, "");
        cleanups.push(() -> mounter.unmount(target));
        return target;
    }

    private static void runCleanups(Deque<Cleanup> cleanups) throws IOException {
        while (!cleanups.isEmpty()) {
            cleanups.pop().run();
        }
    }

    private static void writeDurably(Path file, byte[] data) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(data));
            ch.force(true);
        }
    }

    /**
     * What boot needs to unlock STATE before the config is readable (Talos keeps the same in META tag 9):
     * the providers and slots, and for static keys the passphrase, since nothing else could supply it.
     */
    static byte[] stateEncryptionJson(List<VolumeEncryption.SlotKey> keys) {
        StringBuilder sb = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < keys.size(); i++) {
            VolumeEncryption.SlotKey k = keys.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"slot\":").append(k.slot()).append(",\"provider\":\"")
                    .append(k.provider().tokenName()).append('"');
            if (k.provider() instanceof dev.basalt.blockd.luks.KeyProvider.Static s) {
                sb.append(",\"passphrase\":\"").append(jsonEscape(s.passphrase())).append('"');
            }
            sb.append('}');
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    @FunctionalInterface
    private interface Cleanup {
        void run() throws IOException;
    }

}
