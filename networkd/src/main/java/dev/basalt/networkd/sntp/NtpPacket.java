package dev.basalt.networkd.sntp;

import dev.basalt.networkd.packet.MalformedPacketException;

import java.nio.ByteBuffer;

/**
 * The 48-byte NTP/SNTP message (RFC 4330 §4) with its codec; extension fields and the authenticator, if any, are
 * ignored on decode.
 *
 * <p>Immutable and thread-safe.
 */
public record NtpPacket(int leap, int version, int mode, int stratum, int poll, int precision, int rootDelay,
                        int rootDispersion, int referenceId, long referenceTimestamp, long originateTimestamp,
                        long receiveTimestamp, long transmitTimestamp) {
    public static final int SIZE = 48;
    public static final int MODE_CLIENT = 3;
    public static final int MODE_SERVER = 4;

    public NtpPacket {
        if (leap < 0 || leap > 3 || version < 0 || version > 7 || mode < 0 || mode > 7 || stratum < 0 || stratum > 255) {
            throw new IllegalArgumentException("NTP leap 0..3, version 0..7, mode 0..7, stratum 0..255; got " + leap
                    + ", " + version + ", " + mode + ", " + stratum);
        }
    }

    /** A version-4 client request carrying {@code transmit}, which the server echoes as originate. */
    public static NtpPacket request(long transmit) {
        return new NtpPacket(0, 4, MODE_CLIENT, 0, 0, 0, 0, 0, 0, 0, 0, 0, transmit);
    }

    public byte[] encode() {
        return ByteBuffer.allocate(SIZE).put((byte) ((leap << 6) | (version << 3) | mode)).put((byte) stratum)
                .put((byte) poll).put((byte) precision).putInt(rootDelay).putInt(rootDispersion).putInt(referenceId)
                .putLong(referenceTimestamp).putLong(originateTimestamp).putLong(receiveTimestamp).putLong(transmitTimestamp)
                .array();
    }

    public static NtpPacket decode(byte[] data) {
        if (data.length < SIZE) {
            throw new MalformedPacketException("NTP packet is " + data.length + " bytes; expected at least 48");
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        int first = b.get() & 0xff;
        return new NtpPacket(first >> 6, (first >> 3) & 7, first & 7, b.get() & 0xff, b.get(), b.get(), b.getInt(),
                b.getInt(), b.getInt(), b.getLong(), b.getLong(), b.getLong(), b.getLong());
    }
}
