package dev.basalt.machinery.config.patch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.machinery.config.ConfigLoader;
import dev.basalt.machinery.config.ConfigYaml;
import dev.basalt.machinery.config.TreeResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PatchPropertiesTest {

    // ---- generators ----------------------------------------------------------------------------------------------

    private static Arbitrary<String> keys() {
        return Arbitraries.of("alpha", "beta", "gamma", "delta", "k-1", "net.ipv4.x", "a/b", "x~y", "yes", "0644");
    }

    private static Arbitrary<Object> scalars() {
        Arbitrary<String> text = Arbitraries.strings()
                .withCharRange(' ', '~').withChars('\n', '\t', 'é', 'ß', '✓').ofMaxLength(24);
        Arbitrary<String> tricky = Arbitraries.of("", "yes", "no", "null", "~", "true", "0644", "0o17", "1e3", ".inf",
                "- x", "a: b", "#c", " lead", "trail ", "multi\nline\n", "x\n\ny", "'q'", "\"dq\"", "[a]", "{b}", "*a",
                "&a", "!t", "%p", "@", "`");
        return Arbitraries.oneOf(text.map(s -> (Object) s), tricky.map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l), Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.doubles().map(d -> (Object) d), Arbitraries.just(null));
    }

    private static Arbitrary<Object> values(int depth) {
        if (depth <= 0) {
            return scalars();
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, scalars()),
                net.jqwik.api.Tuple.of(2, maps(depth - 1).map(m -> (Object) m)),
                net.jqwik.api.Tuple.of(1, values(depth - 1).list().ofMaxSize(4).map(l -> (Object) l)));
    }

    private static Arbitrary<Map<String, Object>> maps(int depth) {
        return Arbitraries.maps(keys(), values(depth)).ofMaxSize(4).map(LinkedHashMap::new);
    }

    /** Patches with no lists (lists append, so only list-free patches are idempotent). */
    private static Arbitrary<Object> listFreeValues(int depth) {
        if (depth <= 0) {
            return scalars().filter(v -> v != null);
        }
        return Arbitraries.oneOf(scalars().filter(v -> v != null),
                Arbitraries.maps(keys(), listFreeValues(depth - 1)).ofMaxSize(3).map(m -> (Object) new LinkedHashMap<>(m)));
    }

    @Provide
    Arbitrary<Map<String, Object>> trees() {
        return maps(3);
    }

    @Provide
    Arbitrary<Map<String, Object>> listFreePatches() {
        return Arbitraries.maps(keys(), listFreeValues(2)).ofMaxSize(4).map(LinkedHashMap::new);
    }

    @Provide
    Arbitrary<List<String>> interfaceNames() {
        return Arbitraries.of("eth0", "eth1", "eth2", "bond0", "br0").list().ofMaxSize(6);
    }

    private static Map<String, Object> withInterfaces(List<String> names, String field, Object value) {
        List<Object> interfaces = new ArrayList<>();
        for (String name : names) {
            Map<String, Object> device = new LinkedHashMap<>();
            device.put("interface", name);
            device.put(field, value);
            interfaces.add(device);
        }
        Map<String, Object> network = new LinkedHashMap<>(Map.of("interfaces", interfaces));
        return new LinkedHashMap<>(Map.of("machine", new LinkedHashMap<>(Map.of("network", network))));
    }

    private static Map<String, Object> applied(PatchResult result) {
        assertThat(result).as("%s", result).isInstanceOf(PatchResult.Applied.class);
        return ((PatchResult.Applied) result).tree();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> interfaces(Map<String, Object> tree) {
        Map<String, Object> machine = (Map<String, Object>) tree.get("machine");
        Map<String, Object> network = (Map<String, Object>) machine.get("network");
        return (List<Map<String, Object>>) network.get("interfaces");
    }

    // ---- properties ----------------------------------------------------------------------------------------------

    @Property(tries = 200)
    void emptyPatchIsIdentity(@ForAll("trees") Map<String, Object> tree) {
        assertThat(applied(StrategicMergePatch.of(Map.of(), "empty").applyTo(tree))).isEqualTo(tree);
        assertThat(applied(JsonPatch.of(List.of(), "empty").applyTo(tree))).isEqualTo(tree);
    }

    @Property(tries = 200)
    void strategicMergeOfMapsIsIdempotent(@ForAll("trees") Map<String, Object> tree,
                                          @ForAll("listFreePatches") Map<String, Object> patch) {
        StrategicMergePatch p = StrategicMergePatch.of(patch, "p");
        Map<String, Object> once = applied(p.applyTo(tree));

        assertThat(applied(p.applyTo(once))).isEqualTo(once);
    }

    @Property(tries = 200)
    void jsonAddThenRemoveRestores(@ForAll("trees") Map<String, Object> tree, @ForAll("values") Object value) {
        String key = "fresh-" + tree.size();
        JsonPointer pointer = JsonPointer.ROOT.append(key);
        JsonPatch patch = JsonPatch.of(List.of(
                new JsonPatch.Operation(0, JsonPatch.Op.ADD, pointer, null, value, dev.basalt.machinery.config.Mark.UNKNOWN),
                new JsonPatch.Operation(1, JsonPatch.Op.REMOVE, pointer, null, null, dev.basalt.machinery.config.Mark.UNKNOWN)),
                "p");

        assertThat(applied(patch.applyTo(tree))).isEqualTo(tree);
    }

    @Provide
    Arbitrary<Object> values() {
        return values(2);
    }

    @Property(tries = 200)
    void replaceFieldsReplaceAndOtherListsAppend(@ForAll("interfaceNames") List<String> base,
                                                 @ForAll("interfaceNames") List<String> patch) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("cluster", new LinkedHashMap<>(Map.of("network", new LinkedHashMap<>(Map.of("podSubnets", new ArrayList<>(base))))));
        tree.put("machine", new LinkedHashMap<>(Map.of("certSANs", new ArrayList<>(base))));
        Map<String, Object> p = Map.of(
                "cluster", Map.of("network", Map.of("podSubnets", patch)),
                "machine", Map.of("certSANs", patch));

        Map<String, Object> result = applied(StrategicMergePatch.of(p, "p").applyTo(tree));

        List<String> appended = new ArrayList<>(base);
        appended.addAll(patch);
        assertThat(result).isEqualTo(Map.of(
                "cluster", Map.of("network", Map.of("podSubnets", patch)),
                "machine", Map.of("certSANs", appended)));
    }

    @Property(tries = 200)
    void keyedMergeNeverDuplicatesAKey(@ForAll("interfaceNames") List<String> base,
                                       @ForAll("interfaceNames") List<String> patch) {
        List<String> distinctBase = base.stream().distinct().toList();
        Map<String, Object> tree = withInterfaces(distinctBase, "dhcp", true);

        Map<String, Object> result = applied(StrategicMergePatch.of(withInterfaces(patch, "mtu", 9000L), "p").applyTo(tree));

        List<String> names = interfaces(result).stream().map(i -> (String) i.get("interface")).toList();
        Set<String> expected = new HashSet<>(distinctBase);
        expected.addAll(patch);
        assertThat(names).doesNotHaveDuplicates();
        assertThat(new HashSet<>(names)).isEqualTo(expected);
        for (Map<String, Object> device : interfaces(result)) {
            if (patch.contains((String) device.get("interface"))) {
                assertThat(device).containsEntry("mtu", 9000L);
            }
            if (distinctBase.contains((String) device.get("interface"))) {
                assertThat(device).containsEntry("dhcp", true);
            }
        }
    }

    @Property(tries = 200)
    void patchDeleteRemoves(@ForAll("trees") Map<String, Object> tree, @ForAll("interfaceNames") List<String> names) {
        for (String key : List.copyOf(tree.keySet())) {
            Map<String, Object> result = applied(StrategicMergePatch.of(Map.of(key, Map.of("$patch", "delete")), "p")
                    .applyTo(tree));
            assertThat(result).doesNotContainKey(key).hasSize(tree.size() - 1);
        }
        List<String> distinct = names.stream().distinct().toList();
        if (!distinct.isEmpty()) {
            Map<String, Object> withDevices = withInterfaces(distinct, "dhcp", true);
            Map<String, Object> delete = withInterfaces(List.of(distinct.getFirst()), "$patch", "delete");
            Map<String, Object> result = applied(StrategicMergePatch.of(delete, "p").applyTo(withDevices));
            assertThat(interfaces(result)).extracting(i -> i.get("interface"))
                    .containsExactlyElementsOf(distinct.subList(1, distinct.size()));
        }
    }

    @Property(tries = 200)
    void inputIsNeverMutated(@ForAll("trees") Map<String, Object> tree, @ForAll("trees") Map<String, Object> patch) {
        Map<String, Object> before = Trees.copy(tree);
        Map<String, Object> patchBefore = Trees.copy(patch);

        StrategicMergePatch.of(patch, "p").applyTo(tree);
        JsonPatch.of(List.of(new JsonPatch.Operation(0, JsonPatch.Op.REPLACE, JsonPointer.ROOT, null, patch,
                dev.basalt.machinery.config.Mark.UNKNOWN)), "p").applyTo(tree);

        assertThat(tree).isEqualTo(before);
        assertThat(patch).isEqualTo(patchBefore);
    }

    @Property(tries = 200)
    void encodeThenParseGivesTheSameTree(@ForAll("trees") Map<String, Object> tree) {
        String yaml = ConfigYaml.encodeUnordered(tree);

        TreeResult parsed = ConfigLoader.parseTree(yaml, "round-trip.yaml");

        if (tree.isEmpty()) {
            assertThat(parsed).isInstanceOf(TreeResult.Parsed.class);
            return;
        }
        assertThat(parsed).as(yaml).isInstanceOf(TreeResult.Parsed.class);
        assertThat(((TreeResult.Parsed) parsed).tree()).as(yaml).isEqualTo(tree);
    }

    @Property(tries = 200)
    void encodeInSchemaOrderThenParseGivesTheSameTree(@ForAll("trees") Map<String, Object> machine) {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("machine", machine);
        tree.put("version", "v1alpha1");

        TreeResult parsed = ConfigLoader.parseTree(ConfigYaml.encode(tree), "round-trip.yaml");

        assertThat(((TreeResult.Parsed) parsed).tree()).isEqualTo(tree);
    }

}
