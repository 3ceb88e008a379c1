import dev.basalt.machined.etcd.EtcdNode;
import dev.basalt.machined.etcd.EtcdSettings;
import dev.basalt.machined.services.LogBuffer;
import dev.basalt.machined.services.ProcessLauncher;
import dev.basalt.machined.services.Sleeper;
import dev.basalt.machined.services.Supervisor;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.CertificateAuthority;
import dev.basalt.machinery.pki.KeyType;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * bench/cluster, process level: time from "start" to "etcd healthy on every member" for a 1-member cluster
 * (bootstrap) and a 3-member cluster (bootstrap, then two joins), each member supervised by its own Supervisor
 * with TLS from a fresh etcd CA, on loopback. Prints both figures and their ratio (target <= 1.5).
 */
public final class EtcdFormation {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        CertificateAndKey ca = CertificateAuthority.create("etcd", List.of("etcd"), KeyType.ECDSA_P256,
                Duration.ofDays(1));
        List<Double> one = new ArrayList<>();
        List<Double> three = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            one.add(form(ca, 1));
            three.add(form(ca, 3));
        }
        double m1 = median(one);
        double m3 = median(three);
        System.out.printf("etcd formation, loopback, %d rounds (median)%n", rounds);
        System.out.printf("  1 member  start -> healthy: %.2f s  %s%n", m1, one);
        System.out.printf("  3 members start -> healthy: %.2f s  %s%n", m3, three);
        System.out.printf("  ratio 3/1: %.2f (target <= 1.5)%n", m3 / m1);
    }

    static double form(CertificateAndKey ca, int members) throws Exception {
        Path dir = Files.createTempDirectory("bench-etcd");
        List<Supervisor> supervisors = new ArrayList<>();
        List<EtcdNode> nodes = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 1; i <= members; i++) {
                Supervisor s = new Supervisor(Clock.systemUTC(), Sleeper.SYSTEM, Duration.ofMillis(20),
                        id -> LogBuffer.standard());
                supervisors.add(s);
                EtcdSettings settings = new EtcdSettings("cp" + i, InetAddress.getLoopbackAddress(), port(), port(),
                        Path.of("/usr/bin/etcd"), dir.resolve("cp" + i + "/data"), dir.resolve("cp" + i + "/pki"),
                        Map.of());
                EtcdNode node = new EtcdNode(s, settings, EtcdNode.Role.CONTROL_PLANE, ca, ProcessLauncher.DIRECT);
                node.register();
                nodes.add(node);
            }
            nodes.getFirst().bootstrap(Duration.ofSeconds(120));
            for (int i = 1; i < members; i++) {
                nodes.get(i).join(List.of(nodes.getFirst().settings().localClientUrl()), Duration.ofSeconds(120));
            }
            if (nodes.getFirst().members().size() != members) {
                throw new IllegalStateException("expected " + members + " members");
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            for (EtcdNode n : nodes) {
                n.close();
            }
            for (Supervisor s : supervisors) {
                s.close();
            }
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static int port() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
