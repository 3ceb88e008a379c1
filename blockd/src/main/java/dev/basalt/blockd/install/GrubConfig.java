package dev.basalt.blockd.install;

/**
 * The grub.cfg on BOOT: boot slot {@code A} or {@code B} by default, the other as fallback. GRUB's root is the
 * BOOT file system (its prefix), so kernel paths are relative to it.
 *
 * <p>Stateless; thread-safe.
 */
public final class GrubConfig {
    /** The A/B slots on BOOT. */
    public enum Slot { A, B }

    private GrubConfig() {
    }

    /** grub.cfg text booting {@code defaultSlot}, falling back to the other slot when it has a kernel. */
    public static String render(Slot defaultSlot, boolean fallbackPresent, String kernelArgs) {
        if (kernelArgs.contains("\n") || kernelArgs.contains("\"")) {
            throw new IllegalArgumentException("kernel arguments must not contain newlines or double quotes: "
                    + kernelArgs);
        }
        Slot other = defaultSlot == Slot.A ? Slot.B : Slot.A;
        StringBuilder sb = new StringBuilder();
        sb.append("# Written by Basalt; rewritten on every install and upgrade.\n");
        sb.append("set default=\"").append(defaultSlot).append(" - Basalt\"\n");
        if (fallbackPresent) {
            sb.append("set fallback=\"").append(other).append(" - Basalt\"\n");
        }
        sb.append("set timeout=3\n\n");
        sb.append("insmod all_video\n");
        sb.append("terminal_input console serial\nterminal_output console serial\n\n");
        entry(sb, defaultSlot, kernelArgs);
        if (fallbackPresent) {
            entry(sb, other, kernelArgs);
        }
        return sb.toString();
    }

    private static void entry(StringBuilder sb, Slot slot, String kernelArgs) {
        sb.append("menuentry \"").append(slot).append(" - Basalt\" {\n");
        sb.append("  set gfxpayload=text\n");
        sb.append("  linux /").append(slot).append("/vmlinuz ").append(kernelArgs).append('\n');
        sb.append("  initrd /").append(slot).append("/initramfs.xz\n");
        sb.append("}\n");
    }
}
