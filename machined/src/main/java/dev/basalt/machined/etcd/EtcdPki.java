package dev.basalt.machined.etcd;

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
import java.util.List;

/**
 * Issues a node's etcd certificates from the etcd CA of the machine config and writes them where etcd reads them:
 * <pre>
 *   DIR/ca.crt                       the etcd CA
 *   DIR/peer.crt, DIR/peer.key       peer TLS (serverAuth + clientAuth), SANs: node addresses, hostname
 *   DIR/server.crt, DIR/server.key   client-facing TLS (serverAuth + clientAuth), SANs: 127.0.0.1, ::1, addresses
 *   DIR/admin.crt, DIR/admin.key     machined's own client certificate (clientAuth)
 * </pre>
 * ECDSA P-256 keys: etcd's Go TLS and netty's BoringSSL both take them. Keys are written 0600.
 *
 * <p>Stateless; thread-safe.
 */
public final class EtcdPki {
    /** Certificates are re-issued at every start, so a year is plenty. */
    private static final Duration VALIDITY = Duration.ofDays(365);

    private EtcdPki() {
    }

    /** The files of one node's etcd PKI. */
    public record Files(Path ca, Path peerCert, Path peerKey, Path serverCert, Path serverKey, Path adminCert,
                        Path adminKey) {
        public static Files in(Path dir) {
            return new Files(dir.resolve("ca.crt"), dir.resolve("peer.crt"), dir.resolve("peer.key"),
                    dir.resolve("server.crt"), dir.resolve("server.key"), dir.resolve("admin.crt"),
                    dir.resolve("admin.key"));
        }
    }

    /** Issues and writes the node's certificates; returns machined's client identity. */
    public static CertificateAndKey issue(CertificateAndKey etcdCa, String hostname, List<InetAddress> addresses,
                                          Path dir) throws IOException {
        CertificateAuthority ca = new CertificateAuthority(etcdCa);
        Files files = Files.in(dir);
        java.nio.file.Files.createDirectories(dir);
        List<InetAddress> serverIps = new java.util.ArrayList<>(addresses);
        for (InetAddress loopback : List.of(InetAddress.getLoopbackAddress(), InetAddress.getByName("::1"))) {
            if (!serverIps.contains(loopback)) {
                serverIps.add(loopback);
            }
        }
        CertificateAndKey peer = ca.issue(IssueRequest.builder().commonName(hostname).dnsName(hostname)
                .dnsName("localhost").ipAddresses(serverIps).usage(ExtendedUsage.SERVER_AUTH)
                .usage(ExtendedUsage.CLIENT_AUTH).validity(VALIDITY).generateKey(KeyType.ECDSA_P256).build());
        CertificateAndKey server = ca.issue(IssueRequest.builder().commonName(hostname).dnsName(hostname)
                .dnsName("localhost").ipAddresses(serverIps).usage(ExtendedUsage.SERVER_AUTH)
                .usage(ExtendedUsage.CLIENT_AUTH).validity(VALIDITY).generateKey(KeyType.ECDSA_P256).build());
        CertificateAndKey admin = ca.issue(IssueRequest.builder().commonName("machined").usage(ExtendedUsage.CLIENT_AUTH)
                .validity(VALIDITY).generateKey(KeyType.ECDSA_P256).build());
        write(files.ca(), etcdCa.certPem(), false);
        write(files.peerCert(), peer.certPem(), false);
        write(files.peerKey(), peer.keyPem(), true);
        write(files.serverCert(), server.certPem(), false);
        write(files.serverKey(), server.keyPem(), true);
        write(files.adminCert(), admin.certPem(), false);
        write(files.adminKey(), admin.keyPem(), true);
        return admin;
    }

    private static void write(Path path, String text, boolean secret) throws IOException {
        // Write then rename, so a restarting etcd never reads half a key.
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        java.nio.file.Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        if (secret) {
            java.nio.file.Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        }
        java.nio.file.Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
