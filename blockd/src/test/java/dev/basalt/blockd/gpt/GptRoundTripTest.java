package dev.basalt.blockd.gpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.blockd.device.MemoryBlockDevice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class GptRoundTripTest {
    private static final int DISK_BYTES = 8 * 1024 * 1024;

    @Property(tries = 200)
    void writtenTablesReadBackIdentically(@ForAll("tables") GptTable table) throws IOException {
        MemoryBlockDevice dev = new MemoryBlockDevice(DISK_BYTES, table.sectorSize());
        Gpt.write(dev, table);
        GptReadOutcome outcome = Gpt.read(dev);
        assertThat(outcome).isEqualTo(new GptReadOutcome.Valid(table, java.util.Optional.empty()));
        assertThat(GptCodec.isProtectiveMbr(dev.read(0, 512))).isTrue();
    }

    @Property(tries = 100)
    void damagedPrimaryHeaderIsRecoveredFromBackup(@ForAll("tables") GptTable table,
                                                   @ForAll("headerOffsets") int offset) throws IOException {
        MemoryBlockDevice dev = new MemoryBlockDevice(DISK_BYTES, table.sectorSize());
        Gpt.write(dev, table);
        dev.raw()[table.sectorSize() + offset] ^= 0x5A;
        GptReadOutcome outcome = Gpt.read(dev);
        assertThat(outcome).isInstanceOfSatisfying(GptReadOutcome.RecoveredFromBackup.class, r -> {
            assertThat(r.value()).isEqualTo(table);
            assertThat(r.primaryProblem()).startsWith("primary: GPT header at LBA 1");
        });
    }

    @Provide
    Arbitrary<Integer> headerOffsets() {
        return Arbitraries.integers().between(0, GptCodec.HEADER_SIZE - 1);
    }

    @Provide
    Arbitrary<GptTable> tables() {
        Arbitrary<Integer> sectorSizes = Arbitraries.of(512, 4096);
        Arbitrary<List<Long>> cuts = Arbitraries.longs().between(0, 1000).list().ofMaxSize(24);
        Arbitrary<List<String>> names = Arbitraries.strings().withCharRange(' ', '\u024F').ofMaxLength(36).list()
                .ofSize(24);
        Arbitrary<List<Long>> attrs = Arbitraries.longs().list().ofSize(24);
        Arbitrary<List<Integer>> types = Arbitraries.integers().between(0, 3).list().ofSize(24);
        return Combinators.combine(sectorSizes, cuts, names, attrs, types).as((ss, c, n, a, t) -> {
            GptTable empty = GptTable.empty(UUID.randomUUID(), ss, DISK_BYTES / ss);
            long span = empty.lastUsableLba() - empty.firstUsableLba() + 1;
            // Turn sorted cut points into disjoint partitions over the usable range.
            List<Long> points = new ArrayList<>(c.stream().map(x -> empty.firstUsableLba() + x * span / 1001)
                    .distinct().sorted().toList());
            List<GptPartition> parts = new ArrayList<>();
            for (int i = 0; i + 1 < points.size(); i += 2) {
                UUID type = t.get(i) == 3 ? UUID.randomUUID() : PartitionType.values()[t.get(i)].guid();
                parts.add(new GptPartition(i * 5 + 1, type, UUID.randomUUID(), points.get(i),
                        points.get(i + 1), a.get(i), n.get(i)));
            }
            return empty.withPartitions(parts);
        });
    }
}
