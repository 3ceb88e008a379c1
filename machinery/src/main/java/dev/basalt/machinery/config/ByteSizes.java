package dev.basalt.machinery.config;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses human byte sizes the way Talos does (go-humanize's {@code ParseBytes}): a number, optional space, and an
 * optional SI ({@code kB}, {@code MB}, ... powers of 1000) or IEC ({@code KiB}, {@code MiB}, ... powers of 1024)
 * unit; units are case-insensitive and the trailing {@code B} may be left out.
 *
 * <p>Stateless; thread-safe.
 */
final class ByteSizes {

    private static final Pattern SIZE = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([a-zA-Z]*)\\s*");
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("k", 1000L), Map.entry("kb", 1000L), Map.entry("ki", 1L << 10), Map.entry("kib", 1L << 10),
            Map.entry("m", 1000_000L), Map.entry("mb", 1000_000L), Map.entry("mi", 1L << 20), Map.entry("mib", 1L << 20),
            Map.entry("g", 1000_000_000L), Map.entry("gb", 1000_000_000L), Map.entry("gi", 1L << 30),
            Map.entry("gib", 1L << 30),
            Map.entry("t", 1000_000_000_000L), Map.entry("tb", 1000_000_000_000L), Map.entry("ti", 1L << 40),
            Map.entry("tib", 1L << 40),
            Map.entry("p", 1000_000_000_000_000L), Map.entry("pb", 1000_000_000_000_000L), Map.entry("pi", 1L << 50),
            Map.entry("pib", 1L << 50));

    private ByteSizes() {
    }

    /** The size in bytes, or -1 if {@code text} is not a size. */
    static long parse(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            return -1;
        }
        Long unit = UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
        if (unit == null) {
            return -1;
        }
        try {
            return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)).longValueExact();
        } catch (ArithmeticException e) {
            return -1;
        }
    }
}
