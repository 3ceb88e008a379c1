package dev.basalt.machinery.config;

import dev.basalt.machinery.config.SchemaType.Field;
import dev.basalt.machinery.config.SchemaType.FreeForm;
import dev.basalt.machinery.config.SchemaType.ListOf;
import dev.basalt.machinery.config.SchemaType.MapOf;
import dev.basalt.machinery.config.SchemaType.Merge;
import dev.basalt.machinery.config.SchemaType.Obj;
import dev.basalt.machinery.config.SchemaType.Scalar;
import dev.basalt.machinery.config.SchemaType.ScalarKind;
import dev.basalt.machinery.config.SchemaType.Support;
import java.util.List;

/**
 * Talos' {@code v1alpha1} machine config document, key by key, in Talos' field order (the order of
 * {@code pkg/machinery/config/types/v1alpha1/v1alpha1_types.go}), including the deprecated keys Talos still decodes.
 *
 * <p>Each key says whether Basalt acts on it ({@code on}) or only accepts it so existing Talos configs keep loading
 * ({@code off}: reported as a warning). Merge rules follow Talos: {@code podSubnets}, {@code serviceSubnets} and
 * {@code auditPolicy} are {@code merge:"replace"}; network interfaces merge by {@code interface} or
 * {@code deviceSelector}, VLANs by {@code vlanId}, admission plugins by {@code name}.
 *
 * <p>Immutable; thread-safe.
 */
public final class ConfigSchema {

    private static final SchemaType STR = new Scalar(ScalarKind.STRING, List.of());
    private static final SchemaType INT = new Scalar(ScalarKind.INT, List.of());
    private static final SchemaType BOOL = new Scalar(ScalarKind.BOOL, List.of());
    private static final SchemaType DURATION = new Scalar(ScalarKind.DURATION, List.of());
    private static final SchemaType BYTE_SIZE = new Scalar(ScalarKind.BYTE_SIZE, List.of());
    private static final SchemaType FILE_MODE = new Scalar(ScalarKind.FILE_MODE, List.of());
    private static final SchemaType ARGS = new MapOf(new Scalar(ScalarKind.ARG, List.of()));
    private static final SchemaType STRING_MAP = new MapOf(STR);
    private static final SchemaType STRINGS = new ListOf(STR);
    private static final SchemaType FREE = new FreeForm();

    private static final Obj CERT_AND_KEY = obj("PEMEncodedCertificateAndKey", on("crt", STR), on("key", STR));
    private static final Obj CERT = obj("PEMEncodedCertificate", on("crt", STR));
    private static final Obj KEY = obj("PEMEncodedKey", on("key", STR));

    private static final Obj DEVICE_SELECTOR = obj("NetworkDeviceSelector",
            on("busPath", STR), on("hardwareAddr", STR), on("permanentAddr", STR), on("pciID", STR),
            on("driver", STR), on("physical", BOOL));

    private static final Obj ROUTE = obj("Route",
            on("network", STR), on("gateway", STR), on("source", STR), on("metric", INT), on("mtu", INT));

    private static final Obj DHCP_OPTIONS = obj("DHCPOptions",
            on("routeMetric", INT), on("ipv4", BOOL), on("ipv6", BOOL), on("duidv6", STR));

    private static final Obj VIP = obj("DeviceVIPConfig",
            on("ip", STR),
            off("equinixMetal", obj("VIPEquinixMetalConfig", on("apiToken", STR))),
            off("hcloud", obj("VIPHCloudConfig", on("apiToken", STR))));

