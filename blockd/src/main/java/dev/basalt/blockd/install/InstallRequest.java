package dev.basalt.blockd.install;

import dev.basalt.blockd.luks.VolumeEncryption;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything an install needs.
 *
 * @param disk               the target whole-disk device ({@code machine.install.disk})
 * @param kernel             the kernel image copied to {@code BOOT/A/vmlinuz}
 * @param initramfs          the initramfs copied to {@code BOOT/A/initramfs.xz}
 * @param grubModules        directory holding GRUB's {@code i386-pc} and {@code x86_64-efi} module directories
 *                           (Debian: {@code /usr/lib/grub})
 * @param kernelArgs         the kernel command line written into grub.cfg
 * @param config             the machine config saved to STATE
 * @param stateKeys          LUKS2 keys for STATE; empty means not encrypted
 * @param ephemeralKeys      LUKS2 keys for EPHEMERAL; empty means not encrypted
 */
public record InstallRequest(Path disk, Path kernel, Path initramfs, Path grubModules, String kernelArgs,
                             byte[] config, List<VolumeEncryption.SlotKey> stateKeys,
                             List<VolumeEncryption.SlotKey> ephemeralKeys) {
    public InstallRequest {
        Objects.requireNonNull(disk, "disk");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initramfs, "initramfs");
        Objects.requireNonNull(grubModules, "grubModules");
        Objects.requireNonNull(kernelArgs, "kernelArgs");
        config = config.clone();
        stateKeys = List.copyOf(stateKeys);
        ephemeralKeys = List.copyOf(ephemeralKeys);
    }

    @Override
    public byte[] config() {
        return config.clone();
    }

    /** Never prints the config (it holds secrets) or keys. */
    @Override
    public String toString() {
        return "InstallRequest[disk=" + disk + ", kernel=" + kernel + ", initramfs=" + initramfs + ", config="
                + config.length + " bytes, stateEncrypted=" + !stateKeys.isEmpty() + ", ephemeralEncrypted="
                + !ephemeralKeys.isEmpty() + "]";
    }
}
