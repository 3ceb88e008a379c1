package dev.basalt.machined.api;

import dev.basalt.blockd.meta.MetaKey;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * What the machine API allows on META keys, and how they are named as resources.
 *
 * <p>Talos lets an admin write any tag. Basalt refuses the tags its installer and upgrade own, because a stray
 * write there breaks the next boot rather than failing now: STATE's encryption keys (a wrong one locks STATE for
 * good), the upgrade bookkeeping and staged upgrade/wipe requests, and the bootloader the disk image was built
 * with. Everything else (the network platform config 0x0a, the user keys 0x0c-0x0e, the UUID override, ...) is
 * open to admins. Listing shows every key, but the value of STATE's encryption config is never shown: it holds
 * static passphrases and readers may list resources.
 *
 * <p>Stateless; thread-safe.
 */
public final class MetaKeys {
    /** The resource type serving META keys, as Talos names it. */
    public static final String TYPE = "MetaKeys.runtime.talos.dev";
    public static final String NAMESPACE = "runtime";
    /** What a redacted value shows. */
    public static final String REDACTED = "(redacted: holds the STATE encryption keys)";

    private static final Set<MetaKey> SYSTEM_OWNED = EnumSet.of(MetaKey.UPGRADE, MetaKey.STAGED_UPGRADE_IMAGE_REF,
            MetaKey.STAGED_UPGRADE_INSTALL_OPTIONS, MetaKey.STATE_ENCRYPTION_CONFIG, MetaKey.DISK_IMAGE_BOOTLOADER,
            MetaKey.STAGED_WIPE_SELECTORS);

    private MetaKeys() {
    }

    /** The resource id of a key: Talos' {@code 0x%02x} form, e.g. {@code 0x0a}. */
    public static String id(int key) {
        return String.format("0x%02x", key);
    }

    /**
     * Checks that {@code method} may change {@code key}.
     *
     * @param key the request's key (a uint32 on the wire, so possibly negative here)
     * @throws NodeApiException INVALID_ARGUMENT naming the key and why
     */
    public static void checkChangeable(String method, int key) throws NodeApiException {
        if (key < 1 || key > 255) {
            throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT, method + ": META key "
                    + Integer.toUnsignedString(key) + " is out of range; expected 1..255 (0x01..0xff; 0 ends "
                    + "META's record list)");
        }
        Optional<MetaKey> known = MetaKey.of(key);
        if (known.isPresent() && SYSTEM_OWNED.contains(known.get())) {
            throw new NodeApiException(NodeApiException.Code.INVALID_ARGUMENT, method + ": META key " + id(key)
                    + " (" + known.get() + ") is owned by the installer and upgrades and cannot be changed through "
                    + "the API; changeable keys include 0x0a (network platform config) and 0x0c-0x0e (user keys)");
        }
    }

    /** Whether listing shows {@code key}'s value. */
    public static boolean redacted(int key) {
        return key == MetaKey.STATE_ENCRYPTION_CONFIG.tag();
    }
}