    private static final Obj BOND = obj("Bond",
            on("interfaces", STRINGS),
            on("deviceSelectors", new ListOf(DEVICE_SELECTOR)),
            off("arpIPTarget", STRINGS),
            on("mode", oneOf("balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb",
                    "balance-alb")),
            on("xmitHashPolicy", oneOf("layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4")),
            on("lacpRate", oneOf("slow", "fast")),
            off("adActorSystem", STR), off("arpValidate", STR), off("arpAllTargets", STR), off("primary", STR),
            off("primaryReselect", STR), off("failOverMac", STR), off("adSelect", STR),
            on("miimon", INT), on("updelay", INT), on("downdelay", INT), off("arpInterval", INT),
            off("resendIgmp", INT), on("minLinks", INT), off("lpInterval", INT), off("packetsPerSlave", INT),
            off("numPeerNotif", INT), off("tlbDynamicLb", INT), off("allSlavesActive", INT), off("useCarrier", BOOL),
            off("adActorSysPrio", INT), off("adUserPortKey", INT), off("peerNotifyDelay", INT));

    private static final Obj BRIDGE = obj("Bridge",
            on("interfaces", STRINGS),
            on("stp", obj("STP", on("enabled", BOOL))),
            on("vlan", obj("BridgeVLAN", on("vlanFiltering", BOOL))));

    private static final Obj VLAN = obj("Vlan",
            on("addresses", STRINGS), off("cidr", STR), on("routes", new ListOf(ROUTE)), on("dhcp", BOOL),
            on("vlanId", INT), on("mtu", INT), on("vip", VIP), off("dhcpOptions", DHCP_OPTIONS));

    private static final Obj WIREGUARD = obj("DeviceWireguardConfig",
            on("privateKey", STR), on("listenPort", INT), on("firewallMark", INT),
            on("peers", new ListOf(obj("DeviceWireguardPeer", on("publicKey", STR), on("endpoint", STR),
                    on("persistentKeepaliveInterval", DURATION), on("allowedIPs", STRINGS)))));

    private static final Obj DEVICE = obj("Device",
            on("interface", STR),
            on("deviceSelector", DEVICE_SELECTOR),
            on("addresses", STRINGS),
            off("cidr", STR),
            on("routes", new ListOf(ROUTE)),
            on("bond", BOND),
            off("bridge", BRIDGE),
            off("bridgePort", obj("BridgePort", on("master", STR))),
            keyed(on("vlans", new ListOf(VLAN)), "vlanId"),
            on("mtu", INT),
            on("dhcp", BOOL),
            on("ignore", BOOL),
            off("dummy", BOOL),
            off("dhcpOptions", DHCP_OPTIONS),
            off("wireguard", WIREGUARD),
            on("vip", VIP));

    private static final Obj NETWORK = obj("NetworkConfig",
            on("hostname", STR),
            keyed(on("interfaces", new ListOf(DEVICE)), "interface", "deviceSelector"),
            on("nameservers", STRINGS),
            on("searchDomains", STRINGS),
            on("extraHostEntries", new ListOf(obj("ExtraHost", on("ip", STR), on("aliases", STRINGS)))),
            off("kubespan", obj("NetworkKubeSpan",
                    on("enabled", BOOL), on("advertiseKubernetesNetworks", BOOL), on("allowDownPeerBypass", BOOL),
                    on("harvestExtraEndpoints", BOOL), on("mtu", INT),
                    on("filters", obj("KubeSpanFilters", on("endpoints", STRINGS))))),
            off("disableSearchDomain", BOOL));

    private static final Obj ID_MAPPING = obj("LinuxIDMapping",
            on("containerID", INT), on("hostID", INT), on("size", INT));

    private static final Obj KUBELET = obj("KubeletConfig",
            on("image", STR),
            on("clusterDNS", STRINGS),
            on("extraArgs", ARGS),
            on("extraMounts", new ListOf(obj("ExtraMount",
                    on("destination", STR), on("type", STR), on("source", STR), on("options", STRINGS),
                    off("uidMappings", new ListOf(ID_MAPPING)), off("gidMappings", new ListOf(ID_MAPPING))))),
            off("extraConfig", FREE),
            off("credentialProviderConfig", FREE),
            off("defaultRuntimeSeccompProfileEnabled", BOOL),
            off("registerWithFQDN", BOOL),
            on("nodeIP", obj("KubeletNodeIPConfig", on("validSubnets", STRINGS))),
            off("skipNodeRegistration", BOOL),
            off("disableManifestsDirectory", BOOL));

