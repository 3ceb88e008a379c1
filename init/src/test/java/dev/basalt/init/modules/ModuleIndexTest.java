package dev.basalt.init.modules;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModuleIndexTest {
    static ModuleIndex fixture() throws IOException {
        return ModuleIndex.parse(resource("modules.dep"), resource("modules.alias"));
    }

    static String resource(String name) throws IOException {
        try (InputStream in = ModuleIndexTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void resolvesDeviceAliasesToModules() throws IOException {
        assertThat(fixture().modulesFor(List.of("virtio:d00000001v00001AF4", "virtio:d00000002v00001AF4",
                "pci:v00001234d00001111sv00001AF4sd00001100bc03sc00i00")))
                .containsExactly("virtio_net", "virtio_blk");
    }

    @Test
    void aliasOfAModuleNotShippedIsIgnored() throws IOException {
        assertThat(fixture().modulesFor(List.of("cpu:type:x86,ven0000fam0006mod003A:feature:,0097"))).isEmpty();
    }

    @Test
    void loadOrderPutsEveryDependencyFirstAndEachModuleOnce() throws IOException {
        List<String> order = fixture().loadOrder(List.of("virtio_net", "ahci", "net_failover"));
        assertThat(order).containsExactly("failover", "net_failover", "virtio_net", "scsi_mod", "libata",
                "libahci", "ahci");
    }

    @Test
    void dashesAndUnderscoresNameTheSameModule() throws IOException {
        assertThat(fixture().loadOrder(List.of("virtio-net"))).endsWith("virtio_net");
        assertThat(ModuleIndex.nameOf("kernel/drivers/net/virtio-net.ko.xz")).isEqualTo("virtio_net");
    }

    @Test
    void unknownModulesAreLeftOutOfTheOrder() throws IOException {
        assertThat(fixture().loadOrder(List.of("built_in_thing", "loop"))).containsExactly("loop");
    }

    @Test
    void fileOfAnUnknownModuleNamesIt() throws IOException {
        assertThatThrownBy(() -> fixture().fileOf("nope")).hasMessageContaining("nope");
        assertThat(fixture().fileOf("xfs")).isEqualTo("kernel/fs/xfs/xfs.ko");
    }

    @Test
    void cycleIsReportedNotLooped() {
        ModuleIndex index = ModuleIndex.parse("a.ko: b.ko\nb.ko: a.ko\n", "");
        assertThatThrownBy(() -> index.loadOrder(List.of("a"))).hasMessageContaining("cycle");
    }

    @Test
    void malformedLinesAreRejectedWithLineNumbers() {
        assertThatThrownBy(() -> ModuleIndex.parse("a.ko:\nbroken\n", "")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> ModuleIndex.parse("", "alias onlytwo\n")).hasMessageContaining("line 1");
    }
}
