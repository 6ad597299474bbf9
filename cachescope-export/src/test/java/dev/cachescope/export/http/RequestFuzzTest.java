package dev.cachescope.export.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Seeded request fuzz over a raw socket: request lines, targets, versions and headers assembled
 * from valid parts, hostile parts and random bytes. Every request gets an answer (no connection
 * closed without a status line), never a 5xx, and every error is JSON whose {@code status} is the
 * response's. The seed is fixed, so a failure reproduces; the statistics of the statuses are
 * printed with the result.
 */
class RequestFuzzTest {
  private static final List<String> PATHS =
      List.of(
          "/",
          "/api",
          "/health",
          "/metrics",
          "/api/alerts",
          "/api/metrics/cache/summary",
          "/api/metrics/cache/series",
          "/api/metrics/cache/RuleCache/snapshot",
          "/api/metrics/cache/RuleCache/operations",
          "/api/metrics/cache/a%20b%2Fc/snapshot",
          "/dashboard/dashboard.js",
          "/webjars/chart.js/dist/chart.umd.js");
  private static final MetricsAggregator aggregator =
      MetricsAggregator.builder().publishInterval(Duration.ZERO).build();
  private static final MetricsHttpServer server = start();

  /** One server for every try, started when the class loads. */
  private static MetricsHttpServer start() {
    CacheMonitor rules = aggregator.register(CacheMonitor.create("RuleCache"));
    aggregator.register(CacheMonitor.create("a b/c"));
    for (int i = 0; i < 20; i++) {
      rules.recordPut(CacheMonitor.NOT_TIMED, "k" + i, i);
    }
    try {
      return MetricsHttpServer.builder(aggregator)
          .port(0)
          .allowedHosts(List.of("cachescope.internal"))
          // A request whose random bytes end its headers early leaves the connection open for
          // the next one; the idle timeout closes it, and a short one keeps the run short.
          .idleTimeout(Duration.ofMillis(500))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterContainer
  static void stop() {
    server.close();
    aggregator.close();
  }

  @Property(tries = 24_000, seed = "20261202", shrinking = ShrinkingMode.OFF)
  void everyRequestGetsAnAnswerNoneA5xxAndEveryErrorIsJson(@ForAll("requests") byte[] request)
      throws IOException {
    RawHttp.Reply reply = RawHttp.exchange(server.port(), request);
    String sent =
        new String(request, 0, Math.min(request.length, 200), StandardCharsets.ISO_8859_1);
    Statistics.collect(reply.status());
    assertThat(reply.status())
        .as("a status line for %s: %s bytes %s", sent, reply.bytes(), reply)
        .isPositive();
    assertThat(reply.status()).as("no 5xx for %s: %s", sent, reply).isLessThan(500);
    boolean head = sent.startsWith("HEAD ");
    if (reply.status() >= 400 && !head) {
      assertThat(reply.isJson()).as("a JSON error for %s: %s", sent, reply).isTrue();
      assertThat(reply.json().get("status").asInt()).as(sent).isEqualTo(reply.status());
    }
  }

  @Provide
  Arbitrary<byte[]> requests() {
    Arbitrary<String> line =
        Combinators.combine(methods(), targets(), versions())
            .as((method, target, version) -> method + " " + target + " " + version + "\r\n");
    return Combinators.combine(line, headers(), bodies())
        .as(
            (requestLine, headers, body) ->
                (requestLine + headers + "Connection: close\r\n\r\n" + body)
                    .getBytes(StandardCharsets.ISO_8859_1));
  }

  private static Arbitrary<String> methods() {
    return Arbitraries.frequencyOf(
        weighted(10, Arbitraries.just("GET")),
        weighted(2, Arbitraries.of("HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT")),
        weighted(1, Arbitraries.strings().withCharRange('!', '~').ofMinLength(0).ofMaxLength(12)),
        weighted(1, Arbitraries.strings().all().ofMaxLength(6)));
  }

  private static Arbitrary<String> targets() {
    Arbitrary<String> known = Arbitraries.of(PATHS);
    Arbitrary<String> query =
        Arbitraries.of(
            "",
            "?limit=5",
            "?limit=-1",
            "?limit=99999999999999999999",
            "?after=abc",
            "?after=0",
            "?operation=get&result=hit",
            "?operation=%zz",
            "?%",
            "?a=%E0%A4%A",
            "?limit=1&limit=2");
    Arbitrary<String> mutated =
        Combinators.combine(known, noise())
            .as((path, noise) -> path.substring(0, path.length() / 2) + noise);
    return Arbitraries.frequencyOf(
        weighted(6, Combinators.combine(known, query).as(String::concat)),
        weighted(3, mutated),
        weighted(
            1,
            Arbitraries.of(
                "a:b",
                "*",
                "http://evil.example/api",
                "//api",
                "/../../etc/passwd",
                "/%2e%2e/api",
                "/api/metrics/cache/%00/snapshot",
                "/api/metrics/cache/%C0%AF/snapshot",
                "/api/metrics/cache/" + "x".repeat(3_000) + "/snapshot",
                "/" + "y".repeat(20_000),
                "")),
        weighted(1, Arbitraries.strings().all().ofMaxLength(40)));
  }

  private static Arbitrary<String> noise() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withCharRange('!', '~').ofMaxLength(30),
        Arbitraries.of("%", "%z", "%zz", "%2", "%FF%FE", "%u0041", "\u00ff", "\t", " x", "#frag"));
  }