    private static final Obj INSTALL = obj("InstallConfig",
            on("disk", STR),
            on("diskSelector", obj("InstallDiskSelector",
                    on("size", STR), on("name", STR), on("model", STR), on("serial", STR), on("modalias", STR),
                    on("uuid", STR), on("wwid", STR), on("type", oneOf("ssd", "hdd", "nvme", "sd")),
                    on("busPath", STR))),
            on("extraKernelArgs", STRINGS),
            on("image", STR),
            off("extensions", new ListOf(obj("InstallExtensionConfig", on("image", STR)))),
            off("bootloader", BOOL),
            on("wipe", BOOL),
            off("legacyBIOSSupport", BOOL),
            off("grubUseUKICmdline", BOOL));

    private static final Obj ENCRYPTION = obj("EncryptionConfig",
            on("provider", oneOf("luks2")),
            on("keys", new ListOf(obj("EncryptionKey",
                    on("static", obj("EncryptionKeyStatic", on("passphrase", STR))),
                    on("nodeID", obj("EncryptionKeyNodeID")),
                    off("kms", obj("EncryptionKeyKMS", on("endpoint", STR))),
                    on("slot", INT),
                    on("tpm", obj("EncryptionKeyTPM", off("checkSecurebootStatusOnEnroll", BOOL)))))),
            on("cipher", oneOf("aes-xts-plain64", "xchacha12,aes-adiantum-plain64", "xchacha20,aes-adiantum-plain64")),
            on("keySize", INT),
            on("blockSize", INT),
            off("options", new ListOf(oneOf("no_read_workqueue", "no_write_workqueue", "same_cpu_crypt"))));

    private static final Obj FEATURES = obj("FeaturesConfig",
            on("rbac", BOOL),
            off("stableHostname", BOOL),
            off("kubernetesTalosAPIAccess", obj("KubernetesTalosAPIAccessConfig",
                    on("enabled", BOOL), on("allowedRoles", STRINGS), on("allowedKubernetesNamespaces", STRINGS))),
            on("apidCheckExtKeyUsage", BOOL),
            off("diskQuotaSupport", BOOL),
            off("kubePrism", obj("KubePrism", on("enabled", BOOL), on("port", INT))),
            off("hostDNS", obj("HostDNSConfig",
                    on("enabled", BOOL), on("forwardKubeDNSToHost", BOOL), on("resolveMemberNames", BOOL))),
            off("imageCache", obj("ImageCacheConfig", on("localEnabled", BOOL))),
            off("nodeAddressSortAlgorithm", oneOf("v1", "v2")));

    private static final Obj REGISTRIES = obj("RegistriesConfig",
            on("mirrors", new MapOf(obj("RegistryMirrorConfig",
                    on("endpoints", STRINGS), on("overridePath", BOOL), on("skipFallback", BOOL)))),
            on("config", new MapOf(obj("RegistryConfig",
                    on("tls", obj("RegistryTLSConfig",
                            on("clientIdentity", CERT_AND_KEY), on("ca", STR), on("insecureSkipVerify", BOOL))),
                    on("auth", obj("RegistryAuthConfig",
                            on("username", STR), on("password", STR), on("auth", STR), on("identityToken", STR)))))));

