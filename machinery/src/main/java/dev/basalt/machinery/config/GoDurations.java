package dev.basalt.machinery.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Go duration strings ({@code 1h30m}, {@code 2.5s}, {@code 300ms}), the format Talos uses for every
 * duration in its config. See https://pkg.go.dev/time#ParseDuration.
 *
 * <p>Stateless; thread-safe.
 */
public final class GoDurations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private GoDurations() {
    }

    /** The duration, or throws {@link IllegalArgumentException} naming the text and the expected form. */
    public static Duration parse(String text) {
        String body = text;
        boolean negative = false;
        if (body.startsWith("-") || body.startsWith("+")) {
            negative = body.startsWith("-");
            body = body.substring(1);
        }
        if (body.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = PART.matcher(body);
        int at = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (at < body.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("'" + text + "' is not a duration; expected a form such as 30s or 1h10m");
            }
            BigDecimal amount = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(amount.multiply(BigDecimal.valueOf(unit)));
            at = m.end();
        }
        if (at == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; expected a form such as 30s or 1h10m");
        }
        Duration duration = Duration.ofNanos(nanos.longValue());
        return negative ? duration.negated() : duration;
    }
}
