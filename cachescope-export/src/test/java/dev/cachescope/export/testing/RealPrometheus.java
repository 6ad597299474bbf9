package dev.cachescope.export.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A real Prometheus server (Debian's {@code prometheus}) scraping loopback targets every second,
 * for tests that prove an exposition by querying what Prometheus stored.
 */
public final class RealPrometheus implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();
  private final Process process;
  private final int port;

  private RealPrometheus(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts Prometheus scraping {@code http://127.0.0.1:targetPort/metricsPath} as job {@code job},
   * its data and log under {@code dir}; skips the test when Prometheus is not installed.
   */
  public static RealPrometheus scraping(int targetPort, String metricsPath, String job, Path dir)
      throws IOException {
    return scraping(List.of(targetPort), metricsPath, job, dir);
  }

  /**
   * Starts Prometheus scraping {@code metricsPath} on each loopback port of {@code targetPorts}, as
   * instances of job {@code job}; skips the test when Prometheus is not installed.
   */
  public static RealPrometheus scraping(
      List<Integer> targetPorts, String metricsPath, String job, Path dir) throws IOException {
    return scraping(targetPorts, metricsPath, job, dir, List.of());
  }

  /**
   * As {@link #scraping(List, String, String, Path)}, with more command-line flags for Prometheus
   * ({@code --enable-feature=native-histograms}, say).
   */
  public static RealPrometheus scraping(
      List<Integer> targetPorts, String metricsPath, String job, Path dir, List<String> flags)
      throws IOException {
    Path binary = SystemTools.require("prometheus", "prometheus");
    int port = SystemTools.freePort();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: %s
            metrics_path: %s
            static_configs:
              - targets: [%s]
        """
            .formatted(
                job,
                metricsPath,
                targetPorts.stream()
                    .map(p -> "'127.0.0.1:" + p + "'")
                    .collect(Collectors.joining(", "))));
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--config.file=" + config);
    command.add("--storage.tsdb.path=" + dir.resolve("data"));
    command.add("--web.listen-address=127.0.0.1:" + port);
    command.addAll(flags);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    return new RealPrometheus(process, port);
  }

  /**
   * Asserts that Prometheus's {@code promtool check metrics} accepts {@code exposition} without a
   * lint finding; skips the test when promtool is not installed.
   */
  public static void assertPromtoolAccepts(String exposition)
      throws IOException, InterruptedException {
    Path promtool = SystemTools.require("promtool", "prometheus");
    Process process =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    process.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  /**
   * Waits up to a minute for {@code query} to give a result that {@code check} accepts; the result
   * is the {@code data.result} array of Prometheus's query API.
   */
  public void awaitQuery(String query, Consumer<JsonNode> check) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(() -> check.accept(query(query)));
  }

  /**
   * Evaluates {@code query} once, now, and returns the {@code data.result} array; fails if
   * Prometheus refuses the query (a syntax error, say).
   */
  public JsonNode query(String query) throws IOException, InterruptedException {
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + port
                + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8));
    JsonNode answer =
        JSON.readTree(
            client
                .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body());
    assertThat(answer.path("status").asText()).as(query + " -> " + answer).isEqualTo("success");
    return answer.get("data").get("result");
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