    private static final Obj MACHINE = obj("MachineConfig",
            on("type", oneOf("controlplane", "worker", "init", "join")),
            on("token", STR),
            on("ca", CERT_AND_KEY),
            off("acceptedCAs", new ListOf(CERT)),
            on("certSANs", STRINGS),
            off("controlPlane", obj("MachineControlPlaneConfig",
                    on("controllerManager", obj("MachineControllerManagerConfig", on("disabled", BOOL))),
                    on("scheduler", obj("MachineSchedulerConfig", on("disabled", BOOL))))),
            on("kubelet", KUBELET),
            off("pods", new ListOf(FREE)),
            on("network", NETWORK),
            off("disks", new ListOf(obj("MachineDisk",
                    on("device", STR),
                    on("partitions", new ListOf(obj("DiskPartition", on("size", BYTE_SIZE), on("mountpoint", STR))))))),
            on("install", INSTALL),
            on("files", new ListOf(obj("MachineFile",
                    on("content", STR), on("permissions", FILE_MODE), on("path", STR),
                    on("op", oneOf("create", "append", "overwrite"))))),
            off("env", STRING_MAP),
            on("time", obj("TimeConfig", on("disabled", BOOL), on("servers", STRINGS), on("bootTimeout", DURATION))),
            on("sysctls", STRING_MAP),
            off("sysfs", STRING_MAP),
            off("registries", REGISTRIES),
            on("systemDiskEncryption", obj("SystemDiskEncryptionConfig", on("state", ENCRYPTION),
                    on("ephemeral", ENCRYPTION))),
            on("features", FEATURES),
            off("udev", obj("UdevConfig", on("rules", STRINGS))),
            off("logging", obj("LoggingConfig", on("destinations", new ListOf(obj("LoggingDestination",
                    on("endpoint", STR), on("format", oneOf("json_lines")), on("extraTags", STRING_MAP)))))),
            off("kernel", obj("KernelConfig", on("modules", new ListOf(obj("KernelModuleConfig",
                    on("name", STR), on("parameters", STRINGS)))))),
            off("seccompProfiles", new ListOf(obj("MachineSeccompProfile", on("name", STR), on("value", FREE)))),
            off("baseRuntimeSpecOverrides", FREE),
            on("nodeLabels", STRING_MAP),
            off("nodeAnnotations", STRING_MAP),
            off("nodeTaints", STRING_MAP));

    private static final Obj VOLUME_MOUNT = obj("VolumeMountConfig",
            on("hostPath", STR), on("mountPath", STR), on("readonly", BOOL));
    private static final Obj RESOURCES = obj("ResourcesConfig", on("requests", FREE), on("limits", FREE));

    private static final Obj CLUSTER = obj("ClusterConfig",
            on("id", STR),
            on("secret", STR),
            on("controlPlane", obj("ControlPlaneConfig", on("endpoint", STR), on("localAPIServerPort", INT))),
            on("clusterName", STR),
            on("network", obj("ClusterNetworkConfig",
                    on("cni", obj("CNIConfig",
                            on("name", oneOf("flannel", "custom", "none")),
                            on("urls", STRINGS),
                            off("flannel", obj("FlannelCNIConfig", on("extraArgs", STRINGS))))),
                    on("dnsDomain", STR),
                    replace(on("podSubnets", STRINGS)),
                    replace(on("serviceSubnets", STRINGS)))),
            on("token", STR),
            off("aescbcEncryptionSecret", STR),
            on("secretboxEncryptionSecret", STR),
            on("ca", CERT_AND_KEY),
            off("acceptedCAs", new ListOf(CERT)),
            on("aggregatorCA", CERT_AND_KEY),
            on("serviceAccount", KEY),
            on("apiServer", obj("APIServerConfig",
                    on("image", STR), on("extraArgs", ARGS), off("extraVolumes", new ListOf(VOLUME_MOUNT)),
                    off("env", STRING_MAP), on("certSANs", STRINGS), off("disablePodSecurityPolicy", BOOL),
                    keyed(off("admissionControl", new ListOf(obj("AdmissionPluginConfig",
                            on("name", STR), on("configuration", FREE)))), "name"),
                    replace(off("auditPolicy", FREE)),
                    off("resources", RESOURCES),
                    off("authorizationConfig", new ListOf(obj("AuthorizationConfigAuthorizerConfig",
                            on("type", oneOf("Node", "RBAC", "Webhook")), on("name", STR), on("webhook", FREE)))))),
            on("controllerManager", obj("ControllerManagerConfig",
                    on("image", STR), on("extraArgs", ARGS), off("extraVolumes", new ListOf(VOLUME_MOUNT)),
                    off("env", STRING_MAP), off("resources", RESOURCES))),
            on("proxy", obj("ProxyConfig",
                    on("disabled", BOOL), on("image", STR), on("mode", STR), on("extraArgs", ARGS))),
            on("scheduler", obj("SchedulerConfig",
                    on("image", STR), on("extraArgs", ARGS), off("extraVolumes", new ListOf(VOLUME_MOUNT)),
                    off("env", STRING_MAP), off("resources", RESOURCES), off("config", FREE))),
            on("discovery", obj("ClusterDiscoveryConfig",
                    on("enabled", BOOL),
                    on("registries", obj("DiscoveryRegistriesConfig",
                            on("kubernetes", obj("RegistryKubernetesConfig", on("disabled", BOOL))),
                            on("service", obj("RegistryServiceConfig", on("disabled", BOOL), on("endpoint", STR))))))),
            on("etcd", obj("EtcdConfig",
                    on("image", STR), on("ca", CERT_AND_KEY), on("extraArgs", ARGS), off("subnet", STR),
                    on("advertisedSubnets", STRINGS), on("listenSubnets", STRINGS))),
            off("coreDNS", obj("CoreDNS", on("disabled", BOOL), on("image", STR))),
            off("externalCloudProvider", obj("ExternalCloudProviderConfig",
                    on("enabled", BOOL), on("manifests", STRINGS))),
            on("extraManifests", STRINGS),
            off("extraManifestHeaders", STRING_MAP),
            on("inlineManifests", new ListOf(obj("ClusterInlineManifest", on("name", STR), on("contents", STR)))),
            off("adminKubeconfig", obj("AdminKubeconfigConfig", on("certLifetime", DURATION))),
            off("allowSchedulingOnMasters", BOOL),
            on("allowSchedulingOnControlPlanes", BOOL));

