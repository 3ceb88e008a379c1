package dev.basalt.ctl.cluster;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few Docker engine API calls (API v1.41, Docker 20.10+) the docker provisioner makes: ping, image inspect,
 * networks and containers create/list/inspect/start/remove. Speaks plain HTTP over the engine's unix socket.
 *
 * <p>Thread-safe.
 */
public final class DockerEngine {
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");
    private static final String API = "/v1.41";
    private static final Duration CALL = Duration.ofSeconds(60);

    private final UnixHttpClient http;

    public DockerEngine(Path socket) {
        this.http = new UnixHttpClient(socket);
    }

    /** Fails with a message saying how to start the engine when nothing answers on the socket. */
    public void ping() throws DockerException {
        if (!Files.exists(http.socket())) {
            throw new DockerException(0, "the Docker engine socket " + http.socket() + " does not exist; start "
                    + "the engine first (bin/lib/start-docker.sh)");
        }
        call("GET", "/_ping", null, 200);
    }

    public boolean imageExists(String reference) throws DockerException {
        UnixHttpClient.Response r = send("GET", "/images/" + encodePath(reference) + "/json", null);
        if (r.status() == 404) {
            return false;
        }
        expect(r, "GET /images/" + reference, 200);
        return true;
    }

    /** Creates a bridge network with a fixed subnet and labels; returns its id. */
    public String createNetwork(String name, String subnet, String gateway, Map<String, String> labels)
            throws DockerException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Name", name);
        body.put("Driver", "bridge");
        body.put("CheckDuplicate", true);
        body.put("Labels", labels);
        body.put("IPAM", Map.of("Config", List.of(Map.of("Subnet", subnet, "Gateway", gateway))));
        return Json.string(call("POST", "/networks/create", body, 201), "Id");
    }

    public List<Map<String, Object>> networks(String label) throws DockerException {
        return objects(call("GET", "/networks?filters=" + filter(label), null, 200));
    }

    public void removeNetwork(String id) throws DockerException {
        UnixHttpClient.Response r = send("DELETE", "/networks/" + encodePath(id), null);
        if (r.status() != 404) {
            expect(r, "DELETE /networks/" + id, 204);
        }
    }

    /** Creates a container from a full create body; returns its id. */
    public String createContainer(String name, Map<String, Object> body) throws DockerException {
        return Json.string(call("POST", "/containers/create?name=" + encodeQuery(name), body, 201), "Id");
    }

    public void startContainer(String id) throws DockerException {
        UnixHttpClient.Response r = send("POST", "/containers/" + encodePath(id) + "/start", null);
        if (r.status() != 304) {
            expect(r, "start container " + id, 204);
        }
    }

    public void stopContainer(String id, int seconds) throws DockerException {
        UnixHttpClient.Response r = send("POST", "/containers/" + encodePath(id) + "/stop?t=" + seconds, null);
        if (r.status() != 304) {
            expect(r, "stop container " + id, 204);
        }
    }

    /** Containers (running or not) carrying {@code label} ({@code key=value}). */
    public List<Map<String, Object>> containers(String label) throws DockerException {
        return objects(call("GET", "/containers/json?all=true&filters=" + filter(label), null, 200));
    }

    public Map<String, Object> inspectContainer(String id) throws DockerException {
        return asObject(call("GET", "/containers/" + encodePath(id) + "/json", null, 200));
    }

    /** Removes a container, its anonymous volumes too, stopping it if needed. */
    public void removeContainer(String id) throws DockerException {
        UnixHttpClient.Response r = send("DELETE", "/containers/" + encodePath(id) + "?force=true&v=true", null);
        if (r.status() != 404) {
            expect(r, "remove container " + id, 204);
        }
    }

    private Object call(String method, String path, Object body, int expected) throws DockerException {
        UnixHttpClient.Response r = send(method, path, body);
        expect(r, method + " " + path, expected);
        if (r.body().length == 0) {
            return null;
        }
        if (!r.headers().getOrDefault("content-type", "").startsWith("application/json")) {
            return r.text();
        }
        try {
            return Json.parse(r.text());
        } catch (Json.JsonException e) {
            throw new DockerException(r.status(), method + " " + path + ": the engine answered with "
                    + e.getMessage());
        }
    }

    private UnixHttpClient.Response send(String method, String path, Object body) throws DockerException {
        try {
            byte[] bytes = body == null ? null : Json.write(body).getBytes(StandardCharsets.UTF_8);
            return http.request(method, API + path, bytes, "application/json", CALL);
        } catch (IOException e) {
            throw new DockerException("Docker engine at " + http.socket() + " did not answer " + method + " " + path
                    + ": " + e.getMessage(), e);
        }
    }

    private static void expect(UnixHttpClient.Response r, String what, int expected) throws DockerException {
        if (r.status() != expected && !(expected == 200 && r.status() == 201)) {
            String message = r.body().length == 0 ? "" : messageOf(r.text());
            throw new DockerException(r.status(), what + ": Docker engine answered " + r.status()
                    + (message.isEmpty() ? "" : ": " + message));
        }
    }

    private static String messageOf(String text) {
        try {
            return Json.string(Json.parse(text), "message");
        } catch (Json.JsonException e) {
            return text.strip();
        }
    }

    private static String filter(String label) {
        return encodeQuery(Json.write(Map.of("label", List.of(label))));
    }

    private static String encodeQuery(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String encodePath(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":")
                .replace("%2F", "/");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(Object value) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (value instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    out.add((Map<String, Object>) m);
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asObject(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
