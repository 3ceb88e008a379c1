package dev.basalt.blockd.layout;

import dev.basalt.blockd.gpt.GptPartition;
import dev.basalt.blockd.gpt.GptTable;

/** Whether the system layout fits a disk, and if so the partition table to write. */
public sealed interface LayoutPlan {
    /** The layout fits; {@code table} is what to write. */
    record Fits(GptTable table) implements LayoutPlan {
        public GptPartition partition(SystemPartition role) {
            return table.byNumber(role.number()).orElseThrow();
        }
    }

    /** The disk is smaller than the layout needs; nothing may be written. */
    record TooSmall(String disk, long neededBytes, long actualBytes) implements LayoutPlan {
        public String message() {
            return "install disk " + disk + " is too small: the system layout needs at least " + neededBytes
                    + " bytes (" + neededBytes / SystemLayout.MIB + " MiB), the disk has " + actualBytes
                    + " bytes (" + actualBytes / SystemLayout.MIB + " MiB)";
        }
    }
}