    private static final Obj CONFIG = obj("Config",
            on("version", oneOf("v1alpha1")),
            on("debug", BOOL),
            off("persist", BOOL),
            on("machine", MACHINE),
            on("cluster", CLUSTER));

    private ConfigSchema() {
    }

    /** The root of the v1alpha1 document. */
    public static Obj root() {
        return CONFIG;
    }

    /**
     * The schema node at {@code path} and the field that holds it (null at the root, or where the path leaves the
     * schema into free-form content or unknown keys).
     */
    public static Located locate(TreePath path) {
        SchemaType type = CONFIG;
        Field field = null;
        for (Object segment : path.segments()) {
            switch (type) {
                case Obj obj when segment instanceof String key -> {
                    field = obj.field(key);
                    if (field == null) {
                        return new Located(null, null);
                    }
                    type = field.type();
                }
                case MapOf map when segment instanceof String -> {
                    type = map.values();
                    field = null;
                }
                case ListOf list when segment instanceof Integer -> {
                    type = list.items();
                    field = null;
                }
                case FreeForm free -> {
                    return new Located(free, null);
                }
                default -> {
                    return new Located(null, null);
                }
            }
        }
        return new Located(type, field);
    }

    /** Result of {@link #locate}: the schema type at a path (null if unknown) and its declaring field (or null). */
    public record Located(SchemaType type, Field field) {
    }

    private static Obj obj(String name, Field... fields) {
        return new Obj(name, List.of(fields));
    }

    private static Field on(String name, SchemaType type) {
        return new Field(name, type, Support.ACTED_ON, Merge.DEEP, List.of());
    }

    private static Field off(String name, SchemaType type) {
        return new Field(name, type, Support.NOT_ACTED_ON, Merge.DEEP, List.of());
    }

    private static Field replace(Field field) {
        return new Field(field.name(), field.type(), field.support(), Merge.REPLACE, List.of());
    }

    private static Field keyed(Field field, String... keys) {
        return new Field(field.name(), field.type(), field.support(), Merge.KEYED, List.of(keys));
    }

    private static SchemaType oneOf(String... values) {
        return new Scalar(ScalarKind.STRING, List.of(values));
    }
}
