package dev.cachescope.export.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server bound to loopback answers only to loopback names and the allowed hosts: a page on
 * another site that rebinds its name to 127.0.0.1 (its requests carry its own {@code Host}) gets a
 * JSON 421 from every path, and a cross-origin read a JSON 403. Requests are written on a raw
 * socket, because HTTP clients will not send a foreign {@code Host}.
 */
class HostCheckTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PATHS =
      List.of(
          "/api/metrics/cache/summary",
          "/api/metrics/cache/c/snapshot",
          "/api/metrics/cache/c/operations",
          "/api/metrics/cache/series",
          "/api/alerts",
          "/api",
          "/health",
          "/metrics",
          "/");
  private MetricsAggregator aggregator;
  private MetricsHttpServer server;

  @BeforeEach
  void start() throws IOException {
    aggregator = MetricsAggregator.builder().publishInterval(Duration.ZERO).build();
    aggregator.register(CacheMonitor.create("c"));
    server =
        MetricsHttpServer.builder(aggregator)
            .port(0)
            .allowedHosts(List.of("cachescope.internal"))
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
    aggregator.close();
  }

  /** The status line, body and head of a GET with these extra header lines. */
  private String[] get(String path, String... headers) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
      for (String header : headers) {
        request.append(header).append("\r\n");
      }
      request.append("Connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int bodyStart = response.indexOf("\r\n\r\n");
      return new String[] {
        response.substring(0, response.indexOf("\r\n")),
        response.substring(bodyStart + 4),
        response.substring(0, bodyStart)
      };
    }
  }

  @Test
  void aForeignHostGetsAJson421OnEveryPath() throws IOException {
    for (String path : PATHS) {
      for (String host : List.of("evil.example", "evil.example:" + server.port(), "10.0.0.1")) {
        String[] response = get(path, "Host: " + host);
        assertThat(response[0]).as(host + " " + path).contains(" 421 ");
        JsonNode body = JSON.readTree(response[1]);
        assertThat(body.get("status").asInt()).isEqualTo(421);
        assertThat(body.get("error").asText()).contains("allowed_hosts");
      }
    }
  }

  @Test
  void loopbackNamesAndAllowedHostsAreAnswered() throws IOException {
    int port = server.port();
    for (String host :
        List.of(
            "127.0.0.1:" + port,
            "localhost:" + port,
            "LOCALHOST",
            "[::1]:" + port,
            "127.1.2.3",
            "cachescope.internal:" + port)) {
      for (String path : PATHS) {
        assertThat(get(path, "Host: " + host)[0]).as(host + " " + path).contains(" 200 ");
      }
    }
  }

  @Test
  void aCrossOriginReadGetsAJson403AndSameOriginPasses() throws IOException {
    String host = "Host: 127.0.0.1:" + server.port();
    String[] foreign = get("/api/metrics/cache/summary", host, "Origin: http://evil.example");
    assertThat(foreign[0]).contains(" 403 ");
    assertThat(JSON.readTree(foreign[1]).get("status").asInt()).isEqualTo(403);
    assertThat(get("/api/metrics/cache/summary", host, "Origin: not a uri")[0]).contains(" 403 ");
    assertThat(
            get("/api/metrics/cache/summary", host, "Origin: http://127.0.0.1:" + server.port())[0])
        .contains(" 200 ");
    assertThat(get("/api/metrics/cache/summary", host, "Origin: http://localhost:1")[0])
        .contains(" 200 ");
  }

  @Test
  void noCorsHeadersAreSent() throws IOException {
    String[] response =
        get(
            "/api/metrics/cache/summary",
            "Host: 127.0.0.1:" + server.port(),
            "Origin: http://localhost:" + server.port());
    assertThat(response[0]).contains(" 200 ");
    assertThat(response[2].toLowerCase(java.util.Locale.ROOT)).doesNotContain("access-control-");
  }
}
