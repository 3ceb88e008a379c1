package dev.basalt.machinery.config;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules a schema cannot express: required keys per machine type, address and CIDR syntax, token formats, PEM
 * material that must decode, duplicates in lists keyed by name or id, and what the {@link ValidationMode} requires.
 * Runs on a tree that passed {@link SchemaValidator}, so every value has its declared type; every problem found is
 * reported, none stops the others.
 *
 * <p>Not thread-safe: one instance per validation run.
 */
final class SemanticValidator {

    private static final Pattern TOKEN = Pattern.compile("[a-z0-9]{6}\\.[a-z0-9]{16}");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?");
    private static final Pattern SYSCTL = Pattern.compile("[a-zA-Z0-9_-]+([./][a-zA-Z0-9_*:@-]+)*");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
    private static final Pattern DISK_SIZE_MATCHER = Pattern.compile("\\s*(>=|<=|>|<|==)?\\s*(.*)");
    private static final Set<String> ETCD_RESERVED_ARGS = Set.of("name", "data-dir", "initial-cluster-state",
            "listen-peer-urls", "listen-client-urls", "cert-file", "key-file", "trusted-ca-file",
            "peer-client-cert-auth", "peer-cert-file", "peer-trusted-ca-file", "peer-key-file");
    private static final int MTU_MIN = 68;
    private static final int MTU_MAX = 65535;

    private final Map<String, Object> root;
    private final ProblemCollector problems;
    private final ValidationMode mode;

    private SemanticValidator(Map<String, Object> root, ProblemCollector problems, ValidationMode mode) {
        this.root = root;
        this.problems = problems;
        this.mode = mode;
    }

    static void validate(Map<String, Object> tree, ProblemCollector problems, ValidationMode mode) {
        new SemanticValidator(tree, problems, mode).run();
    }

    private void run() {
        if (!root.containsKey("version") || root.get("version") == null) {
            problems.error(TreePath.of("version"), "missing key 'version'; expected v1alpha1");
        }
        TreePath machinePath = TreePath.of("machine");
        TreePath clusterPath = TreePath.of("cluster");
        Map<String, Object> machine = map(root.get("machine"));
        Map<String, Object> cluster = map(root.get("cluster"));
        if (machine == null) {
            problems.error(machinePath, "missing section 'machine'");
        }
        if (cluster == null) {
            problems.error(clusterPath, "missing section 'cluster'");
        }
        String type = machine == null ? null : text(machine.get("type"));
        boolean controlPlane = "controlplane".equals(type) || "init".equals(type);
        if (machine != null) {
            if (type == null || type.isEmpty()) {
                problems.error(machinePath.key("type"), "missing machine type; expected one of controlplane, worker");
            } else if ("init".equals(type)) {
                problems.warning(machinePath.key("type"), "machine type 'init' is deprecated; it is treated as controlplane");
            } else if ("join".equals(type)) {
                problems.warning(machinePath.key("type"), "machine type 'join' is deprecated; use worker");
            }
            machine(machine, machinePath, controlPlane, type != null);
        }
        if (cluster != null) {
            cluster(cluster, clusterPath, controlPlane, type != null);
        }
    }

    // ---- machine -------------------------------------------------------------------------------------------------

    private void machine(Map<String, Object> machine, TreePath path, boolean controlPlane, boolean typeKnown) {
        token(machine, path.key("token"), "machine token");
        if (typeKnown) {
            certificateAndKey(machine, path.key("ca"), true, controlPlane);
        } else {
            certificateAndKey(machine, path.key("ca"), false, false);
        }
        acceptedCAs(machine, path.key("acceptedCAs"));
        nonEmptyStrings(machine.get("certSANs"), path.key("certSANs"), "certificate SAN");
        kubelet(map(machine.get("kubelet")), path.key("kubelet"));
        network(map(machine.get("network")), path.key("network"));
        install(map(machine.get("install")), path.key("install"));
        files(list(machine.get("files")), path.key("files"));
        sysctls(map(machine.get("sysctls")), path.key("sysctls"));
        time(map(machine.get("time")), path.key("time"));
        diskEncryption(map(machine.get("systemDiskEncryption")), path.key("systemDiskEncryption"));
        labels(map(machine.get("nodeLabels")), path.key("nodeLabels"));
        Map<String, Object> registries = map(machine.get("registries"));
        if (registries != null) {
            Map<String, Object> config = map(registries.get("config"));
            if (config != null) {
                for (String host : config.keySet()) {
                    Map<String, Object> tls = map(get(config.get(host), "tls"));
                    if (tls != null) {
                        certificateAndKey(tls, path.key("registries").key("config").key(host).key("tls")
                                .key("clientIdentity"), false, false);
                    }
                }
            }
        }
    }

