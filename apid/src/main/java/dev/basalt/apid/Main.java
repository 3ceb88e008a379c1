package dev.basalt.apid;

import dev.basalt.machinery.api.transport.TlsServer;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.Pem;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of apid:
 * <pre>
 *   apid --machined-socket PATH [--listen HOST:PORT] (--identity-dir DIR | --ca FILE --cert FILE --key FILE)
 *        [--node-timeout SECONDS] [--advertise NODE]...
 * </pre>
 * An identity directory holds {@code ca.crt}, {@code apid.crt} and {@code apid.key} (PEM).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path socket = null;
        String listen = "0.0.0.0:50000";
        Path ca = null;
        Path cert = null;
        Path key = null;
        Duration nodeTimeout = Duration.ofSeconds(10);
        List<String> advertised = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            switch (flag) {
                case "--machined-socket" -> socket = Path.of(value(args, ++i, flag));
                case "--listen" -> listen = value(args, ++i, flag);
                case "--ca" -> ca = Path.of(value(args, ++i, flag));
                case "--cert" -> cert = Path.of(value(args, ++i, flag));
                case "--key" -> key = Path.of(value(args, ++i, flag));
                case "--identity-dir" -> {
                    Path dir = Path.of(value(args, ++i, flag));
                    ca = dir.resolve("ca.crt");
                    cert = dir.resolve("apid.crt");
                    key = dir.resolve("apid.key");
                }
                case "--node-timeout" -> {
                    String v = value(args, ++i, flag);
                    try {
                        nodeTimeout = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
                    } catch (NumberFormatException e) {
                        fail("--node-timeout \"" + v + "\" is not a number of seconds");
                    }
                }
                case "--advertise" -> advertised.add(value(args, ++i, flag));
                default -> fail("unknown flag '" + flag + "' (expected --machined-socket, --listen, --identity-dir, "
                        + "--ca, --cert, --key, --node-timeout, --advertise)");
            }
        }
        if (socket == null) {
            fail("--machined-socket PATH is required");
        }
        if (ca == null || cert == null || key == null) {
            fail("a certificate is required: --identity-dir DIR or --ca, --cert and --key");
        }
        int colon = listen.lastIndexOf(':');
        if (colon < 0) {
            fail("--listen \"" + listen + "\" is not HOST:PORT");
        }
        InetSocketAddress address;
        try {
            String host = listen.substring(0, colon).replace("[", "").replace("]", "");
            address = new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(listen.substring(colon + 1)));
        } catch (RuntimeException e) {
            fail("--listen \"" + listen + "\" is not HOST:PORT: " + e.getMessage());
            return;
        }
        ApidServer.Settings settings = new ApidServer.Settings(address, socket,
                Pem.decodeCertificate(Files.readString(ca)),
                CertificateAndKey.fromPem(Files.readString(cert), Files.readString(key)), nodeTimeout, advertised);
        TlsServer server = ApidServer.start(settings);
        System.out.println("[basalt] apid: serving on " + address.getHostString() + ":" + server.port()
                + ", relaying to " + socket);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "apid-stop"));
        server.awaitTermination();
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            fail("flag " + flag + " needs a value");
        }
        return args[i];
    }

    private static void fail(String message) {
        System.err.println("apid: " + message);
        System.exit(2);
    }
}
