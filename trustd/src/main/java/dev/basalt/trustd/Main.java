package dev.basalt.trustd;

import dev.basalt.machinery.api.transport.TlsServer;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.CertificateAuthority;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Entry point of trustd:
 * <pre>
 *   trustd [--listen HOST:PORT] --ca-cert FILE --ca-key FILE --cert FILE --key FILE --token-file FILE
 *          [--validity-hours N]
 * </pre>
 * or {@code --identity-dir DIR} holding {@code ca.crt}, {@code ca.key}, {@code trustd.crt}, {@code trustd.key}
 * and {@code token}.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String listen = "0.0.0.0:50001";
        Path caCert = null;
        Path caKey = null;
        Path cert = null;
        Path key = null;
        Path tokenFile = null;
        long validityHours = 24 * 365;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--listen" -> listen = value(args, ++i, flag);
                case "--ca-cert" -> caCert = Path.of(value(args, ++i, flag));
                case "--ca-key" -> caKey = Path.of(value(args, ++i, flag));
                case "--cert" -> cert = Path.of(value(args, ++i, flag));
                case "--key" -> key = Path.of(value(args, ++i, flag));
                case "--token-file" -> tokenFile = Path.of(value(args, ++i, flag));
                case "--validity-hours" -> {
                    String v = value(args, ++i, flag);
                    try {
                        validityHours = Long.parseLong(v);
                    } catch (NumberFormatException e) {
                        fail("--validity-hours \"" + v + "\" is not a whole number");
                    }
                }
                case "--identity-dir" -> {
                    Path dir = Path.of(value(args, ++i, flag));
                    caCert = dir.resolve("ca.crt");
                    caKey = dir.resolve("ca.key");
                    cert = dir.resolve("trustd.crt");
                    key = dir.resolve("trustd.key");
                    tokenFile = dir.resolve("token");
                }
                default -> fail("unknown flag '" + flag + "' (expected --listen, --identity-dir, --ca-cert, --ca-key, "
                        + "--cert, --key, --token-file, --validity-hours)");
            }
        }
        if (caCert == null || caKey == null || cert == null || key == null || tokenFile == null) {
            fail("needs --identity-dir DIR, or --ca-cert, --ca-key, --cert, --key and --token-file");
        }
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            fail("--listen \"" + listen + "\" is not HOST:PORT");
        }
        InetSocketAddress address = new InetSocketAddress(
                InetAddress.getByName(listen.substring(0, colon).replace("[", "").replace("]", "")),
                Integer.parseInt(listen.substring(colon + 1)));
        CertificateAuthority ca = new CertificateAuthority(
                CertificateAndKey.fromPem(Files.readString(caCert), Files.readString(caKey)));
        CertificateSigner signer = new CertificateSigner(ca, Files.readString(tokenFile).trim(),
                Duration.ofHours(validityHours));
        TlsServer server = TrustdServer.start(address,
                CertificateAndKey.fromPem(Files.readString(cert), Files.readString(key)), signer);
        System.out.println("[basalt] trustd: serving on " + address.getHostString() + ":" + server.port());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "trustd-stop"));
        server.awaitTermination();
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            fail("flag " + flag + " needs a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println("trustd: " + message);
        System.exit(2);
    }
}