    private void kubelet(Map<String, Object> kubelet, TreePath path) {
        if (kubelet == null) {
            return;
        }
        List<Object> mounts = list(kubelet.get("extraMounts"));
        for (int i = 0; i < mounts.size(); i++) {
            Map<String, Object> mount = map(mounts.get(i));
            TreePath at = path.key("extraMounts").index(i);
            if (mount == null) {
                continue;
            }
            absolutePath(mount, at.key("destination"), true);
            List<String> options = strings(mount.get("options"));
            if (!options.contains("bind") && !options.contains("rbind")) {
                problems.error(at.key("options"), "extra mount options must include 'bind' or 'rbind', found "
                        + options);
            }
        }
        List<Object> dns = list(kubelet.get("clusterDNS"));
        for (int i = 0; i < dns.size(); i++) {
            ip(dns.get(i), path.key("clusterDNS").index(i), "cluster DNS address");
        }
        Map<String, Object> nodeIp = map(kubelet.get("nodeIP"));
        if (nodeIp != null) {
            subnetFilters(nodeIp.get("validSubnets"), path.key("nodeIP").key("validSubnets"));
        }
    }

    private void network(Map<String, Object> network, TreePath path) {
        if (network == null) {
            return;
        }
        String hostname = text(network.get("hostname"));
        if (hostname != null && !hostname.isEmpty() && !isDnsName(hostname)) {
            problems.error(path.key("hostname"), "hostname '" + hostname
                    + "' is not a valid DNS name (labels of letters, digits and '-', at most 63 characters each)");
        }
        List<Object> interfaces = list(network.get("interfaces"));
        Map<String, Integer> names = new HashMap<>();
        Map<Map<String, Object>, Integer> selectors = new HashMap<>();
        for (int i = 0; i < interfaces.size(); i++) {
            Map<String, Object> device = map(interfaces.get(i));
            TreePath at = path.key("interfaces").index(i);
            if (device == null) {
                problems.error(at, "interface entry is empty; expected 'interface' or 'deviceSelector'");
                continue;
            }
            String name = text(device.get("interface"));
            Map<String, Object> selector = map(device.get("deviceSelector"));
            if ((name == null || name.isEmpty()) && selector == null) {
                problems.error(at.key("interface"), "interface entry needs 'interface' or 'deviceSelector'");
            } else if (name != null && !name.isEmpty() && selector != null) {
                problems.error(at.key("deviceSelector"),
                        "'interface' and 'deviceSelector' are mutually exclusive; found both");
            }
            if (name != null && !name.isEmpty()) {
                if (name.length() > 15 || name.contains("/") || name.contains(" ")) {
                    problems.error(at.key("interface"), "interface name '" + name
                            + "' is not a valid link name (at most 15 characters, no '/' or spaces)");
                }
                Integer first = names.putIfAbsent(name, i);
                if (first != null) {
                    problems.error(at.key("interface"), "duplicate interface '" + name
                            + "' (already configured at machine.network.interfaces[" + first + "])");
                }
            }
            if (selector != null) {
                if (selector.values().stream().allMatch(v -> v == null)) {
                    problems.error(at.key("deviceSelector"), "device selector must set at least one of busPath, "
                            + "hardwareAddr, permanentAddr, pciID, driver, physical");
                }
                Integer first = selectors.putIfAbsent(selector, i);
                if (first != null) {
                    problems.error(at.key("deviceSelector"), "duplicate device selector (same as machine.network.interfaces["
                            + first + "])");
                }
            }
            addresses(device.get("addresses"), at.key("addresses"));
            routes(list(device.get("routes")), at.key("routes"));
            vip(map(device.get("vip")), at.key("vip"));
            mtu(device.get("mtu"), at.key("mtu"));
            bond(map(device.get("bond")), at.key("bond"));
            vlans(list(device.get("vlans")), at.key("vlans"));
        }
        List<Object> nameservers = list(network.get("nameservers"));
        for (int i = 0; i < nameservers.size(); i++) {
            ip(nameservers.get(i), path.key("nameservers").index(i), "nameserver");
        }
        List<Object> searchDomains = list(network.get("searchDomains"));
        for (int i = 0; i < searchDomains.size(); i++) {
            String domain = text(searchDomains.get(i));
            if (domain == null || !isDnsName(domain)) {
                problems.error(path.key("searchDomains").index(i), "search domain '" + domain
                        + "' is not a valid DNS name");
            }
        }
        List<Object> hosts = list(network.get("extraHostEntries"));
        for (int i = 0; i < hosts.size(); i++) {
            Map<String, Object> host = map(hosts.get(i));
            TreePath at = path.key("extraHostEntries").index(i);
            if (host == null) {
                continue;
            }
            ip(host.get("ip"), at.key("ip"), "host entry address");
            if (strings(host.get("aliases")).isEmpty()) {
                problems.error(at.key("aliases"), "host entry needs at least one alias");
            }
        }
    }

