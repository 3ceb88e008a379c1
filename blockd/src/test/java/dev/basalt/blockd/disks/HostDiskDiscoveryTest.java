package dev.basalt.blockd.disks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.machinery.exec.Command;
import dev.basalt.machinery.exec.ProcessExec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Discovery on this machine's real /sys, checked field by field against lsblk (needs no root). */
class HostDiskDiscoveryTest {
    @Test
    void agreesWithLsblkOnEveryPhysicalDisk() throws IOException {
        String json = ProcessExec.system().check(Command.of("lsblk", "-J", "-b", "-d", "-o",
                "NAME,SIZE,ROTA,RO,MODEL,SERIAL,WWN,TRAN,TYPE")).stdoutText();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> devices = (List<Map<String, Object>>) ((Map<String, Object>)
                new Load(LoadSettings.builder().build()).loadFromString(json)).get("blockdevices");
        Set<String> bootNumbers = BootMedium.deviceNumbers(Files.readString(Path.of("/proc/self/mountinfo")),
                List.of("/"));
        List<Disk> ours = DiskDiscovery.discover(Path.of("/sys"), new DiskDiscovery.Options(false, bootNumbers));
        List<Map<String, Object>> physical = devices.stream()
                .filter(d -> "disk".equals(d.get("type")))
                .filter(d -> ((Number) d.get("size")).longValue() > 0)
                .filter(d -> !String.valueOf(d.get("name")).matches("(loop|ram|zram|dm-|nbd).*"))
                .toList();
        assertThat(physical).as("this machine has at least one disk").isNotEmpty();
        assertThat(ours).extracting(Disk::name)
                .containsExactlyInAnyOrderElementsOf(physical.stream().map(d -> (String) d.get("name")).toList());
        for (Map<String, Object> l : physical) {
            Disk d = ours.stream().filter(x -> x.name().equals(l.get("name"))).findFirst().orElseThrow();
            assertThat(d.sizeBytes()).as(d.name() + " size").isEqualTo(((Number) l.get("size")).longValue());
            assertThat(d.rotational()).as(d.name() + " rota").isEqualTo(l.get("rota"));
            assertThat(d.readOnly()).as(d.name() + " ro").isEqualTo(l.get("ro"));
            // lsblk takes model and serial from the udev database, which is empty where no udevd runs (as on
            // this build machine); then only sysfs knows them, and sysfs is what we read.
            if (!text(l, "model").isEmpty()) {
                assertThat(d.model()).as(d.name() + " model").isEqualTo(text(l, "model"));
            }
            if (!text(l, "serial").isEmpty()) {
                assertThat(d.serial()).as(d.name() + " serial").isEqualTo(text(l, "serial"));
            }
            if (!text(l, "tran").isEmpty()) {
                assertThat(d.transport().wireName()).as(d.name() + " tran").isEqualTo(text(l, "tran"));
            }
            if (!text(l, "wwn").isEmpty()) {
                assertThat(d.wwid()).as(d.name() + " wwn").contains(text(l, "wwn").replaceFirst("^0x", ""));
            }
        }
        // The root file system of this machine lives on one of them.
        assertThat(ours).filteredOn(Disk::bootMedium).hasSize(1);
    }

    private static String text(Map<String, Object> m, String key) {
        return Optional.ofNullable(m.get(key)).map(Object::toString).map(String::strip).orElse("");
    }
}
