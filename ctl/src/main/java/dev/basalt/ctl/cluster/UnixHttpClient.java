package dev.basalt.ctl.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 over a unix-domain socket (what the Docker engine listens on; {@code java.net.http} cannot dial unix
 * sockets). One connection per request ({@code Connection: close}); the response body is read by
 * {@code Content-Length}, chunked transfer coding, or to end of stream. Every request has a deadline: when it
 * passes, the socket is closed and the call fails with {@link SocketTimeoutException}.
 *
 * <p>Thread-safe; requests are independent.
 */
public final class UnixHttpClient {
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final long MAX_BODY_BYTES = 64L << 20;
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "http-deadlines");
        t.setDaemon(true);
        return t;
    });

    private final Path socket;

    public UnixHttpClient(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    /** A response: status code, headers (lower-case names), body. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public Response request(String method, String path, byte[] body, String contentType, Duration timeout)
            throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing to abort a late request
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        try (channel) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            head.append("Host: docker\r\n");
            head.append("Connection: close\r\n");
            head.append("User-Agent: basaltctl\r\n");
            if (body != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            writeAll(channel, head.toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                writeAll(channel, body);
            }
            return HttpResponseParser.parse(new ChannelInput(channel), MAX_HEADER_BYTES, MAX_BODY_BYTES);
        } catch (IOException e) {
            if (deadline.isDone()) {
                throw new SocketTimeoutException(method + " " + path + " on " + socket + ": no answer within "
                        + timeout.toMillis() + " ms");
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    private static void writeAll(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    /** Byte source over a channel, buffered. */
    static final class ChannelInput implements HttpResponseParser.Input {
        private final SocketChannel channel;
        private final ByteBuffer buf = ByteBuffer.allocate(16 * 1024).flip();

        ChannelInput(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            if (!buf.hasRemaining()) {
                buf.clear();
                int n = channel.read(buf);
                buf.flip();
                if (n < 0) {
                    return -1;
                }
            }
            return buf.get() & 0xff;
        }
    }

    /** Parses an HTTP/1.1 response from a byte source; separate so it is tested without a socket. */
    static final class HttpResponseParser {
        interface Input {
            /** The next byte, or -1 at end of stream. */
            int read() throws IOException;
        }

        static Response parse(Input in, int maxHeader, long maxBody) throws IOException {
            String statusLine = line(in, maxHeader);
            if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
                throw new IOException("malformed HTTP response: status line '" + statusLine + "'");
            }
            String[] parts = statusLine.split(" ", 3);
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (RuntimeException e) {
                throw new IOException("malformed HTTP status line '" + statusLine + "'");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            int total = statusLine.length();
            for (String h = line(in, maxHeader); ; h = line(in, maxHeader)) {
                if (h == null) {
                    throw new IOException("HTTP response ended inside its headers");
                }
                if (h.isEmpty()) {
                    break;
                }
                total += h.length();
                if (total > maxHeader) {
                    throw new IOException("HTTP response headers exceed " + maxHeader + " bytes");
                }
                int colon = h.indexOf(':');
                if (colon <= 0) {
                    throw new IOException("malformed HTTP header line '" + h + "'");
                }
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
                return new Response(status, headers, new byte[0]);
            }
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                while (true) {
                    String size = line(in, maxHeader);
                    if (size == null) {
                        throw new IOException("chunked HTTP body ended without its last chunk");
                    }
                    int semi = size.indexOf(';');
                    long n;
                    try {
                        n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                    } catch (NumberFormatException e) {
                        throw new IOException("malformed HTTP chunk size '" + size + "'");
                    }
                    if (n == 0) {
                        // Trailers until the empty line.
                        for (String t = line(in, maxHeader); t != null && !t.isEmpty(); t = line(in, maxHeader)) {
                            // ignored
                        }
                        break;
                    }
                    copy(in, body, n, maxBody);
                    String end = line(in, maxHeader);
                    if (end == null || !end.isEmpty()) {
                        throw new IOException("HTTP chunk not followed by CRLF");
                    }
                }
            } else if (headers.containsKey("content-length")) {
                long n;
                try {
                    n = Long.parseLong(headers.get("content-length"));
                } catch (NumberFormatException e) {
                    throw new IOException("malformed Content-Length '" + headers.get("content-length") + "'");
                }
                copy(in, body, n, maxBody);
            } else {
                for (int b = in.read(); b >= 0; b = in.read()) {
                    body.write(b);
                    if (body.size() > maxBody) {
                        throw new IOException("HTTP body exceeds " + maxBody + " bytes");
                    }
                }
            }
            return new Response(status, headers, body.toByteArray());
        }

        private static void copy(Input in, ByteArrayOutputStream out, long n, long max) throws IOException {
            if (out.size() + n > max) {
                throw new IOException("HTTP body exceeds " + max + " bytes");
            }
            for (long i = 0; i < n; i++) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("HTTP body ended after " + i + " of " + n + " bytes");
                }
                out.write(b);
            }
        }

        /** A CRLF- (or LF-) terminated line without its terminator; null at end of stream before any byte. */
        private static String line(Input in, int max) throws IOException {
            StringBuilder b = new StringBuilder();
            while (true) {
                int c = in.read();
                if (c < 0) {
                    return b.isEmpty() ? null : b.toString();
                }
                if (c == '\n') {
                    int len = b.length();
                    if (len > 0 && b.charAt(len - 1) == '\r') {
                        b.setLength(len - 1);
                    }
                    return b.toString();
                }
                b.append((char) c);
                if (b.length() > max) {
                    throw new IOException("HTTP line longer than " + max + " bytes");
                }
            }
        }
    }
}