    private void vlans(List<Object> vlans, TreePath path) {
        Map<Long, Integer> ids = new HashMap<>();
        for (int i = 0; i < vlans.size(); i++) {
            Map<String, Object> vlan = map(vlans.get(i));
            TreePath at = path.index(i);
            if (vlan == null) {
                continue;
            }
            Object id = vlan.get("vlanId");
            if (!(id instanceof Long vlanId)) {
                problems.error(at.key("vlanId"), "missing vlanId; expected an integer from 1 to 4094");
            } else if (vlanId < 1 || vlanId > 4094) {
                problems.error(at.key("vlanId"), "vlanId " + vlanId + " is out of range; expected 1 to 4094");
            } else {
                Integer first = ids.putIfAbsent(vlanId, i);
                if (first != null) {
                    problems.error(at.key("vlanId"), "duplicate vlanId " + vlanId + " (already at "
                            + path.index(first) + ")");
                }
            }
            addresses(vlan.get("addresses"), at.key("addresses"));
            routes(list(vlan.get("routes")), at.key("routes"));
            vip(map(vlan.get("vip")), at.key("vip"));
            mtu(vlan.get("mtu"), at.key("mtu"));
        }
    }

    private void bond(Map<String, Object> bond, TreePath path) {
        if (bond == null) {
            return;
        }
        List<String> members = strings(bond.get("interfaces"));
        List<Object> selectors = list(bond.get("deviceSelectors"));
        if (!members.isEmpty() && !selectors.isEmpty()) {
            problems.error(path.key("deviceSelectors"), "bond 'interfaces' and 'deviceSelectors' are mutually exclusive");
        }
        if (members.isEmpty() && selectors.isEmpty()) {
            problems.error(path.key("interfaces"), "bond needs member 'interfaces' or 'deviceSelectors'");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < members.size(); i++) {
            if (!seen.add(members.get(i))) {
                problems.error(path.key("interfaces").index(i), "duplicate bond member '" + members.get(i) + "'");
            }
        }
        if (bond.get("mode") == null) {
            problems.error(path.key("mode"), "missing bond mode; expected one of balance-rr, active-backup, "
                    + "balance-xor, broadcast, 802.3ad, balance-tlb, balance-alb");
        }
    }

    private void addresses(Object value, TreePath path) {
        List<Object> addresses = list(value);
        for (int i = 0; i < addresses.size(); i++) {
            String address = text(addresses.get(i));
            if (address == null || IpLiterals.addressOrCidr(address).isEmpty()) {
                problems.error(path.index(i), "'" + address + "' is not an IP address or CIDR (such as 192.168.1.10/24)");
            }
        }
    }

    private void routes(List<Object> routes, TreePath path) {
        for (int i = 0; i < routes.size(); i++) {
            Map<String, Object> route = map(routes.get(i));
            TreePath at = path.index(i);
            if (route == null) {
                continue;
            }
            String network = text(route.get("network"));
            if (network != null && !network.isEmpty() && IpLiterals.cidr(network).isEmpty()) {
                problems.error(at.key("network"), "route network '" + network + "' is not a CIDR (such as 10.0.0.0/8)");
            }
            String gateway = text(route.get("gateway"));
            if (gateway != null && !gateway.isEmpty() && IpLiterals.address(gateway).isEmpty()) {
                problems.error(at.key("gateway"), "route gateway '" + gateway + "' is not an IP address");
            }
            if ((network == null || network.isEmpty()) && (gateway == null || gateway.isEmpty())) {
                problems.error(at.key("network"), "route needs a 'network' or a 'gateway'");
            }
            String source = text(route.get("source"));
            if (source != null && !source.isEmpty() && IpLiterals.address(source).isEmpty()) {
                problems.error(at.key("source"), "route source '" + source + "' is not an IP address");
            }
            if (route.get("metric") instanceof Long metric && (metric < 0 || metric > 0xFFFF_FFFFL)) {
                problems.error(at.key("metric"), "route metric " + metric + " is out of range; expected 0 to 4294967295");
            }
            mtu(route.get("mtu"), at.key("mtu"));
        }
    }

