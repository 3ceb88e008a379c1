package dev.basalt.apid.proxy;

/**
 * A node as clients name it in {@code node}/{@code nodes}: {@code host}, {@code host:port}, {@code [v6]} or
 * {@code [v6]:port}; without a port, apid's well-known port 50000.
 *
 * @param host host name or IP literal (IPv6 without brackets)
 * @param port TCP port
 */
public record NodeAddress(String host, int port) {
    public static final int APID_PORT = 50000;

    /** Parses a node name; fails with a message naming the value and the expected forms. */
    public static NodeAddress parse(String text) {
        String s = text.trim();
        String expected = "; expected host, host:port, [ipv6] or [ipv6]:port";
        if (s.isEmpty()) {
            throw new IllegalArgumentException("node name is empty" + expected);
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("node \"" + text + "\" has no closing ']'" + expected);
            }
            String host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                return new NodeAddress(host, APID_PORT);
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("node \"" + text + "\" has junk after ']'" + expected);
            }
            return new NodeAddress(host, port(rest.substring(1), text));
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            return new NodeAddress(s, APID_PORT);
        }
        if (s.indexOf(':', colon + 1) >= 0) {
            return new NodeAddress(s, APID_PORT); // bare IPv6 literal
        }
        return new NodeAddress(s.substring(0, colon), port(s.substring(colon + 1), text));
    }

    private static int port(String p, String text) {
        try {
            int port = Integer.parseInt(p);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("node \"" + text + "\" has port \"" + p
                    + "\"; expected a number from 1 to 65535");
        }
    }

    /** The gRPC target, e.g. {@code 10.0.0.2:50000} or {@code [fd00::1]:50000}. */
    public String target() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
