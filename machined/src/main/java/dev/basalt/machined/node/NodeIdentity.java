package dev.basalt.machined.node;

import dev.basalt.machinery.api.Role;
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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The certificates a node's daemons present, and where they are written:
 * <pre>
 *   APID_DIR/ca.crt, apid.crt, apid.key                      apid's identity (every node)
 *   TRUSTD_DIR/ca.crt, ca.key, trustd.crt, trustd.key, token trustd's identity (control planes only)
 * </pre>
 * A control plane holds the OS CA key ({@code machine.ca}) and issues both itself: apid's certificate has
 * serverAuth and clientAuth and {@code O=os:impersonator}, because apid also calls other nodes' apids on a
 * client's behalf. A worker has only the CA certificate; its apid certificate comes from trustd (see
 * {@link TrustdEnrollment}). SANs are the node's addresses, its hostname and {@code machine.certSANs}.
 *
 * <p>Stateless; thread-safe.
 */
public final class NodeIdentity {
    /** Re-issued at every boot, so a year is plenty. */
    static final Duration VALIDITY = Duration.ofDays(365);

    private NodeIdentity() {
    }

    /** The names a node's server certificates carry. */
    public record Names(String hostname, List<InetAddress> addresses, List<String> extraSans) {
        public Names {
            addresses = List.copyOf(addresses);
            extraSans = List.copyOf(extraSans);
        }

        List<InetAddress> ips() throws IOException {
            List<InetAddress> ips = new ArrayList<>(addresses);
            for (String san : extraSans) {
                if (isIpLiteral(san)) {
                    ips.add(InetAddress.ofLiteral(san));
                }
            }
            ips.add(InetAddress.getLoopbackAddress());
            return ips.stream().distinct().toList();
        }

        List<String> dnsNames() {
            List<String> dns = new ArrayList<>(List.of(hostname, "localhost"));
            extraSans.stream().filter(s -> !isIpLiteral(s)).forEach(dns::add);
            return dns.stream().distinct().toList();
        }

        private static boolean isIpLiteral(String s) {
            try {
                InetAddress.ofLiteral(s);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }

    /** Issues apid's certificate from the OS CA and writes apid's identity directory. */
    public static CertificateAndKey issueApid(CertificateAndKey osCa, Names names, Path apidDir) throws IOException {
        CertificateAndKey apid = new CertificateAuthority(osCa).issue(IssueRequest.builder()
                .commonName(names.hostname()).organization(Role.IMPERSONATOR.organization())
                .dnsNames(names.dnsNames()).ipAddresses(names.ips())
                .usage(ExtendedUsage.SERVER_AUTH).usage(ExtendedUsage.CLIENT_AUTH)
                .generateKey(KeyType.ED25519).validity(VALIDITY).build());
        writeApid(apidDir, osCa.certPem(), apid.certPem(), apid.keyPem());
        return apid;
    }

    /** Writes apid's identity directory from PEM text (the worker's comes from trustd). */
    public static void writeApid(Path apidDir, String caPem, String certPem, String keyPem) throws IOException {
        Files.createDirectories(apidDir);
        write(apidDir.resolve("ca.crt"), caPem, false);
        write(apidDir.resolve("apid.key"), keyPem, true);
        // The certificate last: apid's service waits for this file, so it must appear only once the rest is there.
        write(apidDir.resolve("apid.crt"), certPem, false);
    }

    /** Issues trustd's certificate from the OS CA and writes trustd's identity directory with the CA key and token. */
    public static void issueTrustd(CertificateAndKey osCa, Names names, String token, Path trustdDir)
            throws IOException {
        CertificateAndKey trustd = new CertificateAuthority(osCa).issue(IssueRequest.builder()
                .commonName(names.hostname()).dnsNames(names.dnsNames()).ipAddresses(names.ips())
                .usage(ExtendedUsage.SERVER_AUTH).generateKey(KeyType.ED25519).validity(VALIDITY).build());
        Files.createDirectories(trustdDir);
        write(trustdDir.resolve("ca.key"), osCa.keyPem(), true);
        write(trustdDir.resolve("token"), token + "\n", true);
        write(trustdDir.resolve("trustd.crt"), trustd.certPem(), false);
        write(trustdDir.resolve("trustd.key"), trustd.keyPem(), true);
        // trustd's service waits for ca.crt: written last.
        write(trustdDir.resolve("ca.crt"), osCa.certPem(), false);
    }

    static void write(Path path, String text, boolean secret) throws IOException {
        // Write then rename, so a starting daemon never reads half a key.
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        if (secret) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
