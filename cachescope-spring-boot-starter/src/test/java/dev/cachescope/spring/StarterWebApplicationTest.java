package dev.cachescope.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.testing.RealPrometheus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The starter in a real web application: the {@code @Cacheable} services of {@link
 * CachingApplication} called over HTTP, then the numbers read back from {@code
 * /actuator/cachescope} and {@code /actuator/prometheus}.
 */
@SpringBootTest(
    classes = CachingApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoints.web.exposure.include=cachescope,prometheus,health",
      // A test context turns metrics export off by default, on Boot 3.5 and 4 alike; this turns
      // the Prometheus registry back on without the test annotation, whose package differs.
      "management.prometheus.metrics.export.enabled=true",
      "cachescope.backends[0].type=logger",
      "cachescope.backends[0].log-file=target/cache_metrics.log",
      "cachescope.dashboard.enabled=true",
    })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StarterWebApplicationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @LocalServerPort int port;
  @Autowired CachingApplication.Catalog catalog;
  @Autowired CaffeineCacheManager cacheManager;

  @Autowired
  @Qualifier("accountsCacheManager")
  CacheManager accountsCacheManager;

  @Autowired CachingApplication.NoResourceTransactionManager transactions;
  @Autowired MetricsAggregator aggregator;

  private final HttpClient client = HttpClient.newHttpClient();

  /** Books 1 and 2 once each, then book 1 twice more: two misses, then two hits per cache. */
  @BeforeAll
  void browse() throws Exception {
    for (int id : new int[] {1, 2, 1, 1}) {
      assertThat(get("/books/" + id).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void cacheableMethodsOfEveryManagerAreCounted() throws Exception {
    assertThat(List.of(catalog.titleCalls(), catalog.priceCalls(), catalog.quoteCalls()))
        .containsExactly(2, 2, 2);
    for (String cache : List.of("books", "prices", "quotes")) {
      JsonNode snapshot = json("/actuator/cachescope/" + cache + "/snapshot");
      assertThat(snapshot.get("cache_name").asText()).isEqualTo(cache);
      assertThat(snapshot.get("hits").asLong()).as(cache + " hits").isEqualTo(2);
      assertThat(snapshot.get("misses").asLong()).as(cache + " misses").isEqualTo(2);
      assertThat(snapshot.get("loads").asLong()).as(cache + " loads").isEqualTo(2);
      assertThat(snapshot.get("hit_rate").asDouble()).isEqualTo(0.5);
    }
    // Caffeine and the map cache report their entries; JCache cannot without counting access.
    assertThat(json("/actuator/cachescope/books/snapshot").get("total_entries").asLong())
        .isEqualTo(2);
    assertThat(json("/actuator/cachescope/prices/snapshot").get("total_entries").asLong())
        .isEqualTo(2);
    // Without sync, a miss and the put that follows it on the same thread time the method as the
    // load; with sync (quotes), the cache calls the loader and it is timed directly.
    assertThat(json("/actuator/cachescope/books/snapshot").get("puts").asLong()).isEqualTo(2);
    assertThat(json("/actuator/cachescope/quotes/snapshot").get("puts").asLong()).isZero();
  }

  @Test
  void theSummaryListsEveryCacheWithTheApisNames() throws Exception {
    JsonNode summary = json("/actuator/cachescope");
    List<String> names = new ArrayList<>();
    summary.get("caches").forEach(c -> names.add(c.get("cache_name").asText()));
    assertThat(names).contains("books", "prices", "quotes", "accounts");
    assertThat(summary.has("overall_hit_rate")).isTrue();
  }

  @Test
  void aCacheCreatedAfterStartUpIsMonitored() throws Exception {
    Cache later = Objects.requireNonNull(cacheManager.getCache("created-later"));
    later.put("k", "v");
    assertThat(later.get("k")).isNotNull();
    assertThat(later.get("absent")).isNull();
    JsonNode snapshot = json("/actuator/cachescope/created-later/snapshot");
    assertThat(snapshot.get("hits").asLong()).isEqualTo(1);
    assertThat(snapshot.get("misses").asLong()).isEqualTo(1);
    assertThat(snapshot.get("puts").asLong()).isEqualTo(1);
  }

  @Test
  void aTransactionAwareCacheIsMonitoredAndStillWritesOnCommit() throws Exception {
    Cache accounts = Objects.requireNonNull(accountsCacheManager.getCache("accounts"));
    @SuppressWarnings("unchecked")
    Map<Object, Object> store = (Map<Object, Object>) accounts.getNativeCache();
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              accounts.put("alice", 100);
              assertThat(store).as("deferred to commit").doesNotContainKey("alice");
            });
    assertThat(store).containsEntry("alice", 100);
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              accounts.put("bob", 5);
              status.setRollbackOnly();
            });
    assertThat(store).doesNotContainKey("bob");
    assertThat(accounts.get("alice")).isNotNull();

    JsonNode snapshot = json("/actuator/cachescope/accounts/snapshot");
    assertThat(snapshot.get("puts").asLong()).as("counted when called").isEqualTo(2);
    assertThat(snapshot.get("hits").asLong()).isEqualTo(1);
    assertThat(snapshot.get("total_entries").asLong()).isEqualTo(1);
  }

  @Test
  void operationsAreFilteredAndKeysAreNotServed() throws Exception {
    JsonNode misses = json("/actuator/cachescope/books/operations?result=miss");
    assertThat(misses.size()).isEqualTo(2);
    for (JsonNode op : misses) {
      assertThat(op.get("operation").asText()).isEqualTo("get");
      assertThat(op.get("result").asText()).isEqualTo("miss");
      assertThat(op.toString()).doesNotContain("SimpleKey").doesNotContain("\"1\"");
    }
    assertThat(json("/actuator/cachescope/books/operations?limit=1").size()).isEqualTo(1);
    JsonNode histogram = json("/actuator/cachescope/books/histogram");
    assertThat(histogram.get("cache_name").asText()).isEqualTo("books");
    assertThat(histogram.get("bucket_upper_bounds_seconds")).hasSize(25);
    assertThat(histogram.get("points").isArray()).isTrue();
  }

  @Test
  void badRequestsGetJsonErrorsWithTheRightStatus() throws Exception {
    HttpResponse<String> unknown = get("/actuator/cachescope/nope/snapshot");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).get("error").asText())
        .contains("no cache named 'nope'")
        .contains("books");

    HttpResponse<String> view = get("/actuator/cachescope/books/everything");
    assertThat(view.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(view.body()).get("error").asText())
        .contains("snapshot, operations or histogram");

    HttpResponse<String> limit = get("/actuator/cachescope/books/operations?limit=0");
    assertThat(limit.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(limit.body()).get("error").asText()).contains("limit must be");

    HttpResponse<String> result = get("/actuator/cachescope/books/operations?result=maybe");
    assertThat(result.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(result.body()).get("error").asText()).contains("hit").contains("miss");
  }

  @Test
  void thePrometheusScrapeCarriesTheCacheMetersAndTheDurationHistogram() throws Exception {
    String text = get("/actuator/prometheus").body();
    // Tagged as Spring Boot's own cache meters are (cache, cache.manager, name), which do not bind
    // to the wrapped caches: dashboards made for those work, and the two never clash.
    String books = "cache=\"books\",cache_manager=\"cacheManager\",name=\"books\"";
    assertThat(text)
        .contains("cache_gets_total{" + books + ",result=\"hit\"} 2.0")
        .contains("cache_gets_total{" + books + ",result=\"miss\"} 2.0")
        .contains(
            "cache_loads_total{cache=\"quotes\",cache_manager=\"jcache\",name=\"quotes\","
                + "result=\"success\"} 2.0")
        .contains("cache_size{cache=\"prices\",cache_manager=\"simple\",name=\"prices\"} 2.0")
        .contains("# TYPE cache_operation_duration_seconds histogram")
        .contains("cache_operation_duration_seconds_bucket{" + books + ",operation=\"get\",le=")
        .doesNotContain("cache_operation_duration_percentile");
    // A manager bean's name loses its "CacheManager" (jcacheCacheManager is jcache), as Spring
    // Boot's tag does; cacheManager itself stays.
    assertThat(text).contains("cache_manager=\"accounts\",name=\"accounts\"");
    assertThat(text.lines().filter(l -> l.startsWith("cache_gets_total{cache=\"books\"")))
        .hasSize(2);
  }

  @Test
  void promtoolAcceptsTheCacheMeters() throws Exception {
    // Only cachescope's families: Spring Boot's own meters draw lint warnings of their own.
    String ours =
        get("/actuator/prometheus")
            .body()
            .lines()
            .filter(l -> l.startsWith("cache_") || l.matches("# (HELP|TYPE) cache_.*"))
            .collect(Collectors.joining("\n", "", "\n"));
    assertThat(ours).contains("cache_gets_total");
    RealPrometheus.assertPromtoolAccepts(ours);
  }

  @Test
  void aRealPrometheusScrapesTheActuator(@TempDir Path dir) throws Exception {
    try (RealPrometheus prometheus =
        RealPrometheus.scraping(port, "/actuator/prometheus", "app", dir)) {
      prometheus.awaitQuery(
          "cache_gets_total{cache=\"books\",result=\"hit\"}",
          result -> {
            assertThat(result.size()).isEqualTo(1);
            assertThat(result.get(0).get("value").get(1).asText()).isEqualTo("2");
          });
    }
  }

  @Test
  void theDashboardIsServedByTheApplicationsOwnServer() throws Exception {
    HttpResponse<String> bare = get("/cachescope");
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.headers().firstValue("Location"))
        .hasValueSatisfying(l -> assertThat(l).endsWith("/cachescope/"));

    HttpResponse<String> page = get("/cachescope/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
        .contains("default-src 'self'");
    // The page's relative links resolve under the mount point.
    Matcher links = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(page.body());
    int assets = 0;
    while (links.find()) {
      assertThat(get("/cachescope/" + links.group(1)).statusCode())
          .as(links.group(1))
          .isEqualTo(200);
      assets++;
    }
    assertThat(assets).isEqualTo(4);

    // What the page's script asks for, relative to the page.
    JsonNode summary = json("/cachescope/api/metrics/cache/summary");
    assertThat(summary.get("caches").toString()).contains("\"books\"");
    assertThat(json("/cachescope/api/alerts").has("rules")).isTrue();
    assertThat(json("/cachescope/api/metrics/cache/series?after=0").has("books")).isTrue();
    HttpResponse<String> health = get("/cachescope/health");
    assertThat(JSON.readTree(health.body()).get("backends").toString()).contains("logger");

    HttpResponse<String> missing = get("/cachescope/api/metrics/cache/nope/snapshot");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()).get("error").asText()).contains("no cache named");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(String path) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