    private void vip(Map<String, Object> vip, TreePath path) {
        if (vip == null) {
            return;
        }
        String ip = text(vip.get("ip"));
        if (ip == null || ip.isEmpty()) {
            problems.error(path.key("ip"), "VIP needs an 'ip'");
        } else if (IpLiterals.address(ip).isEmpty()) {
            problems.error(path.key("ip"), "VIP '" + ip + "' must be a single IP address (no prefix length)");
        }
    }

    private void mtu(Object value, TreePath path) {
        if (value instanceof Long mtu && mtu != 0 && (mtu < MTU_MIN || mtu > MTU_MAX)) {
            problems.error(path, "MTU " + mtu + " is out of range; expected " + MTU_MIN + " to " + MTU_MAX);
        }
    }

    private void install(Map<String, Object> install, TreePath path) {
        boolean hasDisk = install != null && text(install.get("disk")) != null && !text(install.get("disk")).isEmpty();
        Map<String, Object> selector = install == null ? null : map(install.get("diskSelector"));
        switch (mode) {
            case METAL -> {
                if (!hasDisk && selector == null) {
                    problems.error(path.key("disk"), "metal mode needs an install disk: set 'disk' or 'diskSelector'");
                }
            }
            case CONTAINER -> {
                if (hasDisk || selector != null) {
                    problems.warning(path, "install settings have no effect in container mode (there is no disk to install to)");
                }
            }
            case CLOUD -> {
            }
        }
        if (install == null) {
            return;
        }
        if (hasDisk && !text(install.get("disk")).startsWith("/")) {
            problems.error(path.key("disk"), "install disk '" + text(install.get("disk"))
                    + "' must be an absolute device path such as /dev/sda");
        }
        if (selector != null) {
            String size = text(selector.get("size"));
            if (size != null) {
                Matcher m = DISK_SIZE_MATCHER.matcher(size);
                if (!m.matches() || ByteSizes.parse(m.group(2)) < 0) {
                    problems.error(path.key("diskSelector").key("size"), "disk size '" + size
                            + "' is not a size condition; expected [>=|<=|>|<|==]SIZE such as '>= 1TB'");
                }
            }
            if (selector.values().stream().allMatch(v -> v == null)) {
                problems.error(path.key("diskSelector"), "disk selector must set at least one attribute");
            }
        }
        String image = text(install.get("image"));
        if (install.containsKey("image") && (image == null || image.isBlank())) {
            problems.error(path.key("image"), "install image must not be empty");
        }
        nonEmptyStrings(install.get("extraKernelArgs"), path.key("extraKernelArgs"), "kernel argument");
    }

    private void files(List<Object> files, TreePath path) {
        for (int i = 0; i < files.size(); i++) {
            Map<String, Object> file = map(files.get(i));
            TreePath at = path.index(i);
            if (file == null) {
                continue;
            }
            absolutePath(file, at.key("path"), true);
            if (file.get("op") == null) {
                problems.error(at.key("op"), "missing file op; expected one of create, append, overwrite");
            }
        }
    }

    private void sysctls(Map<String, Object> sysctls, TreePath path) {
        if (sysctls == null) {
            return;
        }
        for (Map.Entry<String, Object> entry : sysctls.entrySet()) {
            if (!SYSCTL.matcher(entry.getKey()).matches() || entry.getKey().length() > 256) {
                problems.error(path.key(entry.getKey()), "'" + entry.getKey()
                        + "' is not a sysctl name (such as net.ipv4.ip_forward)");
            }
            if (entry.getValue() == null) {
                problems.error(path.key(entry.getKey()), "sysctl '" + entry.getKey() + "' needs a value");
            }
        }
    }

    private void time(Map<String, Object> time, TreePath path) {
        if (time == null) {
            return;
        }
        nonEmptyStrings(time.get("servers"), path.key("servers"), "time server");
    }

