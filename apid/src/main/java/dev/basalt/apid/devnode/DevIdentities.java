package dev.basalt.apid.devnode;

import dev.basalt.machinery.api.Role;
import dev.basalt.machinery.clientconfig.ClientConfig;
import dev.basalt.machinery.clientconfig.ClientContext;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.CertificateAuthority;
import dev.basalt.machinery.pki.ExtendedUsage;
import dev.basalt.machinery.pki.IssueRequest;
import dev.basalt.machinery.pki.KeyType;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Writes the identities of a development cluster whose node stacks run as host processes on loopback (see
 * apid/README.md): one OS CA (Ed25519), for each node an apid certificate (serverAuth + clientAuth,
 * os:impersonator, 127.0.0.1) and a trustd certificate, the trustd token, and client configs with admin,
 * operator and reader certificates.
 * <pre>
 *   DevIdentities DIR NODES    (node K listens on 127.0.0.1:(50000 + 10K), trustd on 50001 + 10K)
 * </pre>
 */
public final class DevIdentities {
    private DevIdentities() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: DevIdentities DIR NODES");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int nodes = Integer.parseInt(args[1]);
        Duration validity = Duration.ofDays(30);
        CertificateAndKey caPair = CertificateAuthority.create("basalt-dev", List.of("basalt"), KeyType.ED25519,
                validity);
        CertificateAuthority ca = new CertificateAuthority(caPair);
        byte[] raw = new byte[11];
        new SecureRandom().nextBytes(raw);
        String hex = HexFormat.of().formatHex(raw);
        String token = hex.substring(0, 6) + "." + hex.substring(6, 22);
        Files.createDirectories(dir);
        write(dir.resolve("ca.crt"), caPair.certPem());
        write(dir.resolve("ca.key"), caPair.keyPem());
        write(dir.resolve("token"), token + "\n");
        List<String> endpoints = new ArrayList<>();
        for (int k = 1; k <= nodes; k++) {
            Path node = dir.resolve("node" + k);
            Files.createDirectories(node);
            CertificateAndKey apid = ca.issue(IssueRequest.builder().commonName("node" + k)
                    .organization(Role.IMPERSONATOR.organization()).dnsName("localhost")
                    .ipAddress(InetAddress.getLoopbackAddress()).usage(ExtendedUsage.SERVER_AUTH)
                    .usage(ExtendedUsage.CLIENT_AUTH).generateKey(KeyType.ED25519).validity(validity).build());
            // P-256, not Ed25519: trustd then serves TLS through BoringSSL (Tls.serverOnly); the chain is still
            // signed by the Ed25519 OS CA
            CertificateAndKey trustd = ca.issue(IssueRequest.builder().commonName("node" + k).dnsName("localhost")
                    .ipAddress(InetAddress.getLoopbackAddress()).usage(ExtendedUsage.SERVER_AUTH)
                    .generateKey(KeyType.ECDSA_P256).validity(validity).build());
            write(node.resolve("ca.crt"), caPair.certPem());
            write(node.resolve("ca.key"), caPair.keyPem());
            write(node.resolve("token"), token + "\n");
            write(node.resolve("apid.crt"), apid.certPem());
            write(node.resolve("apid.key"), apid.keyPem());
            write(node.resolve("trustd.crt"), trustd.certPem());
            write(node.resolve("trustd.key"), trustd.keyPem());
            endpoints.add("127.0.0.1:" + (50000 + 10 * k));
        }
        for (Role role : List.of(Role.ADMIN, Role.OPERATOR, Role.READER, Role.ETCD_BACKUP)) {
            CertificateAndKey client = ca.issue(IssueRequest.builder().commonName(role.name().toLowerCase())
                    .organization(role.organization()).usage(ExtendedUsage.CLIENT_AUTH).generateKey(KeyType.ED25519)
                    .validity(validity).build());
            String name = role.organization().substring(3).replace(':', '-');
            ClientContext context = new ClientContext(List.of(endpoints.getFirst()), List.of(endpoints.getFirst()),
                    b64(caPair.certPem()), b64(client.certPem()), b64(client.keyPem()));
            new ClientConfig("dev", Map.of("dev", context)).save(dir.resolve("basaltconfig-" + name));
            write(dir.resolve(name + ".crt"), client.certPem());
            write(dir.resolve(name + ".key"), client.keyPem());
        }
        Files.copy(dir.resolve("basaltconfig-admin"), dir.resolve("basaltconfig"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.println("wrote identities for " + nodes + " node(s) to " + dir);
    }

    private static String b64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    private static void write(Path path, String text) throws IOException {
        Files.writeString(path, text, StandardCharsets.US_ASCII);
    }
}
