package dev.basalt.blockd.boot;

import dev.basalt.blockd.device.BlockDevice;
import dev.basalt.blockd.fs.Mkfs;
import dev.basalt.blockd.fs.Mounter;
import dev.basalt.blockd.gpt.Gpt;
import dev.basalt.blockd.gpt.GptPartition;
import dev.basalt.blockd.gpt.GptTable;
import dev.basalt.blockd.install.Installer;
import dev.basalt.blockd.layout.SystemPartition;
import dev.basalt.blockd.luks.KeyProvider;
import dev.basalt.blockd.luks.Luks;
import dev.basalt.blockd.luks.LuksOptions;
import dev.basalt.blockd.luks.VolumeEncryption;
import dev.basalt.blockd.meta.MetaKey;
import dev.basalt.blockd.meta.MetaStore;
import dev.basalt.machinery.exec.Exec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Boot from an installed disk: finds the disk whose GPT holds Basalt's system partitions, unlocks STATE (LUKS2
 * keys described in META, as the installer recorded them) and EPHEMERAL (keys from the machine config) when they
 * are encrypted, and mounts them.
 *
 * <p>Thread-safe as its {@link Exec} and {@link Mounter} are; mounting the same volume twice is the caller's error.
 */
public final class SystemVolumes {
    /** The installed system disk and its partition table. */
    public record SystemDisk(Path disk, GptTable table) {
        public Path partition(SystemPartition p) {
            return Installer.partitionNode(disk, p);
        }
    }

    private final Exec exec;
    private final Mounter mounter;
    private final KeyProvider.NodeId nodeId;

    public SystemVolumes(Exec exec, Mounter mounter, KeyProvider.NodeId nodeId) {
        this.exec = exec;
        this.mounter = mounter;
        this.nodeId = nodeId;
    }

    /**
     * The first of {@code disks} whose GPT names STATE, EPHEMERAL and META partitions where the system layout
     * puts them. Disks that cannot be read or have no valid GPT are skipped.
     */
    public static Optional<SystemDisk> locate(List<Path> disks) {
        for (Path disk : disks) {
            try (BlockDevice dev = BlockDevice.open(disk)) {
                Optional<GptTable> table = Gpt.read(dev).table();
                if (table.isPresent() && isSystemLayout(table.get())) {
                    return Optional.of(new SystemDisk(disk, table.get()));
                }
            } catch (IOException | RuntimeException e) {
                // not readable or not a GPT disk: not the system disk
            }
        }
        return Optional.empty();
    }

