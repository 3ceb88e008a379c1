package dev.basalt.apid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.machinery.api.Role;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An independent client: Node's @grpc/grpc-js loads the project's .proto files at run time and calls Version
 * and ServiceList through apid with an admin certificate, fanned out to two nodes. Needs node and npm (and the
 * npm registry on first run), hence integration.
 */
@Tag("integration")
class GrpcJsClientTest {
    private static final Path NODE_PROJECT = Path.of("src/test/node");
    private static final Path PROTOS = Path.of("../machinery/src/main/proto");

    @Test
    void grpcJsCallsVersionAndServiceListThroughApid(@TempDir Path dir) throws Exception {
        installNodeModules();
        Path google = dir.resolve("google-protos");
        try (InputStream status = getClass().getClassLoader().getResourceAsStream("google/rpc/status.proto")) {
            assertThat(status).as("google/rpc/status.proto on the classpath (proto-google-common-protos)").isNotNull();
            Files.createDirectories(google.resolve("google/rpc"));
            Files.copy(status, google.resolve("google/rpc/status.proto"));
        }
        try (NodeStacks stacks = new NodeStacks(2, Duration.ofSeconds(5))) {
            CertificateAndKey admin = stacks.pki.client(Role.ADMIN);
            Files.writeString(dir.resolve("ca.crt"), Pem.encodeCertificate(stacks.pki.os.certificate()));
            Files.writeString(dir.resolve("admin.crt"), admin.certPem());
            Files.writeString(dir.resolve("admin.key"), admin.keyPem());
            String output = run(List.of("node", "client.js", PROTOS.toAbsolutePath().toString(), google.toString(),
                    stacks.names.get(0), dir.resolve("ca.crt").toString(), dir.resolve("admin.crt").toString(),
                    dir.resolve("admin.key").toString(), String.join(",", stacks.names)), Duration.ofSeconds(60));
            assertThat(output).contains("\"hostname\":\"node1\"").contains("\"hostname\":\"node2\"")
                    .contains("\"tag\":\"v").contains("\"id\":\"machined\"").contains("\"state\":\"Running\"");
        }
    }

    private static void installNodeModules() throws Exception {
        if (!Files.isDirectory(NODE_PROJECT.resolve("node_modules/@grpc/grpc-js"))) {
            run(List.of("npm", "ci", "--no-audit", "--no-fund"), Duration.ofMinutes(5));
        }
    }

    private static String run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(NODE_PROJECT.toFile()).redirectErrorStream(true).start();
        byte[][] out = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + timeout);
        }
        reader.join(5000);
        String text = out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(command + " output:\n" + text).isZero();
        return text;
    }
}
