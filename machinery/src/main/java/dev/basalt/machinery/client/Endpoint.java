package dev.basalt.machinery.client;

/**
 * An apid endpoint as written in a client config or {@code -e}: {@code host}, {@code host:port}, {@code [v6]}
 * or {@code [v6]:port}; the port defaults to 50000.
 *
 * @param host host name or IP literal (IPv6 without brackets)
 * @param port TCP port
 */
public record Endpoint(String host, int port) {
    public static final int DEFAULT_PORT = 50000;

    /** Parses an endpoint; fails naming the value and the accepted forms. */
    public static Endpoint parse(String text) {
        String s = text.trim();
        String expected = "; expected host, host:port, [ipv6] or [ipv6]:port";
        if (s.isEmpty()) {
            throw new IllegalArgumentException("endpoint is empty" + expected);
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("endpoint \"" + text + "\" has no closing ']'" + expected);
            }
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                return new Endpoint(s.substring(1, close), DEFAULT_PORT);
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("endpoint \"" + text + "\" has junk after ']'" + expected);
            }
            return new Endpoint(s.substring(1, close), port(rest.substring(1), text));
        }
        int colon = s.indexOf(':');
        if (colon < 0 || s.indexOf(':', colon + 1) >= 0) {
            return new Endpoint(s, DEFAULT_PORT);
        }
        return new Endpoint(s.substring(0, colon), port(s.substring(colon + 1), text));
    }

    private static int port(String p, String text) {
        try {
            int port = Integer.parseInt(p);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("endpoint \"" + text + "\" has port \"" + p
                + "\"; expected a number from 1 to 65535");
    }

    /** The gRPC target string. */
    public String target() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