    private void diskEncryption(Map<String, Object> encryption, TreePath path) {
        if (encryption == null) {
            return;
        }
        if (mode == ValidationMode.CONTAINER) {
            problems.warning(path, "system disk encryption has no effect in container mode");
        }
        for (String partition : List.of("state", "ephemeral")) {
            Map<String, Object> config = map(encryption.get(partition));
            TreePath at = path.key(partition);
            if (config == null) {
                continue;
            }
            if (config.get("provider") == null) {
                problems.error(at.key("provider"), "missing encryption provider; expected luks2");
            }
            List<Object> keys = list(config.get("keys"));
            if (keys.isEmpty()) {
                problems.error(at.key("keys"), "encryption needs at least one key (static, nodeID or tpm)");
            }
            Map<Long, Integer> slots = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                Map<String, Object> key = map(keys.get(i));
                TreePath keyPath = at.key("keys").index(i);
                if (key == null) {
                    problems.error(keyPath, "empty encryption key; expected one of static, nodeID, tpm");
                    continue;
                }
                long kinds = List.of("static", "nodeID", "tpm", "kms").stream().filter(key::containsKey).count();
                if (kinds != 1) {
                    problems.error(keyPath, "an encryption key needs exactly one of static, nodeID, tpm, kms; found "
                            + kinds);
                }
                Map<String, Object> staticKey = map(key.get("static"));
                if (key.containsKey("static")) {
                    String passphrase = staticKey == null ? null : text(staticKey.get("passphrase"));
                    if (passphrase == null || passphrase.isEmpty()) {
                        problems.error(keyPath.key("static").key("passphrase"), "static key needs a passphrase");
                    }
                }
                Object slot = key.get("slot");
                if (slot instanceof Long s) {
                    if (s < 0 || s > 31) {
                        problems.error(keyPath.key("slot"), "LUKS2 key slot " + s + " is out of range; expected 0 to 31");
                    } else {
                        Integer first = slots.putIfAbsent(s, i);
                        if (first != null) {
                            problems.error(keyPath.key("slot"), "duplicate key slot " + s + " (already used by "
                                    + at.key("keys").index(first) + ")");
                        }
                    }
                }
            }
        }
    }

    private void labels(Map<String, Object> labels, TreePath path) {
        if (labels == null) {
            return;
        }
        for (Map.Entry<String, Object> entry : labels.entrySet()) {
            String key = entry.getKey();
            String name = key;
            int slash = key.indexOf('/');
            boolean ok = true;
            if (slash >= 0) {
                String prefix = key.substring(0, slash);
                name = key.substring(slash + 1);
                ok = isDnsName(prefix) && prefix.length() <= 253;
            }
            ok = ok && !name.isEmpty() && LABEL_NAME.matcher(name).matches();
            if (!ok) {
                problems.error(path.key(key), "'" + key + "' is not a valid Kubernetes label key");
            }
            String value = text(entry.getValue());
            if (value != null && !LABEL_NAME.matcher(value).matches()) {
                problems.error(path.key(key), "'" + value + "' is not a valid Kubernetes label value "
                        + "(at most 63 letters, digits, '-', '_' or '.')");
            }
        }
    }

    // ---- cluster -------------------------------------------------------------------------------------------------

    private void cluster(Map<String, Object> cluster, TreePath path, boolean controlPlane, boolean typeKnown) {
        base64Secret(cluster, path.key("id"), "cluster id", 0);
        base64Secret(cluster, path.key("secret"), "cluster secret", 0);
        base64Secret(cluster, path.key("secretboxEncryptionSecret"), "secretbox encryption secret", 32);
        base64Secret(cluster, path.key("aescbcEncryptionSecret"), "AES-CBC encryption secret", 32);
        token(cluster, path.key("token"), "cluster token");
        Map<String, Object> controlPlaneConfig = map(cluster.get("controlPlane"));
        String endpoint = controlPlaneConfig == null ? null : text(controlPlaneConfig.get("endpoint"));
        if (endpoint == null || endpoint.isEmpty()) {
            problems.error(path.key("controlPlane").key("endpoint"),
                    "missing control plane endpoint; expected an https URL such as https://10.0.0.1:6443");
        } else {
            httpsEndpoint(endpoint, path.key("controlPlane").key("endpoint"));
        }
        if (controlPlaneConfig != null && controlPlaneConfig.get("localAPIServerPort") instanceof Long port
                && (port < 1 || port > 65535)) {
            problems.error(path.key("controlPlane").key("localAPIServerPort"), "port " + port
                    + " is out of range; expected 1 to 65535");
        }
        String clusterName = text(cluster.get("clusterName"));
        if (clusterName != null && !clusterName.isEmpty() && !isDnsName(clusterName)) {
            problems.error(path.key("clusterName"), "cluster name '" + clusterName
                    + "' must be a DNS name (letters, digits, '-' and '.')");
        }
        clusterNetwork(map(cluster.get("network")), path.key("network"));
        if (typeKnown) {
            certificateAndKey(cluster, path.key("ca"), true, controlPlane);
        } else {
            certificateAndKey(cluster, path.key("ca"), false, false);
        }
        acceptedCAs(cluster, path.key("acceptedCAs"));
        certificateAndKey(cluster, path.key("aggregatorCA"), controlPlane, controlPlane);
        Map<String, Object> serviceAccount = map(cluster.get("serviceAccount"));
        String saKey = serviceAccount == null ? null : text(serviceAccount.get("key"));
        if (saKey != null && !saKey.isEmpty()) {
            privateKey(saKey, path.key("serviceAccount").key("key"));
        } else if (controlPlane) {
            problems.error(path.key("serviceAccount").key("key"),
                    "control plane needs the service account key (cluster.serviceAccount.key)");
        }
        Map<String, Object> etcd = map(cluster.get("etcd"));
        if (etcd != null) {
            certificateAndKey(etcd, path.key("etcd").key("ca"), controlPlane, controlPlane);
            subnetFilters(etcd.get("advertisedSubnets"), path.key("etcd").key("advertisedSubnets"));
            subnetFilters(etcd.get("listenSubnets"), path.key("etcd").key("listenSubnets"));
            Map<String, Object> args = map(etcd.get("extraArgs"));
            if (args != null) {
                for (String arg : args.keySet()) {
                    if (ETCD_RESERVED_ARGS.contains(arg)) {
                        problems.error(path.key("etcd").key("extraArgs").key(arg), "etcd argument '" + arg
                                + "' is managed by Basalt and cannot be overridden");
                    }
                }
            }
        } else if (controlPlane) {
            problems.error(path.key("etcd").key("ca"), "control plane needs the etcd CA (cluster.etcd.ca)");
        }
        Map<String, Object> apiServer = map(cluster.get("apiServer"));
        if (apiServer != null) {
            nonEmptyStrings(apiServer.get("certSANs"), path.key("apiServer").key("certSANs"), "certificate SAN");
        }
        Map<String, Object> discovery = map(cluster.get("discovery"));
        Map<String, Object> service = map(get(get(discovery, "registries"), "service"));
        if (service != null && text(service.get("endpoint")) != null && !text(service.get("endpoint")).isEmpty()) {
            url(text(service.get("endpoint")), path.key("discovery").key("registries").key("service").key("endpoint"),
                    Set.of("https", "http"));
        }
        List<Object> extraManifests = list(cluster.get("extraManifests"));
        for (int i = 0; i < extraManifests.size(); i++) {
            url(text(extraManifests.get(i)), path.key("extraManifests").index(i), Set.of("https", "http"));
        }
        List<Object> inline = list(cluster.get("inlineManifests"));
        Map<String, Integer> manifestNames = new HashMap<>();
        for (int i = 0; i < inline.size(); i++) {
            Map<String, Object> manifest = map(inline.get(i));
            TreePath at = path.key("inlineManifests").index(i);
            if (manifest == null) {
                continue;
            }
            String name = text(manifest.get("name"));
            if (name == null || name.isEmpty()) {
                problems.error(at.key("name"), "inline manifest needs a name");
            } else {
                Integer first = manifestNames.putIfAbsent(name, i);
                if (first != null) {
                    problems.error(at.key("name"), "duplicate inline manifest name '" + name + "' (already at "
                            + path.key("inlineManifests").index(first) + ")");
                }
            }
        }
    }

    private void clusterNetwork(Map<String, Object> network, TreePath path) {
        if (network == null) {
            return;
        }
        for (String key : List.of("podSubnets", "serviceSubnets")) {
            List<Object> subnets = list(network.get(key));
            for (int i = 0; i < subnets.size(); i++) {
                String subnet = text(subnets.get(i));
                if (subnet == null || IpLiterals.cidr(subnet).isEmpty()) {
                    problems.error(path.key(key).index(i), "'" + subnet + "' is not a CIDR (such as 10.244.0.0/16)");
                }
            }
            if (subnets.size() > 2) {
                problems.error(path.key(key), key + " allows at most two subnets (one IPv4, one IPv6), found "
                        + subnets.size());
            }
        }
        String dnsDomain = text(network.get("dnsDomain"));
        if (dnsDomain != null && !dnsDomain.isEmpty() && !isDnsName(dnsDomain)) {
            problems.error(path.key("dnsDomain"), "DNS domain '" + dnsDomain + "' is not a valid DNS name");
        }
        Map<String, Object> cni = map(network.get("cni"));
        if (cni != null) {
            String name = text(cni.get("name"));
            List<Object> urls = list(cni.get("urls"));
            if ("custom".equals(name) && urls.isEmpty()) {
                problems.error(path.key("cni").key("urls"), "CNI 'custom' needs manifest 'urls'");
            }
            if (("flannel".equals(name) || "none".equals(name)) && !urls.isEmpty()) {
                problems.error(path.key("cni").key("urls"), "CNI '" + name + "' takes no 'urls'; use name: custom");
            }
            for (int i = 0; i < urls.size(); i++) {
                url(text(urls.get(i)), path.key("cni").key("urls").index(i), Set.of("https", "http"));
            }
        }
    }

    // ---- shared rules --------------------------------------------------------------------------------------------

    private void token(Map<String, Object> section, TreePath path, String what) {
        String token = text(section.get((String) path.last()));
        if (token == null || token.isEmpty()) {
            problems.error(path, "missing " + what + "; expected the form abcdef.0123456789abcdef");
        } else if (!TOKEN.matcher(token).matches()) {
            problems.error(path, what + " '" + SchemaValidator.abbreviate(token)
                    + "' has the wrong format; expected [a-z0-9]{6}.[a-z0-9]{16}");
        }
    }

    private void certificateAndKey(Map<String, Object> section, TreePath path, boolean needCrt, boolean needKey) {
        Map<String, Object> pair = map(section.get((String) path.last()));
        String crt = pair == null ? null : text(pair.get("crt"));
        String key = pair == null ? null : text(pair.get("key"));
        if (crt != null && !crt.isEmpty()) {
            certificate(crt, path.key("crt"));
        } else if (needCrt) {
            problems.error(path.key("crt"), "missing certificate (base64-encoded PEM)");
        }
        if (key != null && !key.isEmpty()) {
            privateKey(key, path.key("key"));
        } else if (needKey) {
            problems.error(path.key("key"), "missing private key (base64-encoded PEM); a control plane node signs with it");
        }
    }

    private void acceptedCAs(Map<String, Object> section, TreePath path) {
        List<Object> cas = list(section.get((String) path.last()));
        for (int i = 0; i < cas.size(); i++) {
            String crt = text(get(cas.get(i), "crt"));
            if (crt != null && !crt.isEmpty()) {
                certificate(crt, path.index(i).key("crt"));
            }
        }
    }

    private void certificate(String base64, TreePath path) {
        String pem = decodePem(base64, path);
        if (pem == null) {
            return;
        }
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            problems.error(path, "decodes to PEM without a CERTIFICATE block");
            return;
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            if (factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))).isEmpty()) {
                problems.error(path, "contains no X.509 certificate");
            }
        } catch (CertificateException | RuntimeException e) {
            problems.error(path, "is not a valid X.509 certificate: " + e.getMessage());
        }
    }

    private void privateKey(String base64, TreePath path) {
        String pem = decodePem(base64, path);
        if (pem == null) {
            return;
        }
        Matcher m = PEM_BLOCK.matcher(pem);
        if (!m.find() || !m.group(1).endsWith("PRIVATE KEY")) {
            problems.error(path, "decodes to PEM without a PRIVATE KEY block");
            return;
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            if (der.length == 0) {
                problems.error(path, "PRIVATE KEY block is empty");
            }
        } catch (IllegalArgumentException e) {
            problems.error(path, "PRIVATE KEY block is not valid base64: " + e.getMessage());
        }
    }

    private String decodePem(String base64, TreePath path) {
        try {
            String pem = new String(Base64.getDecoder().decode(base64.strip()), StandardCharsets.US_ASCII);
            if (!pem.contains("-----BEGIN ")) {
                problems.error(path, "is not base64-encoded PEM (no '-----BEGIN' after decoding)");
                return null;
            }
            return pem;
        } catch (IllegalArgumentException e) {
            problems.error(path, "is not valid base64: " + e.getMessage());
            return null;
        }
    }

    private void base64Secret(Map<String, Object> section, TreePath path, String what, int requiredBytes) {
        String value = text(section.get((String) path.last()));
        if (value == null || value.isEmpty()) {
            return;
        }
        try {
            // Talos writes the cluster id with the URL-safe alphabet and the other secrets with the standard one.
            String text = value.strip();
            byte[] bytes = text.indexOf('-') >= 0 || text.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(text) : Base64.getDecoder().decode(text);
            if (requiredBytes > 0 && bytes.length != requiredBytes) {
                problems.error(path, what + " must decode to " + requiredBytes + " bytes, found " + bytes.length);
            }
        } catch (IllegalArgumentException e) {
            problems.error(path, what + " is not valid base64: " + e.getMessage());
        }
    }

    private void httpsEndpoint(String endpoint, TreePath path) {
        try {
            URI uri = new URI(endpoint);
            if (!"https".equals(uri.getScheme())) {
                problems.error(path, "endpoint '" + endpoint + "' must be an https URL such as https://10.0.0.1:6443");
            } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
                problems.error(path, "endpoint '" + endpoint + "' has no host; expected https://HOST:PORT");
            } else if (uri.getPort() < 1 || uri.getPort() > 65535) {
                problems.error(path, "endpoint '" + endpoint + "' has no port; expected https://HOST:PORT");
            }
        } catch (URISyntaxException e) {
            problems.error(path, "endpoint '" + endpoint + "' is not a URL: " + e.getReason());
        }
    }

    private void url(String url, TreePath path, Set<String> schemes) {
        if (url == null || url.isEmpty()) {
            problems.error(path, "empty URL");
            return;
        }
        try {
            URI uri = new URI(url);
            if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))
                    || uri.getHost() == null) {
                problems.error(path, "'" + url + "' is not an " + String.join(" or ", schemes.stream().sorted().toList())
                        + " URL with a host");
            }
        } catch (URISyntaxException e) {
            problems.error(path, "'" + url + "' is not a URL: " + e.getReason());
        }
    }

    private void absolutePath(Map<String, Object> section, TreePath path, boolean required) {
        String value = text(section.get((String) path.last()));
        if (value == null || value.isEmpty()) {
            if (required) {
                problems.error(path, "missing path; expected an absolute path");
            }
        } else if (!value.startsWith("/")) {
            problems.error(path, "path '" + value + "' must be absolute (start with /)");
        }
    }

    private void ip(Object value, TreePath path, String what) {
        String text = text(value);
        if (text == null || IpLiterals.address(text).isEmpty()) {
            problems.error(path, what + " '" + text + "' is not an IP address");
        }
    }

    private void subnetFilters(Object value, TreePath path) {
        List<Object> subnets = list(value);
        for (int i = 0; i < subnets.size(); i++) {
            String subnet = text(subnets.get(i));
            String bare = subnet != null && subnet.startsWith("!") ? subnet.substring(1) : subnet;
            if (bare == null || IpLiterals.addressOrCidr(bare).isEmpty()) {
                problems.error(path.index(i), "'" + subnet + "' is not a subnet (CIDR or IP, optionally prefixed by !)");
            }
        }
    }

    private void nonEmptyStrings(Object value, TreePath path, String what) {
        List<Object> items = list(value);
        for (int i = 0; i < items.size(); i++) {
            String item = text(items.get(i));
            if (item == null || item.isBlank()) {
                problems.error(path.index(i), "empty " + what);
            }
        }
    }

    static boolean isDnsName(String name) {
        if (name.isEmpty() || name.length() > 253) {
            return false;
        }
        String trimmed = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        for (String label : trimmed.split("\\.", -1)) {
            if (!DNS_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    // ---- tree access (types were checked by the schema; these tolerate anything) ---------------------------------

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static Object get(Object map, String key) {
        return map instanceof Map<?, ?> m ? m.get(key) : null;
    }

    static String text(Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Long l -> l.toString();
            case Boolean b -> b.toString();
            case Double d -> d.toString();
            default -> null;
        };
    }

    static List<String> strings(Object value) {
        return list(value).stream().map(SemanticValidator::text).filter(s -> s != null).toList();
    }
}
