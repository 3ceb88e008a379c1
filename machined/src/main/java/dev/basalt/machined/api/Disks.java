package dev.basalt.machined.api;

import dev.basalt.blockd.disks.Disk;
import dev.basalt.blockd.disks.DiskDiscovery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The {@code Disks.block.talos.dev} resource: one per whole disk, id the kernel name ({@code vda}), spec in the
 * field names and order of Talos' {@code DiskSpec} so {@code get disks -o yaml} and disk selectors read the same
 * as on Talos:
 *
 * <pre>
 * dev_path: /dev/nvme0n1
 * size: 10485760000
 * pretty_size: 10 GB
 * io_size: 512
 * sector_size: 512
 * readonly: false
 * cdrom: false
 * model: QEMU NVMe Ctrl
 * serial: deadbeef
 * wwid: nvme.1b36-...
 * sub_system: /sys/class/block
 * transport: nvme
 * rotational: true
 * </pre>
 *
 * <p>Like Talos, {@code model}, {@code serial}, {@code wwid} and {@code transport} are left out when empty and
 * {@code rotational} when false. Fields blockd's discovery does not read (modalias, uuid, bus_path, symlinks,
 * secondary disks) are left out. {@code io_size} is the logical sector size: Talos asks the kernel for the optimal
 * I/O size, then the minimum one, and both default to the logical block size on disks that do not report better.
 *
 * <p>Stateless; thread-safe.
 */
public final class Disks {
    /** The resource type, as Talos names it. */
    public static final String TYPE = "Disks.block.talos.dev";
    public static final String NAMESPACE = "runtime";
    /** No disks (a node that cannot see any, and the old constructors). */
    public static final Supplier<List<Disk>> NONE = List::of;

    /** The sysfs directory class every block device sits under, as Talos reports it. */
    private static final String SUB_SYSTEM = "/sys/class/block";
    /** Block major of SCSI CD-ROM drives (Documentation/admin-guide/devices.txt: 11 block, "SCSI CD-ROM devices"). */
    private static final String CDROM_MAJOR = "11";
    private static final String[] SI_UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9/][A-Za-z0-9 ._/:+-]*");
    private static final Pattern LOOKS_TYPED = Pattern.compile(
            "true|false|yes|no|on|off|y|n|null|[-+.]?[0-9].*|\\.inf|\\.nan");

    private Disks() {
    }

    /**
     * The disks {@code DiskDiscovery} finds under {@code sysRoot}, read afresh on every call.
     *
     * @throws UncheckedIOException from {@code get()} when sysfs cannot be read (the list call reports it)
     */
    public static Supplier<List<Disk>> fromSysfs(Path sysRoot) {
        return () -> {
            try {
                return DiskDiscovery.discover(sysRoot);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** The resource spec of {@code disk} as YAML. */
    public static String yaml(Disk disk) {
        StringBuilder y = new StringBuilder();
        y.append("dev_path: ").append(scalar(disk.devPath().toString())).append('\n');
        y.append("size: ").append(disk.sizeBytes()).append('\n');
        y.append("pretty_size: ").append(prettySize(disk.sizeBytes())).append('\n');
        y.append("io_size: ").append(disk.sectorSize()).append('\n');
        y.append("sector_size: ").append(disk.sectorSize()).append('\n');
        y.append("readonly: ").append(disk.readOnly()).append('\n');
        y.append("cdrom: ").append(cdrom(disk)).append('\n');
        optional(y, "model", disk.model());
        optional(y, "serial", disk.serial());
        optional(y, "wwid", disk.wwid());
        y.append("sub_system: ").append(SUB_SYSTEM).append('\n');
        optional(y, "transport", disk.transport().wireName());
        if (disk.rotational()) {
            y.append("rotational: true\n");
        }
        return y.toString();
    }

    /** Whether the disk is a CD-ROM drive, told by its block major. */
    static boolean cdrom(Disk disk) {
        int colon = disk.devNumber().indexOf(':');
        return colon > 0 && disk.devNumber().substring(0, colon).equals(CDROM_MAJOR);
    }

    /**
     * A size in SI units the way Talos prints {@code pretty_size} (go-humanize's {@code Bytes}): below 10 bytes
     * as {@code N B}; otherwise rounded to one decimal in the largest unit not above it, shown with that decimal
     * below 10 and without it from 10 on ({@code 1.5 GB}, {@code 10 GB}, {@code 75 MB}).
     */
    static String prettySize(long bytes) {
        if (bytes < 10) {
            return bytes + " B";
        }
        double size = unsigned(bytes);
        int exp = Math.min((int) Math.floor(Math.log(size) / Math.log(1000)), SI_UNITS.length - 1);
        double value = Math.floor(size / Math.pow(1000, exp) * 10 + 0.5) / 10;
        // Go formats with correct rounding of the exact binary value, i.e. ties to even; String.format rounds up.
        int scale = value < 10 ? 1 : 0;
        return new BigDecimal(value).setScale(scale, RoundingMode.HALF_EVEN).toPlainString() + " " + SI_UNITS[exp];
    }

    private static double unsigned(long value) {
        return value >= 0 ? value : (value >>> 1) * 2.0 + (value & 1);
    }

    private static void optional(StringBuilder y, String key, String value) {
        if (!value.isEmpty()) {
            y.append(key).append(": ").append(scalar(value)).append('\n');
        }
    }

    /**
     * A YAML scalar: plain when no YAML 1.1 or 1.2 reader could take it for anything but that string (a bool, a
     * number, a timestamp, a mapping key), double-quoted otherwise.
     */
    static String scalar(String value) {
        boolean plain = PLAIN.matcher(value).matches() && !value.endsWith(" ") && !value.endsWith(":")
                && !value.contains(": ") && !value.contains(" #")
                && !LOOKS_TYPED.matcher(value.toLowerCase(Locale.ROOT)).matches();
        return plain ? value : HostResources.yamlQuoted(value);
    }
}
