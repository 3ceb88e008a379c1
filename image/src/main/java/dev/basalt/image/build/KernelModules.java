package dev.basalt.image.build;

import dev.basalt.image.host.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Chooses the kernel modules the image carries — storage, network, the filesystems and device-mapper targets
 * Basalt uses — with everything they depend on, decompresses them (so init loads plain .ko files with
 * finit_module and the initramfs' own xz does the compressing), and writes modules.dep and modules.alias with
 * {@code depmod -b}.
 *
 * <p>Not thread-safe.
 */
final class KernelModules {
    /** Modules wanted by name; names the kernel has built in are skipped. */
    static final List<String> WANTED = List.of(
            // virtual hardware
            "virtio_net", "virtio_blk", "virtio_scsi", "virtio_rng", "virtio_balloon", "virtio_console",
            // disks
            "ahci", "ata_piix", "nvme", "sd_mod", "sr_mod", "xhci_pci", "usb_storage",
            // network cards common in servers and hypervisors
            "e1000", "e1000e", "igb", "ixgbe", "vmxnet3", "r8169", "bnxt_en",
            // filesystems and block layers
            "loop", "squashfs", "overlay", "xfs", "vfat", "isofs", "nls_cp437", "nls_ascii", "nls_iso8859_1",
            "dm_mod", "dm_crypt", "dm_verity", "crc32c_generic", "crc32c_intel", "libcrc32c",
            // LUKS2's aes-xts-plain64, in dm-crypt and through AF_ALG for cryptsetup; the CD-ROM under isofs
            "xts", "aesni_intel", "af_alg", "algif_skcipher", "cdrom",
            "af_packet", "tun", "veth", "bridge", "br_netfilter", "vxlan", "nf_conntrack", "ip_tables",
            "iptable_nat", "iptable_filter", "nft_chain_nat", "xt_MASQUERADE", "xt_conntrack", "ipt_REJECT");

    /**
     * The subset the initramfs carries: what init needs to mount the root (loop, squashfs, overlay), the drivers
     * coldplug loads for the hardware present at boot — storage and network cards, and the CPU-accelerated CRC32C
     * and AES, which coldplug matches by CPU feature — and the storage modules init loads by name for installing
     * to disk (init's STORAGE_MODULES: XFS, device mapper, dm-crypt and its ciphers, the CD-ROM and ISO 9660).
     * machined has no module loader, so whatever it needs must be loaded before switch_root. Netfilter stays in
     * the root filesystem.
     */
    static final List<String> BOOT = List.of(
            "virtio_net", "virtio_blk", "virtio_scsi", "virtio_rng", "virtio_balloon", "virtio_console",
            "ahci", "ata_piix", "nvme", "sd_mod", "sr_mod", "cdrom", "xhci_pci", "usb_storage",
            "e1000", "e1000e", "igb", "ixgbe", "vmxnet3", "r8169", "bnxt_en",
            "loop", "squashfs", "overlay",
            "isofs", "xfs", "crc32c_generic", "crc32c_intel", "libcrc32c", "dm_mod", "dm_crypt", "xts",
            "aesni_intel", "af_alg", "algif_skcipher");

    private final Path pool;
    private final String release;

    KernelModules(Path pool, String release) {
        this.pool = pool;
        this.release = release;
    }

    /** The kernel release of the unpacked linux-image package (its only /usr/lib/modules directory). */
    static String releaseOf(Path pool) throws IOException {
        try (var dirs = Files.list(pool.resolve("usr/lib/modules"))) {
            List<Path> all = dirs.toList();
            if (all.size() != 1) {
                throw new IOException("expected one kernel in " + pool.resolve("usr/lib/modules") + ", found "
                        + all);
            }
            return all.getFirst().getFileName().toString();
        }
    }

    /** Copies the wanted modules and their dependencies into {@code stage}/usr/lib/modules/RELEASE and indexes them. */
    List<String> install(Path stage, List<String> wanted) throws IOException {
        if (!Files.exists(pool.resolve("lib/modules").resolve(release).resolve("modules.dep"))) {
            Command.run(null, List.of("depmod", "-b", pool.toString(), release));
        }
        Set<String> files = new LinkedHashSet<>();
        for (String name : wanted) {
            String plan;
            try {
                plan = Command.run(null, List.of("modprobe", "-d", pool.toString(), "-S", release,
                        "--show-depends", "--ignore-install", name));
            } catch (IOException e) {
                if (e.getMessage().contains("not found")) {
                    throw new IOException("kernel " + release + " has no module " + name
                            + " (remove it from the image's module list)", e);
                }
                throw e;
            }
            for (String line : plan.split("\n")) {
                String[] words = line.trim().split("\\s+");
                if (words.length >= 2 && words[0].equals("insmod")) {
                    files.add(words[1]);
                }
            }
        }
        Path moduleRoot = pool.resolve("usr/lib/modules").resolve(release);
        Path target = stage.resolve("usr/lib/modules").resolve(release);
        List<String> names = new ArrayList<>();
        for (String file : files) {
            Path source = Path.of(file);
            Path relative = moduleRoot.relativize(source);
            String plain = relative.toString().replaceAll("\\.ko\\.(xz|zst|gz)$", ".ko");
            Path out = target.resolve(plain);
            Files.createDirectories(out.getParent());
            decompress(source, out);
            names.add(out.getFileName().toString());
        }
        for (String index : List.of("modules.order", "modules.builtin", "modules.builtin.modinfo")) {
            Path src = moduleRoot.resolve(index);
            if (Files.exists(src)) {
                Files.copy(src, target.resolve(index), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Command.run(null, List.of("depmod", "-b", stage.toString(), release));
        return names;
    }

    private static void decompress(Path source, Path out) throws IOException {
        String name = source.getFileName().toString();
        if (name.endsWith(".ko")) {
            Files.copy(source, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        String tool = name.endsWith(".xz") ? "xz" : name.endsWith(".zst") ? "zstd" : "gzip";
        Process process = new ProcessBuilder(tool, "-dc", source.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (InputStream in = process.getInputStream(); OutputStream os = Files.newOutputStream(out)) {
            in.transferTo(os);
        }
        try {
            if (process.waitFor() != 0) {
                throw new IOException(tool + " -dc " + source + " failed with exit code " + process.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted decompressing " + source, e);
        }
    }
}
