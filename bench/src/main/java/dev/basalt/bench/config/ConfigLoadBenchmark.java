package dev.basalt.bench.config;

import dev.basalt.machinery.config.ConfigLoader;
import dev.basalt.machinery.config.ConfigYaml;
import dev.basalt.machinery.config.LoadResult;
import dev.basalt.machinery.config.TreeResult;
import dev.basalt.machinery.config.ValidationMode;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long loading a machine config takes when it carries a large {@code inlineManifests} entry (a CNI manifest
 * inline is the usual case): YAML parse with source marks, schema and semantic validation, typed records. Also
 * measures the parse alone and the encoder, to show where the time goes.
 *
 * <p>JMH state is per benchmark; nothing here is shared across threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConfigLoadBenchmark {

    /** A self-signed test CA certificate (Ed25519), base64 of its PEM, so the config validates as a worker. */
    private static final String TEST_CA =
            "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJORENCNTZBREFnRUNBaFE2elBILzI2SVVyMGwwZUxWNzJJb3E5L3hobURBRkJnTXJaWEF3RURFT01Bd0cKQTFVRUNnd0ZkR0ZzYjNNd0hoY05Nall4TVRJeU1Ea3dPRE16V2hjTk16WXhNVEU1TURrd09ETXpXakFRTVE0dwpEQVlEVlFRS0RBVjBZV3h2Y3pBcU1BVUdBeXRsY0FNaEFMQ3BlNDFwQjMvR2F3M09ORUdvVElRU1NXaUxFUjBaCmk0M2RtQjlZRlhqZG8xTXdVVEFkQmdOVkhRNEVGZ1FVL2dHUjBvUjRnU2FralRleGxVblpHc3dmYzBnd0h3WUQKVlIwakJCZ3dGb0FVL2dHUjBvUjRnU2FralRleGxVblpHc3dmYzBnd0R3WURWUjBUQVFIL0JBVXdBd0VCL3pBRgpCZ01yWlhBRFFRQ2NVTVZ6S09xdkUxU1J4MHBhNEFybkNnZHRqa0VQZDM1RWdiajF1Y0p0VmhFOWtsU0xqdkU3CkRIR0pLdWtCTDg1aHJjdy9VNDNteGJrUXlyRy9hckFGCi0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K";

    @Param({"5242880"})
    public int manifestBytes;

    private String text;
    private Map<String, Object> tree;

    @Setup(Level.Trial)
    public void setUp() {
        StringBuilder manifest = new StringBuilder(manifestBytes + manifestBytes / 4);
        String line = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: filler\ndata:\n  key: "
                + "x".repeat(60) + "\n";
        int written = 0;
        while (written < manifestBytes) {
            for (String part : line.split("\n")) {
                manifest.append("                ").append(part).append('\n');
                written += part.length() + 1;
            }
        }
        text = """
                version: v1alpha1
                machine:
                    type: worker
                    token: abcdef.0123456789abcdef
                    ca:
                        crt: %s
                    install:
                        disk: /dev/sda
                    network:
                        interfaces:
                            - interface: eth0
                              dhcp: true
                cluster:
                    controlPlane:
                        endpoint: https://10.0.0.1:6443
                    token: abcdef.0123456789abcdef
                    ca:
                        crt: %s
                    inlineManifests:
                        - name: big
                          contents: |
                """.formatted(TEST_CA, TEST_CA) + manifest;
        if (!(ConfigLoader.load(text, "bench.yaml", ValidationMode.METAL, false) instanceof LoadResult.Loaded)) {
            throw new IllegalStateException("benchmark config does not load: "
                    + ConfigLoader.load(text, "bench.yaml", ValidationMode.METAL, false));
        }
        tree = ((TreeResult.Parsed) ConfigLoader.parseTree(text, "bench.yaml")).tree();
    }

    @Benchmark
    public LoadResult parseAndValidate() {
        return ConfigLoader.load(text, "bench.yaml", ValidationMode.METAL, false);
    }

    @Benchmark
    public TreeResult parseOnly() {
        return ConfigLoader.parseTree(text, "bench.yaml");
    }

    @Benchmark
    public String encode() {
        return ConfigYaml.encode(tree);
    }
}
