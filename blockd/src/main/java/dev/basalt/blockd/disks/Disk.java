package dev.basalt.blockd.disks;

import java.nio.file.Path;

/**
 * One whole disk as sysfs describes it. Text fields are empty when the device does not report them.
 *
 * @param name       kernel name ({@code vda}, {@code nvme0n1})
 * @param devPath    its device node, {@code /dev/NAME}
 * @param devNumber  {@code MAJOR:MINOR}
 * @param sizeBytes  capacity in bytes
 * @param sectorSize logical block size in bytes
 * @param model      {@code device/model}
 * @param serial     serial number from {@code serial}, {@code device/serial} or SCSI VPD page 0x80
 * @param wwid       world-wide identifier from {@code wwid} or {@code device/wwid}
 * @param bootMedium whether this disk holds the medium the running system booted from
 */
public record Disk(String name, Path devPath, String devNumber, long sizeBytes, int sectorSize, String model,
                   String serial, String wwid, Transport transport, boolean rotational, boolean readOnly,
                   boolean removable, boolean bootMedium) {
}
