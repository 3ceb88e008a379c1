package dev.basalt.machinery.config.patch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.machinery.config.ConfigLoader;
import dev.basalt.machinery.config.TreeResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PatchTest {

    private static final String BASE = """
            version: v1alpha1
            machine:
              type: worker
              certSANs: [a.example]
              network:
                interfaces:
                  - interface: eth0
                    dhcp: true
                    mtu: 1500
                    vlans:
                      - vlanId: 10
                        dhcp: true
                  - deviceSelector: {driver: virtio_net}
                    addresses: [10.0.0.2/24]
              sysctls:
                net.ipv4.ip_forward: "1"
            cluster:
              network:
                podSubnets: [10.244.0.0/16]
            """;

    private static Map<String, Object> tree(String text) {
        return ((TreeResult.Parsed) ConfigLoader.parseTree(text, "t.yaml")).tree();
    }

    private static Map<String, Object> apply(String base, String patch) {
        Patch parsed = ((PatchParseResult.Parsed) Patch.parse(patch, "p.yaml")).patch();
        PatchResult result = parsed.applyTo(tree(base));
        assertThat(result).as("%s", result).isInstanceOf(PatchResult.Applied.class);
        return ((PatchResult.Applied) result).tree();
    }

    @SuppressWarnings("unchecked")
    private static Object at(Object tree, Object... path) {
        Object current = tree;
        for (Object segment : path) {
            current = segment instanceof Integer i ? ((List<Object>) current).get(i) : ((Map<String, Object>) current).get(segment);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    @Test
    void mergesInterfacesByNameAndAppendsNewOnes() {
        Map<String, Object> result = apply(BASE, """
                machine:
                  network:
                    interfaces:
                      - interface: eth0
                        mtu: 9000
                        addresses: [192.168.1.2/24]
                      - interface: eth1
                        dhcp: true
                """);

        assertThat((List<?>) at(result, "machine", "network", "interfaces")).hasSize(3);
        assertThat(at(result, "machine", "network", "interfaces", 0, "mtu")).isEqualTo(9000L);
        assertThat(at(result, "machine", "network", "interfaces", 0, "dhcp")).isEqualTo(true);
        assertThat(at(result, "machine", "network", "interfaces", 0, "addresses")).isEqualTo(List.of("192.168.1.2/24"));
        assertThat(at(result, "machine", "network", "interfaces", 2, "interface")).isEqualTo("eth1");
    }

    @Test
    void mergesInterfacesByDeviceSelectorAndVlansById() {
        Map<String, Object> result = apply(BASE, """
                machine:
                  network:
                    interfaces:
                      - deviceSelector: {driver: virtio_net}
                        addresses: [10.0.0.3/24]
                      - interface: eth0
                        vlans:
                          - vlanId: 10
                            mtu: 1400
                          - vlanId: 20
                            dhcp: false
                """);

        assertThat(at(result, "machine", "network", "interfaces", 1, "addresses"))
                .isEqualTo(List.of("10.0.0.2/24", "10.0.0.3/24"));
        assertThat((List<?>) at(result, "machine", "network", "interfaces", 0, "vlans")).hasSize(2);
        assertThat(at(result, "machine", "network", "interfaces", 0, "vlans", 0, "mtu")).isEqualTo(1400L);
        assertThat(at(result, "machine", "network", "interfaces", 0, "vlans", 0, "dhcp")).isEqualTo(true);
    }

    @Test
    void replacesPodSubnetsButAppendsCertSans() {
        Map<String, Object> result = apply(BASE, """
                machine:
                  certSANs: [b.example]
                cluster:
                  network:
                    podSubnets: [10.100.0.0/16]
                """);

        assertThat(at(result, "machine", "certSANs")).isEqualTo(List.of("a.example", "b.example"));
        assertThat(at(result, "cluster", "network", "podSubnets")).isEqualTo(List.of("10.100.0.0/16"));
    }

    @Test
    void patchDeleteRemovesKeysAndKeyedListItems() {
        Map<String, Object> result = apply(BASE, """
                machine:
                  sysctls:
                    $patch: delete
                  network:
                    interfaces:
                      - interface: eth0
                        $patch: delete
                """);

        assertThat(asMap(at(result, "machine"))).doesNotContainKey("sysctls");
        assertThat((List<?>) at(result, "machine", "network", "interfaces")).singleElement()
                .satisfies(i -> assertThat(asMap(i)).containsKey("deviceSelector"));
    }

    @Test
    void scalarsReplaceAndNullChangesNothing() {
        Map<String, Object> result = apply(BASE, """
                machine:
                  type: controlplane
                  certSANs: ~
                """);

        assertThat(at(result, "machine", "type")).isEqualTo("controlplane");
        assertThat(at(result, "machine", "certSANs")).isEqualTo(List.of("a.example"));
    }

    @Test
    void appliesEveryJsonPatchOperation() {
        Map<String, Object> result = apply(BASE, """
                - op: add
                  path: /machine/certSANs/-
                  value: c.example
                - op: add
                  path: /machine/certSANs/0
                  value: first.example
                - op: replace
                  path: /machine/type
                  value: controlplane
                - op: copy
                  from: /cluster/network/podSubnets
                  path: /cluster/network/serviceSubnets
                - op: move
                  from: /machine/sysctls
                  path: /machine/sysfs
                - op: add
                  path: /machine/nodeLabels
                  value: {}
                - op: add
                  path: /machine/nodeLabels/topology.kubernetes.io~1zone
                  value: z1
                - op: test
                  path: /machine/network/interfaces/0/mtu
                  value: 1500.0
                - op: remove
                  path: /machine/network/interfaces/1
                """);

        assertThat(at(result, "machine", "certSANs")).isEqualTo(List.of("first.example", "a.example", "c.example"));
        assertThat(at(result, "machine", "type")).isEqualTo("controlplane");
        assertThat(at(result, "cluster", "network", "serviceSubnets")).isEqualTo(List.of("10.244.0.0/16"));
        assertThat(asMap(at(result, "machine"))).doesNotContainKey("sysctls").containsKey("sysfs");
        assertThat(at(result, "machine", "nodeLabels")).isEqualTo(Map.of("topology.kubernetes.io/zone", "z1"));
        assertThat((List<?>) at(result, "machine", "network", "interfaces")).hasSize(1);
    }

    @Test
    void failedJsonPatchNamesSourceOperationAndPath() {
        Patch patch = ((PatchParseResult.Parsed) Patch.parse("""
                - op: add
                  path: /machine/certSANs/-
                  value: x
                - op: remove
                  path: /machine/nope/deeper
                """, "cp-patch.yaml")).patch();

        PatchResult result = patch.applyTo(tree(BASE));

        assertThat(result).isInstanceOf(PatchResult.Failed.class);
        assertThat(((PatchResult.Failed) result).problems()).singleElement().satisfies(p -> {
            assertThat(p.source()).isEqualTo("cp-patch.yaml");
            assertThat(p.path()).isEqualTo("[1].path");
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.message()).contains("operation 1").contains("/machine/nope/deeper").contains("no key 'nope'");
        });
    }

    @Test
    void neverChangesItsInput() {
        Map<String, Object> base = tree(BASE);
        Map<String, Object> before = tree(BASE);

        apply(BASE, "machine:\n  network:\n    interfaces:\n      - interface: eth0\n        mtu: 1\n");
        Patch.applyAll(base, List.of(((PatchParseResult.Parsed) Patch.parse(
                "machine:\n  sysctls: {$patch: delete}\n", "p")).patch(),
                ((PatchParseResult.Parsed) Patch.parse("- {op: remove, path: /machine}\n", "q")).patch()));

        assertThat(base).isEqualTo(before);
    }

    @Test
    void jsonPointerEscapesRoundTrip() {
        JsonPointer pointer = JsonPointer.parse("/a~1b/c~0d/");

        assertThat(pointer.tokens()).containsExactly("a/b", "c~d", "");
        assertThat(pointer.toString()).isEqualTo("/a~1b/c~0d/");
    }
}
