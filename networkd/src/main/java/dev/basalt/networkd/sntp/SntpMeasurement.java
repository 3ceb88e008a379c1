package dev.basalt.networkd.sntp;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One SNTP exchange's result (RFC 4330 §5).
 *
 * @param server  who answered
 * @param offset  how far the server's clock is ahead of ours (positive: ours is behind)
 * @param delay   round-trip delay, excluding the server's processing time
 * @param stratum the server's stratum (1..15)
 */
public record SntpMeasurement(InetSocketAddress server, Duration offset, Duration delay, int stratum) {
}
