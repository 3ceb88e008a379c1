package dev.basalt.machined.api;

import java.io.IOException;
import java.util.List;

/**
 * Read-only facts about the machine machined runs on, as the node API reports them. The real
 * implementation ({@link LinuxHostFacts}) reads /proc and /sys; tests point it at a fake tree.
 *
 * <p>Implementations must be thread-safe: the API server calls them from many virtual threads.
 */
public interface HostFacts {
    /** The node's hostname. */
    String hostname() throws IOException;

    /** /proc/meminfo as name -> value (kB values as printed; counts as printed). */
    java.util.Map<String, Long> memInfo() throws IOException;

    /** Every process visible in /proc; processes that vanish while being read are skipped. */
    List<ProcessSample> processes() throws IOException;

    /** Mounted filesystems with their capacity (mounts whose capacity cannot be read report zero). */
    List<MountSample> mounts() throws IOException;

    /** Block devices backed by hardware (sysfs {@code device} link present). */
    List<DiskSample> disks() throws IOException;

    /** Seconds since the epoch at which the kernel booted (/proc/stat {@code btime}). */
    long bootTimeEpochSeconds() throws IOException;

    /** One process. Memory in bytes, CPU time in seconds. */
    record ProcessSample(int pid, int ppid, String state, int threads, double cpuSeconds, long virtualBytes,
                         long residentBytes, String command, String executable, String args) {
    }

    /** One mount. Sizes in bytes. */
    record MountSample(String filesystem, String mountedOn, long sizeBytes, long availableBytes) {
    }

    /** Kind of disk, as the storage API names it. */
    enum DiskKind { UNKNOWN, SSD, HDD, NVME, SD }

    /** One disk. */
    record DiskSample(String deviceName, long sizeBytes, String model, String serial, String modalias,
                      String uuid, String wwid, DiskKind kind, String busPath, String subsystem) {
    }
}
