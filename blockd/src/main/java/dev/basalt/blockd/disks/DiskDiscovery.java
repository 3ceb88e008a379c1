package dev.basalt.blockd.disks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Lists the machine's disks from sysfs ({@code SYSROOT/block/*}), the data behind {@code basaltctl disks} and
 * {@code get disks}. The sysfs root is a parameter so tests read a fixture tree and production reads
 * {@code /sys}.
 *
 * <p>Sizes in sysfs count 512-byte sectors whatever the device's logical block size
 * (Documentation/ABI/stable/sysfs-block). Virtual devices (loop, ram, zram, device-mapper, nbd) and empty ones
 * are left out unless asked for. The transport is read from where the device sits in the device tree.
 *
 * <p>Stateless; thread-safe.
 */
public final class DiskDiscovery {
    private static final List<String> VIRTUAL_PREFIXES = List.of("loop", "ram", "zram", "dm-", "nbd");

    /**
     * What to list.
     *
     * @param includeVirtual    also list loop, ram, zram, dm and nbd devices
     * @param bootDeviceNumbers {@code MAJOR:MINOR} of block devices the system booted from (a disk or one of its
     *                          partitions); the disk holding any of them is marked as the boot medium
     */
    public record Options(boolean includeVirtual, Set<String> bootDeviceNumbers) {
        public Options {
            bootDeviceNumbers = Set.copyOf(bootDeviceNumbers);
        }

        public static Options defaults() {
            return new Options(false, Set.of());
        }
    }

    private DiskDiscovery() {
    }

    /** Physical disks under {@code sysRoot}, none marked as boot medium. */
    public static List<Disk> discover(Path sysRoot) throws IOException {
        return discover(sysRoot, Options.defaults());
    }

    /** Disks under {@code sysRoot}, ordered by name. A directory that is not a readable disk is skipped. */
    public static List<Disk> discover(Path sysRoot, Options options) throws IOException {
        Path block = sysRoot.resolve("block");
        List<Disk> disks = new ArrayList<>();
        if (!Files.isDirectory(block)) {
            throw new IOException(block + " does not exist: is sysfs mounted at " + sysRoot + "?");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(block)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!options.includeVirtual() && VIRTUAL_PREFIXES.stream().anyMatch(name::startsWith)) {
                    continue;
                }
                read(entry, name, options).ifPresent(disks::add);
            }
        }
        disks.sort(Comparator.comparing(Disk::name));
        return List.copyOf(disks);
    }

    private static Optional<Disk> read(Path dir, String name, Options options) throws IOException {
        Optional<Long> sectors = text(dir.resolve("size")).flatMap(DiskDiscovery::parseLong);
        if (sectors.isEmpty() || sectors.get() == 0) {
            return Optional.empty();
        }
        String devNumber = text(dir.resolve("dev")).orElse("");
        int sectorSize = text(dir.resolve("queue/logical_block_size")).flatMap(DiskDiscovery::parseLong)
                .map(Long::intValue).orElse(512);
        Path device = dir.resolve("device");
        String model = text(device.resolve("model")).orElse("");
        String serial = text(dir.resolve("serial")).or(() -> text(device.resolve("serial")))
                .or(() -> vpdSerial(device.resolve("vpd_pg80"))).orElse("");
        String wwid = text(dir.resolve("wwid")).or(() -> text(device.resolve("wwid"))).orElse("");
        boolean rotational = text(dir.resolve("queue/rotational")).map("1"::equals).orElse(false);
        boolean readOnly = text(dir.resolve("ro")).map("1"::equals).orElse(false);
        boolean removable = text(dir.resolve("removable")).map("1"::equals).orElse(false);
        boolean boot = options.bootDeviceNumbers().contains(devNumber)
                || partitionNumbers(dir, name).stream().anyMatch(options.bootDeviceNumbers()::contains);
        return Optional.of(new Disk(name, Path.of("/dev", name), devNumber, sectors.get() * 512, sectorSize, model,
                serial, wwid, transport(dir, name), rotational, readOnly, removable, boot));
    }

    /** Device numbers of the partitions ({@code NAME/NAMEp*} subdirectories with a {@code partition} file). */
    private static List<String> partitionNumbers(Path dir, String name) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, name + "*")) {
            for (Path child : children) {
                if (Files.exists(child.resolve("partition"))) {
                    text(child.resolve("dev")).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    /** Where the device sits in /sys/devices tells how it is attached. */
    static Transport transport(Path dir, String name) {
        if (name.startsWith("loop")) {
            return Transport.LOOP;
        }
        if (name.startsWith("nvme")) {
            return Transport.NVME;
        }
        String path;
        try {
            path = dir.toRealPath().toString();
        } catch (IOException e) {
            return Transport.UNKNOWN;
        }
        if (path.contains("/usb")) {
            return Transport.USB;
        }
        if (path.contains("/ata")) {
            return Transport.SATA;
        }
        if (path.contains("/mmc")) {
            return Transport.MMC;
        }
        if (path.contains("/nvme")) {
            return Transport.NVME;
        }
        if (path.contains("/virtio")) {
            // virtio-scsi disks sit under a SCSI host below the virtio device.
            return path.contains("/target") ? Transport.SCSI : Transport.VIRTIO;
        }
        if (path.contains("/host") && path.contains("/target")) {
            return Transport.SCSI;
        }
        return Transport.UNKNOWN;
    }

    /** SCSI VPD page 0x80: a 4-byte header (length in bytes 2-3) then the serial number in ASCII (SPC-4 7.8.17). */
    private static Optional<String> vpdSerial(Path file) {
        try {
            if (!Files.isReadable(file)) {
                return Optional.empty();
            }
            byte[] page = Files.readAllBytes(file);
            if (page.length < 4 || page[1] != (byte) 0x80) {
                return Optional.empty();
            }
            int len = Math.min(((page[2] & 0xFF) << 8) | (page[3] & 0xFF), page.length - 4);
            String s = new String(page, 4, len, StandardCharsets.US_ASCII).strip();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> text(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (IOException | java.io.UncheckedIOException e) {
            // Some attributes exist but refuse reads (EIO on a dying device, EACCES): treat as not reported.
            return Optional.empty();
        }
    }

    private static Optional<Long> parseLong(String s) {
        try {
            return Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
