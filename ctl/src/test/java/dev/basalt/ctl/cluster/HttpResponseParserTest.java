package dev.basalt.ctl.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpResponseParserTest {
    private static UnixHttpClient.Response parse(String raw) throws Exception {
        ByteArrayInputStream in = new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1));
        return UnixHttpClient.HttpResponseParser.parse(in::read, 1024, 1 << 20);
    }

    @Test
    void readsAContentLengthBody() throws Exception {
        var r = parse("HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"Id\":\"x\"}\n");
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.headers()).containsEntry("content-type", "application/json");
        assertThat(r.text()).isEqualTo("{\"Id\":\"x\"}\n");
    }

    @Test
    void readsAChunkedBody() throws Exception {
        var r = parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\n\r\n");
        assertThat(r.text()).isEqualTo("Wikipedia");
    }

    @Test
    void readsToTheEndWithoutLengthAndNothingFor204() throws Exception {
        assertThat(parse("HTTP/1.0 200 OK\r\n\r\nOK").text()).isEqualTo("OK");
        assertThat(parse("HTTP/1.1 204 No Content\r\n\r\n").body()).isEmpty();
    }

    @Test
    void rejectsBrokenResponses() {
        assertThatThrownBy(() -> parse("SSH-2.0-OpenSSH\r\n")).hasMessageContaining("status line 'SSH-2.0-OpenSSH'");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"))
                .hasMessage("HTTP body ended after 5 of 10 bytes");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))
                .hasMessage("malformed HTTP chunk size 'zz'");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nbad header\r\n\r\n"))
                .hasMessage("malformed HTTP header line 'bad header'");
        assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nX: " + "a".repeat(2000) + "\r\n\r\n"))
                .hasMessageContaining("longer than 1024");
    }
}
