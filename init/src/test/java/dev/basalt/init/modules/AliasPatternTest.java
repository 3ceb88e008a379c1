package dev.basalt.init.modules;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AliasPatternTest {
    @Test
    void starMatchesAnyRunIncludingEmpty() {
        AliasPattern p = new AliasPattern("virtio:d00000001v*");
        assertThat(p.matches("virtio:d00000001v00001AF4")).isTrue();
        assertThat(p.matches("virtio:d00000001v")).isTrue();
        assertThat(p.matches("virtio:d00000002v00001AF4")).isFalse();
    }

    @Test
    void matchesPciAliasWithSeveralStars() {
        AliasPattern p = new AliasPattern("pci:v00008086d0000100Esv*sd*bc*sc*i*");
        assertThat(p.matches("pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00")).isTrue();
        assertThat(p.matches("pci:v00008086d0000100Fsv00001AF4sd00001100bc02sc00i00")).isFalse();
    }

    @Test
    void questionMarkMatchesExactlyOneCharacter() {
        AliasPattern p = new AliasPattern("usb:v?d");
        assertThat(p.matches("usb:vXd")).isTrue();
        assertThat(p.matches("usb:vd")).isFalse();
        assertThat(p.matches("usb:vXYd")).isFalse();
    }

    @Test
    void bracketSetsRangesAndNegation() {
        assertThat(new AliasPattern("acpi*:PNP0[Aa]0[0-3]:*").matches("acpi:PNP0a02:")).isTrue();
        assertThat(new AliasPattern("acpi*:PNP0[Aa]0[0-3]:*").matches("acpi:PNP0A05:")).isFalse();
        assertThat(new AliasPattern("x[!0-9]y").matches("xay")).isTrue();
        assertThat(new AliasPattern("x[!0-9]y").matches("x5y")).isFalse();
        assertThat(new AliasPattern("x[^a]y").matches("xay")).isFalse();
    }

    @Test
    void unterminatedBracketIsLiteral() {
        assertThat(new AliasPattern("a[b").matches("a[b")).isTrue();
        assertThat(new AliasPattern("a[b").matches("ab")).isFalse();
    }

    @Test
    void emptyPatternIsRejectedByName() {
        assertThatThrownBy(() -> new AliasPattern("")).hasMessageContaining("alias pattern");
    }

    @Property
    void literalPatternMatchesOnlyItself(@ForAll @AlphaChars @NumericChars String text,
                                         @ForAll @AlphaChars String other) {
        AliasPattern p = new AliasPattern("x" + text);
        assertThat(p.matches("x" + text)).isTrue();
        if (!other.isEmpty()) {
            assertThat(p.matches("x" + text + other)).isFalse();
        }
    }

    @Property
    void starAroundAnyTextMatchesAnyStringContainingIt(@ForAll @AlphaChars String prefix,
                                                       @ForAll @AlphaChars String middle,
                                                       @ForAll @AlphaChars String suffix) {
        assertThat(new AliasPattern("*" + middle + "*").matches(prefix + middle + suffix)).isTrue();
    }
}
