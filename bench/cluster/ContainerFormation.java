import dev.basalt.ctl.Main;
import dev.basalt.ctl.cli.Cli;
import dev.basalt.ctl.cli.Invocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * bench/cluster: the BRIEF's figure, container level. For a cluster of 1 control plane and one of 3 control
 * planes + 1 worker, times {@code basaltctl cluster create --provisioner docker} -> etcd healthy on every control
 * plane with every control plane a member: create, then bootstrap on the first control plane as soon as its API
 * answers, then poll {@code etcd status} on all control planes and {@code etcd members}. basaltctl runs in-process
 * against the real Docker engine and the node image. Prints per-round figures, medians and the ratio.
 */
public final class ContainerFormation {
    private static final Path HOME;

    static {
        try {
            HOME = Files.createTempDirectory("bench-cluster");
        } catch (java.io.IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    record Result(int status, String out, String err) {
    }

    static Result ctl(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var env = new Invocation.Environment(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]), Map.of(),
                HOME, HOME);
        int status = new Cli("basaltctl", Main.tree(), Main.GLOBAL_FLAGS).run(List.of(args), env);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Phases of one formation, seconds from the start of create. */
    record Timing(double created, double bootstrapped, double healthy) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        String image = args.length > 1 ? args[1] : "basalt/node:bench-cluster";
        List<Timing> one = new ArrayList<>();
        List<Timing> three = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            one.add(form("bench-c1", "10.231.11", 1, 0, image));
            three.add(form("bench-c3", "10.231.12", 3, 1, image));
        }
        System.out.printf("container cluster: cluster create -> etcd healthy on every control plane (%d round(s))%n",
                rounds);
        print("1 CP       ", one);
        print("3 CP + 1 W ", three);
        double m1 = median(one.stream().map(Timing::healthy).toList());
        double m3 = median(three.stream().map(Timing::healthy).toList());
        System.out.printf("  ratio (3 CP + 1 W) / (1 CP): %.2f (target <= 1.5)%n", m3 / m1);
    }

    static void print(String label, List<Timing> timings) {
        System.out.printf("  %s median %.1f s   rounds: %s%n", label,
                median(timings.stream().map(Timing::healthy).toList()),
                timings.stream().map(t -> String.format("[created %.1f, bootstrapped %.1f, healthy %.1f]",
                        t.created(), t.bootstrapped(), t.healthy())).toList());
    }

    static Timing form(String name, String net, int controlPlanes, int workers, String image) throws Exception {
        ctl("cluster", "destroy", "--name", name);
        List<String> cps = new ArrayList<>();
        for (int i = 0; i < controlPlanes; i++) {
            cps.add(net + "." + (2 + i));
        }
        String cp1 = cps.getFirst();
        long start = System.nanoTime();
        try {
            Result created = ctl("cluster", "create", "--provisioner", "docker", "--name", name, "--cidr",
                    net + ".0/24", "--controlplanes", Integer.toString(controlPlanes), "--workers",
                    Integer.toString(workers), "--image", image);
            if (created.status() != 0) {
                throw new IllegalStateException("create failed: " + created.err());
            }
            double tCreated = since(start);
            long deadline = start + 300_000_000_000L;
            Result boot;
            do {
                boot = ctl("-n", cp1, "-e", cp1, "bootstrap");
                if (boot.status() != 0 && !boot.err().contains("UNAVAILABLE")) {
                    throw new IllegalStateException("bootstrap failed: " + boot.err());
                }
                if (boot.status() != 0) {
                    Thread.sleep(200);
                }
            } while (boot.status() != 0 && System.nanoTime() < deadline);
            double tBoot = since(start);
            while (System.nanoTime() < deadline) {
                Result status = ctl("-n", String.join(",", cps), "-e", cp1, "etcd", "status");
                Result members = ctl("-n", cp1, "-e", cp1, "etcd", "members");
                // NODE MEMBER DB-SIZE LEADER ...: a member that knows a leader is healthy (alarms would fail the call).
                long healthy = status.out().lines().skip(1).map(l -> l.strip().split("\\s+"))
                        .filter(c -> c.length > 3 && !c[3].equals("0")).count();
                // Voting members only: a learner that has not been promoted yet does not count.
                long listed = members.out().lines().filter(l -> l.contains("https://") && l.strip().endsWith("false"))
                        .count();
                if (status.status() == 0 && healthy == controlPlanes && listed == controlPlanes) {
                    return new Timing(tCreated, tBoot, since(start));
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException(name + ": etcd not healthy on " + cps + " within 300 s");
        } finally {
            ctl("cluster", "destroy", "--name", name);
        }
    }

    static double since(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
