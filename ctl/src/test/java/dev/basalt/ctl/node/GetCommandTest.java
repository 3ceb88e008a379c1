package dev.basalt.ctl.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.ctl.CtlRunner;
import dev.basalt.machinery.api.resource.ListRequest;
import dev.basalt.machinery.api.resource.ListResponse;
import dev.basalt.machinery.api.resource.Metadata;
import dev.basalt.machinery.api.resource.Resource;
import dev.basalt.machinery.api.resource.Spec;
import dev.basalt.machinery.api.resource.StateGrpc;
import dev.basalt.machinery.api.transport.Tls;
import dev.basalt.machinery.pki.CertificateAndKey;
import dev.basalt.machinery.pki.CertificateAuthority;
import dev.basalt.machinery.pki.KeyType;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GetCommandTest {
    private static final String DISKS_RD = """
            type: Disks.block.talos.dev
            defaultNamespace: runtime
            aliases:
              - disk
              - disks
            printColumns:
              - name: Size
                jsonPath: '{.pretty_size}'
              - name: Read Only
                jsonPath: '{.readonly}'
              - name: Model
                jsonPath: '{.model}'
              - name: Nested
                jsonPath: '{.a.b}'
            """;
    private static final String SERVICES_RD = """
            type: Services.v1alpha1.talos.dev
            defaultNamespace: runtime
            aliases:
              - service
              - svc
            """;

    @TempDir
    Path dir;

    private static Resource resource(String namespace, String type, String id, String yaml) {
        return Resource.newBuilder().setMetadata(Metadata.newBuilder().setNamespace(namespace).setType(type)
                .setId(id).setVersion("1").setPhase("running")).setSpec(Spec.newBuilder().setYamlSpec(yaml)).build();
    }

    /** A node's State service over self-signed TLS serving two definitions and two disks. */
    private static Server node() throws Exception {
        CertificateAndKey identity = CertificateAuthority.create("fake node", List.of("basalt"), KeyType.ED25519,
                Duration.ofHours(1));
        return NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .sslContext(Tls.serverOnly(identity))
                .addService(new StateGrpc.StateImplBase() {
                    @Override
                    public void list(ListRequest request, StreamObserver<ListResponse> out) {
                        List<Resource> items = switch (request.getType()) {
                            case "ResourceDefinitions.meta.cosi.dev" -> List.of(
                                    resource("meta", request.getType(), "services.v1alpha1.talos.dev", SERVICES_RD),
                                    resource("meta", request.getType(), "disks.block.talos.dev", DISKS_RD));
                            case "Disks.block.talos.dev" -> List.of(
                                    resource("runtime", request.getType(), "sda",
                                            "dev_path: /dev/sda\npretty_size: 2.0 TB\nreadonly: false\n"
                                                    + "model: \"ST2000 \\\"X\\\"\"\n"),
                                    resource("runtime", request.getType(), "vda",
                                            "dev_path: /dev/vda\npretty_size: 21 GB\nreadonly: false\n"));
                            default -> null;
                        };
                        if (items == null) {
                            out.onError(Status.NOT_FOUND.withDescription("resource type \"" + request.getType()
                                    + "\" is not registered").asRuntimeException());
                            return;
                        }
                        items.forEach(r -> out.onNext(ListResponse.newBuilder().setResource(r).build()));
                        out.onCompleted();
                    }
                })
                .build().start();
    }

    @Test
    void definitionsGiveAliasesAndSimpleColumnsOnly() {
        GetCommand.Definition d = GetCommand.definition(DISKS_RD);
        assertThat(d.type()).isEqualTo("Disks.block.talos.dev");
        assertThat(d.aliases()).containsExactly("disk", "disks");
        assertThat(d.columns()).containsExactly(new GetCommand.Column("Size", "pretty_size"),
                new GetCommand.Column("Read Only", "readonly"), new GetCommand.Column("Model", "model"),
                new GetCommand.Column("Nested", ""));
        assertThat(GetCommand.definition(SERVICES_RD).columns()).isEmpty();
    }

    @Test
    void typesResolveByAliasByPluralAndByFullName() {
        List<GetCommand.Definition> all = List.of(GetCommand.definition(SERVICES_RD),
                GetCommand.definition(DISKS_RD));
        assertThat(GetCommand.match(all, "disk").type()).isEqualTo("Disks.block.talos.dev");
        assertThat(GetCommand.match(all, "Disks").type()).isEqualTo("Disks.block.talos.dev");
        assertThat(GetCommand.match(all, "disks.block.talos.dev").columns()).hasSize(4);
        assertThat(GetCommand.match(all, "svc").type()).isEqualTo("Services.v1alpha1.talos.dev");
        // a full name the node does not define is passed through for the node to judge
        assertThat(GetCommand.match(all, "Links.net.talos.dev").columns()).isEmpty();
    }

    @Test
    void scalarsAreUnquoted() {
        assertThat(GetCommand.unquote("'{.a}'")).isEqualTo("{.a}");
        assertThat(GetCommand.unquote("\"a\\\"b\\x41\\n\"")).isEqualTo("a\"bA\n");
        assertThat(GetCommand.unquote("plain text")).isEqualTo("plain text");
        assertThat(GetCommand.field("size: 1\npretty_size: 1.0 kB\n", "pretty_size")).isEqualTo("1.0 kB");
        assertThat(GetCommand.field("size: 1\n", "serial")).isEmpty();
    }

    @Test
    void aTableWithoutColumnsKeepsTheFiveBaseColumns() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GetCommand.Printer printer = new GetCommand.Printer(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                "table");
        printer.print("n1", "", resource("runtime", "Services.v1alpha1.talos.dev", "etcd", "running: true\n"));
        printer.flush();
        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "NODE   NAMESPACE   TYPE                          ID     VERSION",
                "n1     runtime     Services.v1alpha1.talos.dev   etcd   1");
    }

    @Test
    void getDisksPrintsOneRowPerDiskWithTheDefinitionsColumns() throws Exception {
        Server node = node();
        try {
            String endpoint = "127.0.0.1:" + node.getPort();
            CtlRunner.Result r = new CtlRunner(dir).run("-i", "-n", endpoint, "get", "disks");
            assertThat(r.status()).as(r.err()).isZero();
            List<String> lines = r.out().lines().toList();
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0).split(" {2,}")).containsExactly("NODE", "NAMESPACE", "TYPE", "ID", "VERSION",
                    "SIZE", "READ ONLY", "MODEL", "NESTED");
            // with --insecure the node is the endpoint itself and the NODE column stays empty
            assertThat(lines.get(1).strip().split(" {2,}")).containsExactly("runtime", "Disks.block.talos.dev",
                    "sda", "1", "2.0 TB", "false", "ST2000 \"X\"");
            assertThat(lines.get(2).strip().split(" {2,}")).containsExactly("runtime", "Disks.block.talos.dev",
                    "vda", "1", "21 GB", "false");

            CtlRunner.Result unknown = new CtlRunner(dir).run("-i", "-n", endpoint, "get", "widgets");
            assertThat(unknown.status()).isNotZero();
            assertThat(unknown.err()).contains("\"widgets\" is not known").contains("Disks.block.talos.dev");
        } finally {
            node.shutdownNow();
        }
    }
}
