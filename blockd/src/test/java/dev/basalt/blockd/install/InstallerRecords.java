package dev.basalt.blockd.install;

import dev.basalt.blockd.luks.VolumeEncryption;
import java.util.List;

/** Test access to the installer's package-private records. */
public final class InstallerRecords {
    private InstallerRecords() {
    }

    public static byte[] stateEncryption(List<VolumeEncryption.SlotKey> keys) {
        return Installer.stateEncryptionJson(keys);
    }
}