  private static Arbitrary<String> versions() {
    return Arbitraries.frequencyOf(
        weighted(12, Arbitraries.just("HTTP/1.1")),
        weighted(2, Arbitraries.of("HTTP/1.0", "HTTP/2", "HTTP/2.0", "HTTP/9.9", "http/1.1", "")),
        weighted(1, Arbitraries.strings().all().ofMaxLength(10)));
  }

  private static Arbitrary<String> headers() {
    Arbitrary<String> host =
        Arbitraries.of(
            "Host: localhost",
            "Host: 127.0.0.1",
            "Host: [::1]",
            "Host: cachescope.internal",
            "Host: evil.example",
            "Host: localhost:1",
            "Host: a b",
            "Host: ",
            "Host: [::1",
            "");
    Arbitrary<String> one =
        Arbitraries.frequencyOf(
            weighted(
                4,
                Arbitraries.of(
                    "Accept: */*",
                    "Accept: text/html",
                    "Origin: http://evil.example",
                    "Origin: http://localhost",
                    "Origin: null",
                    "Authorization: Bearer x",
                    "Content-Length: 5",
                    "Content-Length: -1",
                    "Content-Length: abc",
                    "Transfer-Encoding: chunked",
                    "Transfer-Encoding: gzip",
                    "Expect: 100-continue",
                    "Upgrade: h2c",
                    "Connection: Upgrade",
                    "X-Forwarded-Host: evil.example")),
            weighted(
                2,
                Combinators.combine(
                        Arbitraries.strings()
                            .withCharRange('!', '~')
                            .ofMinLength(1)
                            .ofMaxLength(20),
                        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(60))
                    .as((name, value) -> name + ": " + value)),
            weighted(1, Arbitraries.strings().all().ofMaxLength(30)));
    Arbitrary<List<String>> some =
        Arbitraries.frequencyOf(
            weighted(8, one.list().ofMaxSize(6)),
            weighted(1, one.list().ofMinSize(150).ofMaxSize(250)),
            weighted(
                1,
                Arbitraries.integers()
                    .between(1_000, 400_000)
                    .map(n -> List.of("X-Big: " + "b".repeat(n)))));
    return Combinators.combine(host, some)
        .as(
            (h, rest) -> {
              StringBuilder all = new StringBuilder();
              if (!h.isEmpty()) {
                all.append(h).append("\r\n");
              }
              rest.forEach(header -> all.append(header).append("\r\n"));
              return all.toString();
            });
  }

  private static Arbitrary<String> bodies() {
    return Arbitraries.frequencyOf(
        weighted(9, Arbitraries.just("")),
        weighted(1, Arbitraries.strings().all().ofMaxLength(20)),
        weighted(1, Arbitraries.just("0\r\n\r\n")));
  }

  private static <T> Tuple2<Integer, Arbitrary<? extends T>> weighted(
      int weight, Arbitrary<T> arbitrary) {
    return Tuple.of(weight, arbitrary);
  }
}
