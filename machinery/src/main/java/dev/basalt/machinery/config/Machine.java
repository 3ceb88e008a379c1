package dev.basalt.machinery.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code machine} section of a config, as far as Basalt acts on it. Built from a validated tree by
 * {@link #from}; every default is written where the field is read.
 *
 * <pre>
 * machine:
 *   type: controlplane
 *   token: abcdef.0123456789abcdef
 *   ca: {crt: ..., key: ...}
 *   network: {hostname: cp1, interfaces: [{interface: eth0, dhcp: true}]}
 *   install: {disk: /dev/sda}
 * </pre>
 *
 * <p>All records here are immutable and thread-safe. {@code toString()} of records holding secrets redacts them.
 */
public record Machine(Type type, String token, CertificateAndKey ca, List<String> certSANs, Kubelet kubelet,
                      Network network, Install install, List<File> files, Map<String, String> sysctls, Time time,
                      Optional<DiskEncryption> systemDiskEncryption, Features features,
                      Map<String, String> nodeLabels) {

    /** The role of the machine. {@code join} (Talos' old name for worker) reads as {@link #WORKER}. */
    public enum Type {
        CONTROLPLANE, WORKER, INIT;

        public boolean isControlPlane() {
            return this != WORKER;
        }

        static Type parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "controlplane" -> CONTROLPLANE;
                case "init" -> INIT;
                case "worker", "join" -> WORKER;
                default -> throw new IllegalArgumentException("unknown machine type '" + text
                        + "'; expected controlplane or worker");
            };
        }
    }

    static Machine from(TreeReader m) {
        return new Machine(
                Type.parse(m.string("type", "")),
                m.string("token", ""),
                CertificateAndKey.from(m.object("ca")),
                m.strings("certSANs"),
                Kubelet.from(m.object("kubelet")),
                Network.from(m.object("network")),
                Install.from(m.object("install")),
                m.objects("files").stream().map(File::from).toList(),
                m.stringMap("sysctls"),
                Time.from(m.object("time")),
                m.optionalObject("systemDiskEncryption").map(DiskEncryption::from),
                Features.from(m.object("features")),
                m.stringMap("nodeLabels"));
    }

    @Override
    public String toString() {
        return "Machine[type=" + type + ", token=redacted, ca=" + ca + ", network=" + network + ", install=" + install
                + "]";
    }

    /** {@code machine.kubelet}. An empty image means the default for the Kubernetes version in use. */
    public record Kubelet(String image, List<String> clusterDNS, Map<String, List<String>> extraArgs,
                          List<ExtraMount> extraMounts, List<String> validSubnets) {
        static Kubelet from(TreeReader k) {
            return new Kubelet(
                    k.string("image", ""),
                    k.strings("clusterDNS"),
                    k.args("extraArgs"),
                    k.objects("extraMounts").stream().map(ExtraMount::from).toList(),
                    k.object("nodeIP").strings("validSubnets"));
        }
    }

    /** One of {@code machine.kubelet.extraMounts}. */
    public record ExtraMount(String destination, String type, String source, List<String> options) {
        static ExtraMount from(TreeReader e) {
            return new ExtraMount(e.string("destination", ""), e.string("type", "bind"), e.string("source", ""),
                    e.strings("options"));
        }
    }

    /** {@code machine.network}. Nameservers default to 1.1.1.1 and 8.8.8.8 as in Talos. */
    public record Network(Optional<String> hostname, List<Interface> interfaces, List<String> nameservers,
                          List<String> searchDomains, List<ExtraHost> extraHostEntries) {
        public static final List<String> DEFAULT_NAMESERVERS = List.of("1.1.1.1", "8.8.8.8");

        static Network from(TreeReader n) {
            return new Network(
                    n.optionalString("hostname"),
                    n.objects("interfaces").stream().map(Interface::from).toList(),
                    n.strings("nameservers", DEFAULT_NAMESERVERS),
                    n.strings("searchDomains"),
                    n.objects("extraHostEntries").stream().map(ExtraHost::from).toList());
        }
    }

    /**
     * One of {@code machine.network.interfaces}: either a link name or a device selector. {@code mtu} 0 means the
     * link's default.
     */
    public record Interface(Optional<String> name, Optional<DeviceSelector> deviceSelector, boolean dhcp,
                            List<String> addresses, List<Route> routes, Optional<Vip> vip, List<Vlan> vlans,
                            Optional<Bond> bond, int mtu, boolean ignore) {
        static Interface from(TreeReader i) {
            return new Interface(
                    i.optionalString("interface"),
                    i.optionalObject("deviceSelector").map(DeviceSelector::from),
                    i.bool("dhcp", false),
                    i.strings("addresses"),
                    i.objects("routes").stream().map(Route::from).toList(),
                    i.optionalObject("vip").map(Vip::from),
                    i.objects("vlans").stream().map(Vlan::from).toList(),
                    i.optionalObject("bond").map(Bond::from),
                    (int) i.integer("mtu", 0),
                    i.bool("ignore", false));
        }
    }

    /** Picks links by attributes; empty strings match anything, {@code *} wildcards are allowed. */
    public record DeviceSelector(String busPath, String hardwareAddr, String permanentAddr, String pciID, String driver,
                                 Optional<Boolean> physical) {
        static DeviceSelector from(TreeReader d) {
            return new DeviceSelector(d.string("busPath", ""), d.string("hardwareAddr", ""),
                    d.string("permanentAddr", ""), d.string("pciID", ""), d.string("driver", ""),
                    d.has("physical") ? Optional.of(d.bool("physical", false)) : Optional.empty());
        }
    }

    /** A static route; an empty network is the default route, an empty gateway a link-scope route. */
    public record Route(String network, String gateway, String source, long metric, int mtu) {
        static Route from(TreeReader r) {
            return new Route(r.string("network", ""), r.string("gateway", ""), r.string("source", ""),
                    r.integer("metric", 0), (int) r.integer("mtu", 0));
        }
    }

    /** A layer-2 shared IP held by one node at a time. */
    public record Vip(String ip) {
        static Vip from(TreeReader v) {
            return new Vip(v.string("ip", ""));
        }
    }

    /** A VLAN on top of an interface. */
    public record Vlan(int vlanId, List<String> addresses, boolean dhcp, List<Route> routes, Optional<Vip> vip,
                       int mtu) {
        static Vlan from(TreeReader v) {
            return new Vlan((int) v.integer("vlanId", 0), v.strings("addresses"), v.bool("dhcp", false),
                    v.objects("routes").stream().map(Route::from).toList(), v.optionalObject("vip").map(Vip::from),
                    (int) v.integer("mtu", 0));
        }
    }

    /** Bond options Basalt sets; the kernel's defaults apply to the rest. */
    public record Bond(List<String> interfaces, List<DeviceSelector> deviceSelectors, String mode,
                       String xmitHashPolicy, String lacpRate, long miimon, long updelay, long downdelay,
                       long minLinks) {
        static Bond from(TreeReader b) {
            return new Bond(b.strings("interfaces"),
                    b.objects("deviceSelectors").stream().map(DeviceSelector::from).toList(),
                    b.string("mode", ""), b.string("xmitHashPolicy", ""), b.string("lacpRate", ""),
                    b.integer("miimon", 0), b.integer("updelay", 0), b.integer("downdelay", 0),
                    b.integer("minLinks", 0));
        }
    }

    /** An extra line of /etc/hosts. */
    public record ExtraHost(String ip, List<String> aliases) {
        static ExtraHost from(TreeReader h) {
            return new ExtraHost(h.string("ip", ""), h.strings("aliases"));
        }
    }

    /** {@code machine.install}. The disk is wiped by default, as in Talos. */
    public record Install(Optional<String> disk, Optional<DiskSelector> diskSelector, String image,
                          List<String> extraKernelArgs, boolean wipe) {
        static Install from(TreeReader i) {
            return new Install(i.optionalString("disk"), i.optionalObject("diskSelector").map(DiskSelector::from),
                    i.string("image", ""), i.strings("extraKernelArgs"), i.bool("wipe", true));
        }
    }

    /** Attributes an install disk must match; empty strings match anything. {@code size} is a condition. */
    public record DiskSelector(String size, String name, String model, String serial, String modalias, String uuid,
                               String wwid, String type, String busPath) {
        static DiskSelector from(TreeReader d) {
            return new DiskSelector(d.string("size", ""), d.string("name", ""), d.string("model", ""),
                    d.string("serial", ""), d.string("modalias", ""), d.string("uuid", ""), d.string("wwid", ""),
                    d.string("type", ""), d.string("busPath", ""));
        }
    }

    /** What to do with a file's content. */
    public enum FileOp { CREATE, APPEND, OVERWRITE }

    /** One of {@code machine.files}; permissions default to 0644. */
    public record File(String path, String content, int permissions, FileOp op) {
        static File from(TreeReader f) {
            return new File(f.string("path", ""), f.string("content", ""), (int) f.integer("permissions", 0644),
                    FileOp.valueOf(f.string("op", "create").toUpperCase(Locale.ROOT)));
        }
    }

    /** {@code machine.time}. Servers default to time.cloudflare.com as in Talos. */
    public record Time(boolean disabled, List<String> servers, Optional<Duration> bootTimeout) {
        public static final List<String> DEFAULT_SERVERS = List.of("time.cloudflare.com");

        static Time from(TreeReader t) {
            return new Time(t.bool("disabled", false), t.strings("servers", DEFAULT_SERVERS),
                    t.optionalString("bootTimeout").map(GoDurations::parse));
        }
    }

    /** {@code machine.systemDiskEncryption}: per-partition LUKS2 settings. */
    public record DiskEncryption(Optional<Encryption> state, Optional<Encryption> ephemeral) {
        static DiskEncryption from(TreeReader d) {
            return new DiskEncryption(d.optionalObject("state").map(Encryption::from),
                    d.optionalObject("ephemeral").map(Encryption::from));
        }
    }

    /** LUKS2 settings of one partition; 0 for keySize/blockSize means cryptsetup's default. */
    public record Encryption(String provider, List<EncryptionKey> keys, String cipher, long keySize, long blockSize) {
        static Encryption from(TreeReader e) {
            return new Encryption(e.string("provider", "luks2"),
                    e.objects("keys").stream().map(EncryptionKey::from).toList(),
                    e.string("cipher", ""), e.integer("keySize", 0), e.integer("blockSize", 0));
        }
    }

    /** One key slot and where its key comes from. */
    public record EncryptionKey(int slot, KeySource source) {
        static EncryptionKey from(TreeReader k) {
            KeySource source;
            if (k.has("static")) {
                source = new KeySource.Static(k.object("static").string("passphrase", ""));
            } else if (k.has("tpm") || k.optionalObject("tpm").isPresent()) {
                source = new KeySource.Tpm();
            } else if (k.has("kms")) {
                source = new KeySource.Kms(k.object("kms").string("endpoint", ""));
            } else {
                source = new KeySource.NodeId();
            }
            return new EncryptionKey((int) k.integer("slot", 0), source);
        }
    }

    /** Where a disk encryption key comes from. */
    public sealed interface KeySource {
        /** A passphrase written in the config. */
        record Static(String passphrase) implements KeySource {
            @Override
            public String toString() {
                return "Static[passphrase=redacted]";
            }
        }

        /** Derived from the SMBIOS system UUID and the partition label. */
        record NodeId() implements KeySource {
        }

        /** Sealed to the TPM (PCR 7). */
        record Tpm() implements KeySource {
        }

        /** Sealed by a key management server (accepted, not supported yet). */
        record Kms(String endpoint) implements KeySource {
        }
    }

    /** {@code machine.features} Basalt acts on; both default to on, as in configs Talos generates. */
    public record Features(boolean rbac, boolean apidCheckExtKeyUsage) {
        static Features from(TreeReader f) {
            return new Features(f.bool("rbac", true), f.bool("apidCheckExtKeyUsage", true));
        }
    }
}
