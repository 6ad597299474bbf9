package dev.cachescope.export.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachescope.CacheMonitor;
import dev.cachescope.LatencySummary;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.Source;
import dev.cachescope.export.BackendHealth;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsHttpServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private MetricsAggregator aggregator;
  private MetricsHttpServer server;
  private CacheMonitor rules;

  @BeforeEach
  void start() throws IOException {
    aggregator = MetricsAggregator.builder().publishInterval(Duration.ZERO).build();
    rules =
        aggregator.register(CacheMonitor.builder("RuleCache").maxOperationsHistory(500).build());
    aggregator.register(CacheMonitor.create("a b/c"));
    for (int i = 0; i < 150; i++) {
      rules.recordPut(rules.startTimed(), "k" + i, i);
    }
    rules.recordHit(CacheMonitor.NOT_TIMED, Source.MEMORY, "k1");
    rules.recordMiss(CacheMonitor.NOT_TIMED, null, "nope");
    server = MetricsHttpServer.builder(aggregator).port(0).start();
  }

  @AfterEach
  void stop() {
    server.close();
    aggregator.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build());
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    return JSON.readTree(response.body());
  }

  @Test
  void bindsLoopbackOnAFreePort() {
    assertThat(server.port()).isPositive().isNotEqualTo(8080);
    assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port());
  }

  @Test
  void theSummaryHasTheDesignsFields() throws Exception {
    HttpResponse<String> response = get("/api/metrics/cache/summary");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("total_caches").asInt()).isEqualTo(2);
    assertThat(body.get("caches").get("RuleCache").get("hits").asLong()).isEqualTo(1);
    assertThat(body.has("average_hit_rate")).isTrue();
    assertThat(body.has("total_memory_mb")).isTrue();
  }

  @Test
  void aSnapshotByNameIncludingAnEncodedOne() throws Exception {
    JsonNode rule = json(get("/api/metrics/cache/RuleCache/snapshot"));
    assertThat(rule.get("cache_name").asText()).isEqualTo("RuleCache");
    assertThat(rule.get("puts").asLong()).isEqualTo(150);
    HttpResponse<String> odd = get("/api/metrics/cache/a%20b%2Fc/snapshot");
    assertThat(odd.statusCode()).isEqualTo(200);
    assertThat(json(odd).get("cache_name").asText()).isEqualTo("a b/c");
  }

  @Test
  void operationsDefaultToTheLast100AndTakeALimit() throws Exception {
    JsonNode ops = json(get("/api/metrics/cache/RuleCache/operations"));
    assertThat(ops.size()).isEqualTo(100);
    assertThat(ops.get(ops.size() - 1).get("result").asText()).isEqualTo("miss");
    assertThat(ops.get(0).has("key")).isTrue();
    assertThat(ops.get(0).get("key").isNull()).isTrue();
    JsonNode three = json(get("/api/metrics/cache/RuleCache/operations?limit=3"));
    assertThat(three.size()).isEqualTo(3);
    // 150 puts and the miss: an unsampled hit is counted, not kept.
    assertThat(json(get("/api/metrics/cache/RuleCache/operations?limit=500")).size())
        .isEqualTo(151);
  }

  @Test
  void operationsFilterByOperationAndResultOverTheWholeHistory() throws Exception {
    JsonNode misses = json(get("/api/metrics/cache/RuleCache/operations?result=miss"));
    assertThat(misses.size()).isEqualTo(1);
    assertThat(misses.get(0).get("operation").asText()).isEqualTo("get");
    JsonNode sets = json(get("/api/metrics/cache/RuleCache/operations?operation=set&limit=5"));
    assertThat(sets.size()).isEqualTo(5);
    assertThat(sets.findValuesAsText("operation")).containsOnly("set");
    // The newest five puts, oldest first.
    assertThat(sets.get(4).get("size_bytes").asLong()).isEqualTo(149);
    assertThat(json(get("/api/metrics/cache/RuleCache/operations?operation=get&result=hit")))
        .isEmpty();
    assertError(
        get("/api/metrics/cache/RuleCache/operations?operation=fetch"),
        400,
        "operation must be one of [get, set, delete, clear, load, evict], got 'fetch'");
    assertError(
        get("/api/metrics/cache/RuleCache/operations?result=HIT"), 400, "result must be one of");
  }

  @Test
  void theSeriesHasEveryCacheAndTakesAnAfterTime() throws Exception {
    JsonNode series = json(get("/api/metrics/cache/series"));
    assertThat(series.has("RuleCache")).isTrue();
    assertThat(series.has("a b/c")).isTrue();
    assertThat(series.get("RuleCache").isArray()).isTrue();
    double future = System.currentTimeMillis() / 1000.0 + 3_600;
    assertThat(json(get("/api/metrics/cache/series?after=" + future)).get("RuleCache")).isEmpty();
    assertError(get("/api/metrics/cache/series?after=soon"), 400, "after must be a Unix time");
    assertError(get("/api/metrics/cache/series?after=-1"), 400, "got '-1'");
  }

  @Test
  void theDashboardAndItsAssetsAreServedFromTheJar() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
    assertThat(page.body()).contains("<title>cachescope</title>").doesNotContain("https://");
    // Every script and stylesheet the page names is served here, by a relative link (so that the
    // page also works mounted under a prefix).
    Matcher assets = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
    int found = 0;
    while (assets.find()) {
      assertThat(assets.group(1)).doesNotStartWith("/").doesNotContain(":");
      HttpResponse<String> asset = get("/" + assets.group(1));
      assertThat(asset.statusCode()).as(assets.group(1)).isEqualTo(200);
      assertThat(asset.body()).isNotEmpty();
      found++;
    }
    assertThat(found).isEqualTo(4);
    assertThat(get("/webjars/chart.js/dist/chart.umd.min.js").headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    // A path that climbs above the root is not a path: refused before it reaches the handler.
    assertError(get("/webjars/chart.js/../../../etc/passwd"), 400, "bad request");
    assertError(get("/webjars/chart.js/../nothing.js"), 404, "no such WebJar asset");
    assertError(get("/webjars/nothing/here.js"), 404, "no such WebJar asset");
    assertError(get("/dashboard/..%2Fdashboard.js"), 404, "no such dashboard file");
    assertError(get("/dashboard/missing.js"), 404, "no such dashboard file");
  }

  /**
   * A cache's heatmap columns through the API: lookups of durations the test chose, in the buckets
   * the test computes, one column per window point, and only newer ones after a time.
   */
  @Test
  void theHistogramHasAColumnPerWindowPointWithTheBucketCounts() throws Exception {
    AtomicLong now = new AtomicLong(1_000_000_000L);
    CacheMonitor timed =
        aggregator.register(CacheMonitor.builder("Timed").ticker(now::get).build());
    timed.series(0); // the first window sample: columns lie between samples
    long[] nanos = {150, 150, 40_000, 3_000_000};
    for (long n : nanos) {
      long start = timed.startLookup();
      now.addAndGet(n);
      timed.recordHit(start, Source.MEMORY, null);
    }
    now.addAndGet(Duration.ofSeconds(6).toNanos());

    JsonNode histogram = json(get("/api/metrics/cache/Timed/histogram"));
    assertThat(histogram.get("cache_name").asText()).isEqualTo("Timed");
    List<Double> bounds = LatencySummary.BUCKET_UPPER_BOUNDS_SECONDS;
    assertThat(histogram.get("bucket_upper_bounds_seconds")).hasSize(bounds.size());
    JsonNode points = histogram.get("points");
    assertThat(points).hasSize(1);
    JsonNode get = points.get(0).get("get");
    assertThat(get).hasSize(bounds.size() + 1);
    for (int b = 0; b <= bounds.size(); b++) {
      double low = b == 0 ? 0 : bounds.get(b - 1);
      double high = b == bounds.size() ? Double.POSITIVE_INFINITY : bounds.get(b);
      long expected = Arrays.stream(nanos).filter(n -> n / 1e9 > low && n / 1e9 <= high).count();
      assertThat(get.get(b).asLong()).as("bucket %d", b).isEqualTo(expected);
    }
    assertThat(points.get(0).get("load").isNull()).isTrue();
    double last = points.get(0).get("timestamp").asDouble();
    assertThat(json(get("/api/metrics/cache/Timed/histogram?after=" + last)).get("points"))
        .isEmpty();
    assertError(get("/api/metrics/cache/Timed/histogram?after=soon"), 400, "after must be");
  }

  @Test
  void badInputGetsJsonErrorsWithTheRightStatus() throws Exception {
    assertError(get("/api/metrics/cache/Nope/snapshot"), 404, "no cache named 'Nope'");
    assertError(get("/api/metrics/cache/Nope/operations"), 404, "no cache named 'Nope'");
    assertError(get("/api/metrics/cache/RuleCache/operations?limit=abc"), 400, "from 1 to 500");
    assertError(get("/api/metrics/cache/RuleCache/operations?limit=0"), 400, "got '0'");
    assertError(get("/api/metrics/cache/RuleCache/operations?limit=501"), 400, "got '501'");
    assertError(
        get("/api/metrics/cache/RuleCache/nonsense"), 404, "use snapshot, operations or histogram");
    assertError(get("/nowhere"), 404, "GET /api lists them");
    assertError(get("/" + "x".repeat(3_000)), 414, "longer than 2048");
    HttpResponse<String> post =
        send(
            HttpRequest.newBuilder(URI.create(server.url() + "/api/metrics/cache/summary"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    assertError(post, 405, "POST is not allowed");
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    HttpResponse<String> withBody =
        send(
            HttpRequest.newBuilder(URI.create(server.url() + "/health"))
                .method("GET", HttpRequest.BodyPublishers.ofString("x".repeat(100)))
                .build());
    assertError(withBody, 413, "take no body");
  }

  private static void assertError(HttpResponse<String> response, int status, String message)
      throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode body = json(response);
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("error").asText()).contains(message);
  }

  @Test
  void headAnswersWithoutABody() throws Exception {
    HttpResponse<String> head =
        send(
            HttpRequest.newBuilder(URI.create(server.url() + "/api/metrics/cache/summary"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void theIndexListsTheEndpointsAndCaches() throws Exception {
    JsonNode index = json(get("/api"));
    assertThat(index.get("endpoints").toString())
        .contains("/api/metrics/cache/summary", "/metrics");
    assertThat(index.get("caches").toString()).contains("RuleCache");
  }

  @Test
  void aTokenIsRequiredWhenSet() throws Exception {
    try (MetricsHttpServer guarded =
        MetricsHttpServer.builder(aggregator).port(0).token("s3cret").start()) {
      URI uri = URI.create(guarded.url() + "/api/metrics/cache/summary");
      HttpResponse<String> none = send(HttpRequest.newBuilder(uri).build());
      assertError(none, 401, "Authorization: Bearer");
      assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertError(
          send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer wrong").build()),
          401,
          "wrong token");
      assertThat(
              send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer s3cret").build())
                  .statusCode())
          .isEqualTo(200);
      // The page and its assets hold no data and load without the token; the page sends it.
      assertThat(send(HttpRequest.newBuilder(URI.create(guarded.url() + "/")).build()).statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void aPortInUseIsReportedWhenStarting() {
    assertThatThrownBy(() -> MetricsHttpServer.builder(aggregator).port(server.port()).start())
        .isInstanceOf(BindException.class);
  }

  @Test
  void aStalledClientDelaysNobodyAndTheCacheKeepsWorking() throws Exception {
    try (Socket stalled = new Socket("127.0.0.1", server.port())) {
      OutputStream out = stalled.getOutputStream();
      out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // The stalled request never finishes its headers; others are served meanwhile.
      for (int i = 0; i < 20; i++) {
        rules.recordHit(CacheMonitor.NOT_TIMED, Source.MEMORY, "k1");
        assertThat(get("/api/metrics/cache/RuleCache/snapshot").statusCode()).isEqualTo(200);
      }
    }
    assertThat(rules.snapshot().hits()).isEqualTo(21);
  }

  @Test
  void healthIsDegradedWhileABackendFails() throws Exception {
    BackendHealth failing = new BackendHealth("json", "failing", "disk full", 0, 3);
    try (MetricsHttpServer withBackends =
        MetricsHttpServer.builder(aggregator).port(0).health(() -> List.of(failing)).start()) {
      HttpResponse<String> response =
          send(HttpRequest.newBuilder(URI.create(withBackends.url() + "/health")).build());
      assertThat(response.statusCode()).isEqualTo(503);
      JsonNode body = json(response);
      assertThat(body.get("status").asText()).isEqualTo("degraded");
      assertThat(body.get("backends").toString()).contains("disk full", "\"api\"");
    }
    JsonNode ok = json(get("/health"));
    assertThat(ok.get("status").asText()).isEqualTo("ok");
  }
}
