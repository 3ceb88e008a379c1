package dev.basalt.machinery.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.machinery.config.patch.Patch;
import dev.basalt.machinery.config.patch.PatchParseResult;
import dev.basalt.machinery.config.patch.PatchResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

    static Stream<Path> goodConfigs() {
        return Corpus.files("good").stream();
    }

    static Stream<Path> seedPatches() {
        return Corpus.files("seed-patches").stream();
    }

    private static MachineConfig loaded(LoadResult result) {
        assertThat(result).as("%s", result).isInstanceOf(LoadResult.Loaded.class);
        return ((LoadResult.Loaded) result).config();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodConfigs")
    void loadsGoodConfigWithoutErrors(Path file) {
        MachineConfig config = loaded(ConfigLoader.load(Corpus.read(file), file.getFileName().toString()));

        assertThat(config.version()).isEqualTo("v1alpha1");
        assertThat(config.cluster().controlPlane().endpoint().toString()).isEqualTo("https://192.168.1.100:6443");
        assertThat(config.machine().ca().hasCertificate()).isTrue();
        assertThat(config.machine().ca().certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void readsTypedValuesOfTheControlPlaneConfig() {
        MachineConfig config = loaded(ConfigLoader.load(Corpus.read("good", "controlplane.yaml"), "cp.yaml"));

        assertThat(config.machine().type()).isEqualTo(Machine.Type.CONTROLPLANE);
        assertThat(config.machine().type().isControlPlane()).isTrue();
        assertThat(config.machine().token()).isEqualTo("328hom.uqjzh6jnn2eie9oi");
        assertThat(config.machine().install().disk()).contains("/dev/sda");
        assertThat(config.machine().install().wipe()).isFalse();
        assertThat(config.machine().features().rbac()).isTrue();
        assertThat(config.machine().network().nameservers()).isEqualTo(Machine.Network.DEFAULT_NAMESERVERS);
        assertThat(config.machine().nodeLabels()).containsEntry("node.kubernetes.io/exclude-from-external-load-balancers", "");
        assertThat(config.cluster().clusterName()).isEqualTo("demo");
        assertThat(config.cluster().network().podSubnets()).containsExactly("10.244.0.0/16");
        assertThat(config.cluster().network().cni().name()).isEqualTo("flannel");
        assertThat(config.cluster().aggregatorCA().keyPem()).contains("PRIVATE KEY");
        assertThat(config.cluster().etcd().ca().hasKey()).isTrue();
        assertThat(config.cluster().apiServer().certSANs()).containsExactly("192.168.1.100");
        assertThat(config.cluster().discovery().enabled()).isTrue();
        assertThat(config.toString()).doesNotContain(config.cluster().aggregatorCA().key());
    }

    @Test
    void warnsAboutTalosKeysBasaltDoesNotActOnAndStrictRejectsThem() {
        String text = Corpus.read("good", "worker.yaml");

        LoadResult lenient = ConfigLoader.load(text, "worker.yaml", ValidationMode.METAL, false);
        LoadResult strict = ConfigLoader.load(text, "worker.yaml", ValidationMode.METAL, true);

        List<Problem> warnings = ((LoadResult.Loaded) lenient).warnings();
        assertThat(warnings).extracting(Problem::path)
                .contains("machine.features.kubePrism", "machine.features.hostDNS", "machine.registries");
        assertThat(warnings).allMatch(p -> p.severity() == Problem.Severity.WARNING);
        Problem kubePrism = warnings.stream().filter(p -> p.path().equals("machine.features.kubePrism")).findFirst()
                .orElseThrow();
        assertThat(kubePrism.line()).isEqualTo(text.lines().toList().indexOf(
                text.lines().filter(l -> l.contains("kubePrism:")).findFirst().orElseThrow()) + 1);
        assertThat(strict).isInstanceOf(LoadResult.Rejected.class);
        assertThat(((LoadResult.Rejected) strict).errors()).hasSameSizeAs(warnings)
                .allMatch(Problem::isError);
    }

    @Test
    void containerModeNeedsNoInstallDiskAndWarnsAboutOne() {
        String text = Corpus.read("good", "worker.yaml");
        String withoutInstall = text.replaceAll("(?s)    # Used to provide instructions for installations\\.\n    install:\n.*?wipe: false[^\n]*\n", "");

        assertThat(ConfigLoader.load(withoutInstall, "w.yaml", ValidationMode.METAL, false))
                .isInstanceOf(LoadResult.Rejected.class);
        assertThat(ConfigLoader.load(withoutInstall, "w.yaml", ValidationMode.CONTAINER, false))
                .isInstanceOf(LoadResult.Loaded.class);
        assertThat(ConfigLoader.load(withoutInstall, "w.yaml", ValidationMode.CLOUD, false))
                .isInstanceOf(LoadResult.Loaded.class);
        LoadResult container = ConfigLoader.load(text, "w.yaml", ValidationMode.CONTAINER, false);
        assertThat(((LoadResult.Loaded) container).warnings()).extracting(Problem::path).contains("machine.install");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("seedPatches")
    void everySeedPatchAppliesToGeneratedConfigsAndValidates(Path file) {
        for (String base : List.of("controlplane.yaml", "worker.yaml")) {
            Map<String, Object> tree = ((TreeResult.Parsed) ConfigLoader.parseTree(Corpus.read("good", base), base)).tree();
            PatchParseResult parsed = Patch.parse(Corpus.read(file), file.getFileName().toString());
            assertThat(parsed).as("%s", parsed).isInstanceOf(PatchParseResult.Parsed.class);

            PatchResult result = ((PatchParseResult.Parsed) parsed).patch().applyTo(tree);

            assertThat(result).as("%s", result).isInstanceOf(PatchResult.Applied.class);
            String encoded = ConfigYaml.encode(((PatchResult.Applied) result).tree());
            loaded(ConfigLoader.load(encoded, base + "+" + file.getFileName()));
        }
    }

    @Test
    void cloudkofferPatchesGiveTheExpectedConfig() {
        Map<String, Object> tree = ((TreeResult.Parsed) ConfigLoader.parseTree(
                Corpus.read("good", "controlplane.yaml"), "cp")).tree();
        List<Patch> patches = Stream.of("cloudkoffer-all.yaml", "cloudkoffer-controlplane.yaml")
                .map(name -> ((PatchParseResult.Parsed) Patch.parse(Corpus.read("seed-patches", name), name)).patch())
                .toList();

        Map<String, Object> patched = ((PatchResult.Applied) Patch.applyAll(tree, patches)).tree();
        MachineConfig config = loaded(ConfigLoader.load(ConfigYaml.encode(patched), "patched.yaml"));

        assertThat(config.machine().install().disk()).contains("/dev/nvme0n1");
        assertThat(config.machine().install().extraKernelArgs()).containsExactly("cpufreq.default_governor=performance");
        assertThat(config.machine().kubelet().extraArgs()).containsEntry("rotate-server-certificates", List.of("true"));
        assertThat(config.machine().kubelet().extraMounts()).singleElement()
                .satisfies(m -> assertThat(m.options()).containsExactly("bind", "rshared", "rw"));
        assertThat(config.machine().files()).singleElement().satisfies(f -> {
            assertThat(f.op()).isEqualTo(Machine.FileOp.CREATE);
            assertThat(f.content()).contains("address = \"0.0.0.0:11234\"");
        });
        assertThat(config.machine().network().interfaces()).singleElement().satisfies(i -> {
            assertThat(i.name()).contains("eth0");
            assertThat(i.vip()).contains(new Machine.Vip("192.168.1.101"));
            assertThat(i.mtu()).isEqualTo(1500);
        });
        assertThat(config.cluster().network().cni().name()).isEqualTo("none");
        assertThat(config.cluster().proxy().disabled()).isTrue();
        assertThat(config.cluster().discovery().serviceRegistryDisabled()).isTrue();
        assertThat(config.cluster().apiServer().certSANs()).containsExactly("192.168.1.100", "192.168.1.101",
                "kube.case.local");
        assertThat(config.cluster().inlineManifests()).singleElement()
                .satisfies(m -> assertThat(m.contents()).contains("name: cilium-install"));
        assertThat(config.cluster().extraManifests()).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodConfigs")
    void encodeThenLoadGivesAnEqualConfig(Path file) {
        MachineConfig config = loaded(ConfigLoader.load(Corpus.read(file), "in.yaml"));

        String encoded = config.encode();
        MachineConfig again = loaded(ConfigLoader.load(encoded, "out.yaml"));

        assertThat(again).isEqualTo(config);
        assertThat(again.encode()).isEqualTo(encoded);
        assertThat(encoded).startsWith("version: v1alpha1\n");
        assertThat(encoded.indexOf("\nmachine:")).isLessThan(encoded.indexOf("\ncluster:"));
    }

    @Test
    void keepsKeysInTalosOrderWhenEncoding() {
        String text = """
                cluster:
                  token: abcdef.0123456789abcdef
                  controlPlane:
                    endpoint: https://10.0.0.1:6443
                machine:
                  install: {disk: /dev/sda}
                  token: abcdef.0123456789abcdef
                  type: worker
                version: v1alpha1
                """;
        Map<String, Object> tree = ((TreeResult.Parsed) ConfigLoader.parseTree(text, "t")).tree();

        String encoded = ConfigYaml.encode(tree);

        assertThat(encoded).isEqualTo("""
                version: v1alpha1
                machine:
                    type: worker
                    token: abcdef.0123456789abcdef
                    install:
                        disk: /dev/sda
                cluster:
                    controlPlane:
                        endpoint: https://10.0.0.1:6443
                    token: abcdef.0123456789abcdef
                """);
    }

    @Test
    void multiLineStringsAreWrittenAsLiteralBlocksAndReadBack() {
        Map<String, Object> tree = new java.util.LinkedHashMap<>(Map.of("version", "v1alpha1"));
        tree.put("cluster", Map.of("inlineManifests", List.of(Map.of("name", "a",
                "contents", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n"))));

        String encoded = ConfigYaml.encode(tree);

        assertThat(encoded).contains("contents: |");
        assertThat(((TreeResult.Parsed) ConfigLoader.parseTree(encoded, "e")).tree()).isEqualTo(tree);
    }

    @Test
    void resolvesScalarsLikeTalosDecoder() {
        Map<String, Object> tree = ((TreeResult.Parsed) ConfigLoader.parseTree("""
                a: 0644
                b: 0o644
                c: "0644"
                d: yes
                e: true
                f: 1.5
                g: ~
                h: 0x1F
                """, "s")).tree();

        assertThat(tree).containsEntry("a", 420L).containsEntry("b", 420L).containsEntry("c", "0644")
                .containsEntry("d", "yes").containsEntry("e", true).containsEntry("f", 1.5)
                .containsEntry("g", null).containsEntry("h", 31L);
    }

    @Test
    void acceptsYesAndNoForBooleansAsTalosDocuments() {
        String text = Corpus.read("good", "worker.yaml").replace("wipe: false", "wipe: yes");

        MachineConfig config = loaded(ConfigLoader.load(text, "w.yaml"));

        assertThat(config.machine().install().wipe()).isTrue();
    }

    @Test
    void parsesGoDurations() {
        assertThat(GoDurations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDurations.parse("2.5s")).isEqualTo(Duration.ofMillis(2500));
        assertThat(GoDurations.parse("300ms")).isEqualTo(Duration.ofMillis(300));
        assertThat(GoDurations.parse("0")).isEqualTo(Duration.ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "---\n", "\u0000", "[", "{a: [", "a: &x [*x]", "? [a]\n: b", "!!binary 00 : x",
            "- - - -", "version: v1alpha1\nmachine: 12\ncluster: []", "a: !!int abc", "%YAML 9.9\n---\na: b"})
    void neverThrowsOnGarbage(String text) {
        LoadResult result = ConfigLoader.load(text, "garbage.yaml");

        assertThat(result).isInstanceOf(LoadResult.Rejected.class);
        assertThat(((LoadResult.Rejected) result).errors()).allSatisfy(p -> assertThat(p.source()).isEqualTo("garbage.yaml"));
    }

    @Test
    void problemPrintsAsSourceLineColumnPathMessage() {
        Problem problem = new Problem("cp.yaml", "machine.network.interfaces[0].addresses[1]", 14, 13,
                Problem.Severity.ERROR, "bad CIDR");

        assertThat(problem).hasToString("cp.yaml:14:13: machine.network.interfaces[0].addresses[1]: bad CIDR");
    }

    @Test
    void validationModeParsesItsNames() {
        assertThat(ValidationMode.parse("metal")).isEqualTo(ValidationMode.METAL);
        assertThat(ValidationMode.parse("Container")).isEqualTo(ValidationMode.CONTAINER);
        assertThat(ValidationMode.parse("cloud")).isEqualTo(ValidationMode.CLOUD);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ValidationMode.parse("vm"))
                .hasMessageContaining("'vm'").hasMessageContaining("metal, container, cloud");
    }

    @Test
    void inlineManifestOfFiveMegabytesLoads() {
        String big = "x".repeat(100) + "\n";
        StringBuilder manifest = new StringBuilder();
        for (int n = 0; n * big.length() < 5 * 1024 * 1024; n++) {
            manifest.append("            ").append(big);
        }
        String text = Corpus.read("good", "controlplane.yaml").replace("    inlineManifests: []\n",
                "    inlineManifests:\n      - name: big\n        contents: |\n" + manifest);

        MachineConfig config = loaded(ConfigLoader.load(text, "big.yaml"));

        assertThat(config.cluster().inlineManifests().getFirst().contents().length()).isGreaterThanOrEqualTo(5 * 1024 * 1024);
    }
}
