package dev.basalt.ctl.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesWhatTheDockerEngineSends() {
        Object v = Json.parse("{\"Id\":\"abc\",\"Labels\":{\"basalt.type\":\"worker\"},\"Ports\":[],"
                + "\"Size\":12,\"Ratio\":1.5e0,\"Up\":true,\"Gone\":null,\"Esc\":\"a\\u00e9\\n\\\"\"}");
        assertThat(Json.string(v, "Labels", "basalt.type")).isEqualTo("worker");
        assertThat(Json.path(v, "Size")).isEqualTo(12L);
        assertThat(Json.path(v, "Ratio")).isEqualTo(new BigDecimal("1.5e0"));
        assertThat(Json.string(v, "Esc")).isEqualTo("aé\n\"");
        assertThat(Json.path(v, "Missing", "Deeper")).isNull();
    }

    @Test
    void rejectsMalformedTextWithTheOffset() {
        assertThatThrownBy(() -> Json.parse("{\"a\":1,}"))
                .hasMessage("malformed JSON at offset 7: expected a member name, found '}'");
        assertThatThrownBy(() -> Json.parse("[1 2]")).hasMessage("malformed JSON at offset 3: expected ']', found '2'");
        assertThatThrownBy(() -> Json.parse("\"open")).hasMessageContaining("expected closing '\"'");
        assertThatThrownBy(() -> Json.parse("01")).hasMessageContaining("no leading zero");
        assertThatThrownBy(() -> Json.parse("[".repeat(1000))).hasMessageContaining("nested deeper than 512");
        assertThatThrownBy(() -> Json.parse("{} x")).hasMessageContaining("expected end of input");
    }

    @Property
    void roundTrips(@ForAll("values") Object value) {
        assertThat(Json.parse(Json.write(value))).isEqualTo(value);
    }

    @Provide
    Arbitrary<Object> values() {
        Arbitrary<Object> scalars = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l), Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
        return Arbitraries.recursive(() -> scalars, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> (Object) l),
                Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), inner).ofMaxSize(4)
                        .map(m -> (Object) new LinkedHashMap<>(m))), 3);
    }

    @Test
    void writesNestedValuesCompactly() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Env", List.of("PLATFORM=container"));
        m.put("ReadonlyRootfs", true);
        assertThat(Json.write(m)).isEqualTo("{\"Env\":[\"PLATFORM=container\"],\"ReadonlyRootfs\":true}");
    }
}
