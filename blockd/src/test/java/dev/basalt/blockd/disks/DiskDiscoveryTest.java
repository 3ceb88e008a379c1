package dev.basalt.blockd.disks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskDiscoveryTest {
    @TempDir
    Path sys;

    @BeforeEach
    void fixture() throws IOException {
        Path vda = device("devices/pci0000:00/0000:00:04.0/virtio2/block/vda", "vda");
        write(vda, "size", "20971520\n");
        write(vda, "dev", "254:0\n");
        write(vda, "serial", "BASALT-VDA\n");
        write(vda, "queue/rotational", "1\n");
        write(vda, "queue/logical_block_size", "512\n");
        write(vda, "ro", "0\n");
        write(vda, "removable", "0\n");
        write(vda, "vda1/partition", "1\n");
        write(vda, "vda1/dev", "254:1\n");

        Path nvme = device("devices/pci0000:00/0000:00:05.0/nvme/nvme0/nvme0n1", "nvme0n1");
        write(nvme, "size", "7814037168\n");
        write(nvme, "dev", "259:0\n");
        write(nvme, "device/model", "Samsung SSD 980 PRO 2TB                 \n");
        write(nvme, "device/serial", "S69ENF0R123456X     \n");
        write(nvme, "wwid", "eui.002538b111b2c3d4\n");
        write(nvme, "queue/rotational", "0\n");
        write(nvme, "queue/logical_block_size", "4096\n");
        write(nvme, "ro", "0\n");

        Path sda = device("devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda", "sda");
        write(sda, "size", "1953525168\n");
        write(sda, "dev", "8:0\n");
        write(sda, "device/model", "WDC WD10EZEX-00B\n");
        Files.write(sda.resolve("device/vpd_pg80"), new byte[] {0, (byte) 0x80, 0, 8, 'W', 'D', '-', 'W', 'C', 'C', '6', 'Y'});
        write(sda, "device/wwid", "naa.50014ee2b5a1c3d4\n");
        write(sda, "queue/rotational", "1\n");
        write(sda, "ro", "1\n");
        write(sda, "removable", "0\n");

        Path usb = device("devices/pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0/block/sdb",
                "sdb");
        write(usb, "size", "60062500\n");
        write(usb, "dev", "8:16\n");
        write(usb, "device/model", "Flash Drive     \n");
        write(usb, "removable", "1\n");

        Path loop = device("devices/virtual/block/loop0", "loop0");
        write(loop, "size", "6815744\n");
        write(loop, "dev", "7:0\n");
        Path empty = device("devices/virtual/block/loop1", "loop1");
        write(empty, "size", "0\n");
        Path zram = device("devices/virtual/block/zram0", "zram0");
        write(zram, "size", "8\n");
    }

    @Test
    void readsEveryAttributeOfPhysicalDisks() throws IOException {
        List<Disk> disks = DiskDiscovery.discover(sys);
        assertThat(disks).extracting(Disk::name).containsExactly("nvme0n1", "sda", "sdb", "vda");
        assertThat(disks.get(0)).isEqualTo(new Disk("nvme0n1", Path.of("/dev/nvme0n1"), "259:0",
                7814037168L * 512, 4096, "Samsung SSD 980 PRO 2TB", "S69ENF0R123456X", "eui.002538b111b2c3d4",
                Transport.NVME, false, false, false, false));
        assertThat(disks.get(1)).isEqualTo(new Disk("sda", Path.of("/dev/sda"), "8:0", 1953525168L * 512, 512,
                "WDC WD10EZEX-00B", "WD-WCC6Y", "naa.50014ee2b5a1c3d4", Transport.SATA, true, true, false, false));
        assertThat(disks.get(2).transport()).isEqualTo(Transport.USB);
        assertThat(disks.get(2).removable()).isTrue();
        assertThat(disks.get(3)).isEqualTo(new Disk("vda", Path.of("/dev/vda"), "254:0", 20971520L * 512, 512, "",
                "BASALT-VDA", "", Transport.VIRTIO, true, false, false, false));
    }

    @Test
    void virtualDevicesOnlyWhenAskedAndNeverEmptyOnes() throws IOException {
        List<Disk> disks = DiskDiscovery.discover(sys, new DiskDiscovery.Options(true, Set.of()));
        assertThat(disks).extracting(Disk::name).contains("loop0", "zram0").doesNotContain("loop1");
        assertThat(disks).filteredOn(d -> d.name().equals("loop0")).extracting(Disk::transport)
                .containsExactly(Transport.LOOP);
    }

    @Test
    void diskHoldingABootPartitionIsTheBootMedium() throws IOException {
        String mountinfo = """
                22 27 0:21 / /proc rw,relatime - proc proc rw
                27 1 254:1 / /run/basalt/boot ro,relatime - iso9660 /dev/vda1 ro
                28 27 7:0 / /system/rootfs ro - squashfs /dev/loop0 ro
                """;
        Set<String> boot = BootMedium.deviceNumbers(mountinfo, List.of("/run/basalt/boot"));
        assertThat(boot).containsExactly("254:1");
        List<Disk> disks = DiskDiscovery.discover(sys, new DiskDiscovery.Options(false, boot));
        assertThat(disks).filteredOn(Disk::bootMedium).extracting(Disk::name).containsExactly("vda");
    }

    @Test
    void missingSysfsIsAClearError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DiskDiscovery.discover(sys.resolve("nope")))
                .hasMessageContaining("nope/block does not exist");
    }

    private Path device(String devicePath, String name) throws IOException {
        Path real = sys.resolve(devicePath);
        Files.createDirectories(real);
        Files.createDirectories(sys.resolve("block"));
        Files.createSymbolicLink(sys.resolve("block").resolve(name), real);
        return real;
    }

    private static void write(Path dir, String file, String content) throws IOException {
        Path p = dir.resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