    static boolean isSystemLayout(GptTable table) {
        for (SystemPartition p : List.of(SystemPartition.META, SystemPartition.STATE, SystemPartition.EPHEMERAL)) {
            Optional<GptPartition> found = table.byNumber(p.number());
            if (found.isEmpty() || !found.get().name().equals(p.label())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Unlocks STATE if it is LUKS2 (static passphrases from META's state encryption record, nodeID keys derived
     * here) and mounts it at {@code target}.
     *
     * @return what was mounted, for the boot log
     */
    public String mountState(SystemDisk system, Path target) throws IOException {
        Path node = system.partition(SystemPartition.STATE);
        if (Files.exists(node) && probe(node) == Content.BLANK) {
            return "STATE " + node + " holds no file system (wiped by a reset): no config";
        }
        Map<Integer, KeyProvider.Static> statics = Map.of();
        Optional<byte[]> record = readMeta(system, MetaKey.STATE_ENCRYPTION_CONFIG);
        if (record.isPresent()) {
            statics = staticPassphrases(record.get());
        }
        return mount(system, SystemPartition.STATE, statics, target);
    }

    /**
     * Unlocks EPHEMERAL if it is LUKS2 ({@code statics}: slot to passphrase from the machine config) and mounts it
     * at {@code target}. A blank EPHEMERAL (wiped by a reset) is formatted first, encrypted with {@code keys} when
     * the config asks for encryption, as Talos recreates it at boot.
     */
    public String mountEphemeral(SystemDisk system, List<VolumeEncryption.SlotKey> keys,
                                 Map<Integer, KeyProvider.Static> statics, Path target) throws IOException {
        Path node = system.partition(SystemPartition.EPHEMERAL);
        String formatted = "";
        if (Files.exists(node) && probe(node) == Content.BLANK) {
            Path fs = node;
            if (!keys.isEmpty()) {
                Luks luks = new Luks(exec);
                new VolumeEncryption(luks).format(node, SystemPartition.EPHEMERAL.label(), keys, LuksOptions.defaults());
                fs = luks.open(node, "ephemeral-format", keys.getFirst().provider().key(SystemPartition.EPHEMERAL.label()));
                new Mkfs(exec).xfs(fs, SystemPartition.EPHEMERAL.label());
                luks.close("ephemeral-format");
            } else {
                new Mkfs(exec).xfs(fs, SystemPartition.EPHEMERAL.label());
            }
            formatted = "formatted blank EPHEMERAL" + (keys.isEmpty() ? "" : " (LUKS2)") + "; ";
        }
        return formatted + mount(system, SystemPartition.EPHEMERAL, statics, target);
    }

    /** What the start of a partition holds. */
    enum Content { XFS, LUKS, BLANK, OTHER }

    static Content probe(Path node) throws IOException {
        byte[] head = new byte[8];
        try (var ch = Files.newByteChannel(node)) {
            ch.read(java.nio.ByteBuffer.wrap(head));
        }
        if (head[0] == 'X' && head[1] == 'F' && head[2] == 'S' && head[3] == 'B') {
            return Content.XFS;
        }
        if (head[0] == 'L' && head[1] == 'U' && head[2] == 'K' && head[3] == 'S' && (head[4] & 0xff) == 0xba
                && (head[5] & 0xff) == 0xbe) {
            return Content.LUKS;
        }
        for (byte b : head) {
            if (b != 0) {
                return Content.OTHER;
            }
        }
        return Content.BLANK;
    }

    /** How much of a partition a wipe zeroes: the whole LUKS2 header and key slot area, any file system's start. */
    static final long WIPE_BYTES = 16L << 20;

    /**
     * Wipes {@code labels} of the system disk (zeroing the start of each partition: file system superblocks, LUKS2
     * headers and key slots, META's copies), or with no labels the whole disk's partitioning (both GPT headers,
     * the MBR and the start of every partition), so the machine no longer boots from it. File systems on it must
     * be unmounted.
     *
     * @return what was wiped
     */
    public static String wipe(SystemDisk system, List<String> labels) throws IOException {
        try (BlockDevice dev = BlockDevice.open(system.disk())) {
            return wipe(system, labels, dev);
        }
    }

    /** {@link #wipe(SystemDisk, List)} through {@code dev}, the system disk opened by the caller. */
    public static String wipe(SystemDisk system, List<String> labels, BlockDevice dev) throws IOException {
        List<String> done = new java.util.ArrayList<>();
        {
            int ss = dev.sectorSize();
            for (GptPartition p : system.table().partitions()) {
                if (labels.isEmpty() || labels.contains(p.name())) {
                    zero(dev, p.offsetBytes(ss), Math.min(WIPE_BYTES, p.sizeBytes(ss)));
                    done.add(p.name());
                }
            }
            if (labels.isEmpty()) {
                zero(dev, 0, 1L << 20);
                zero(dev, dev.size() - (1L << 20), 1L << 20);
                done.add("partition table");
            }
            dev.sync();
        }
        return "wiped " + String.join(", ", done) + " on " + system.disk();
    }

    /** Wipes a whole disk's signatures: the first and last 16 MiB (partition tables, file system and LUKS headers). */
    public static void wipeDisk(BlockDevice dev) throws IOException {
        long span = Math.min(WIPE_BYTES, dev.size());
        zero(dev, 0, span);
        zero(dev, dev.size() - span, span);
        dev.sync();
    }

    private static void zero(BlockDevice dev, long offset, long length) throws IOException {
        byte[] zeros = new byte[1 << 20];
        for (long at = 0; at < length; at += zeros.length) {
            int n = (int) Math.min(zeros.length, length - at);
            dev.write(offset + at, n == zeros.length ? zeros : new byte[n]);
        }
    }

    private String mount(SystemDisk system, SystemPartition p, Map<Integer, KeyProvider.Static> statics, Path target)
            throws IOException {
        Path node = system.partition(p);
        if (!Files.exists(node)) {
            throw new IOException(p.label() + " partition " + node + " has no device node; the kernel did not"
                    + " read " + system.disk() + "'s partition table");
        }
        Path source = node;
        String how = "";
        Luks luks = new Luks(exec);
        if (luks.isLuks2(node)) {
            String mapper = p.label().toLowerCase(Locale.ROOT);
            source = new VolumeEncryption(luks).unlock(node, p.label(), mapper, nodeId, statics);
            how = " (LUKS2, unlocked as " + source + ")";
        }
        Files.createDirectories(target);
        mounter.mount(source, target, "xfs", "");
        return p.label() + " " + node + how + " mounted at " + target;
    }

    /**
     * How META reads on {@code system}: which copy is used and why, for the boot log. A damaged first copy is
     * reported, not repaired; the next write rewrites both.
     */
    public static String metaStatus(SystemDisk system) {
        GptPartition meta = system.table().byNumber(SystemPartition.META.number()).orElseThrow();
        try (BlockDevice dev = BlockDevice.open(system.disk())) {
            MetaStore store = MetaStore.load(dev, meta.offsetBytes(dev.sectorSize()), meta.sizeBytes(dev.sectorSize()));
            int keys = store.all().size();
            return switch (store.source()) {
                case PRIMARY -> "META: " + keys + " key(s) from copy 1";
                case SECONDARY -> "META: " + store.problems() + "; " + keys + " key(s) from copy 2";
                case EMPTY -> "META: no valid copy (" + store.problems() + "); empty";
            };
        } catch (IOException | RuntimeException e) {
            return "META: unreadable (" + e.getMessage() + ")";
        }
    }

    private static Optional<byte[]> readMeta(SystemDisk system, MetaKey key) throws IOException {
        GptPartition meta = system.table().byNumber(SystemPartition.META.number()).orElseThrow();
        try (BlockDevice dev = BlockDevice.open(system.disk())) {
            MetaStore store = MetaStore.load(dev, meta.offsetBytes(dev.sectorSize()), meta.sizeBytes(dev.sectorSize()));
            return store.get(key);
        }
    }

    private static final Pattern KEY = Pattern.compile(
            "\\{\"slot\":(\\d+),\"provider\":\"([A-Za-z]+)\"(?:,\"passphrase\":\"((?:[^\"\\\\]|\\\\.)*)\")?}");

    /** Static passphrases by slot from the installer's state encryption record ({@code {"keys":[...]}}). */
    public static Map<Integer, KeyProvider.Static> staticPassphrases(byte[] record) {
        Map<Integer, KeyProvider.Static> out = new HashMap<>();
        Matcher m = KEY.matcher(new String(record, StandardCharsets.UTF_8));
        while (m.find()) {
            if (m.group(2).equals("static") && m.group(3) != null) {
                out.put(Integer.parseInt(m.group(1)), new KeyProvider.Static(unescape(m.group(3))));
            }
        }
        return Map.copyOf(out);
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i);
            if (n == 'u' && i + 4 < s.length()) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                i += 4;
            } else {
                sb.append(n);
            }
        }
        return sb.toString();
    }
}
