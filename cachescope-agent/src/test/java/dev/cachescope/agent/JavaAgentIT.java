package dev.cachescope.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import example.host.CaffeineOnlyApp;
import example.host.ChildLoaderLauncher;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code -javaagent:cachescope-agent.jar} on a host with no cachescope code (Caffeine, Guava,
 * JCache on Ehcache, Spring {@code @Cacheable}): every cache is monitored with the counts the host
 * made, read back through the agent's HTTP API. Runs on the JDK that runs the build (CI: 17 and
 * 25).
 */
class JavaAgentIT {

  /** hits, misses, puts, loads, evictions of each cache after one round of the host. */
  static Map<String, long[]> expectedAfterOneRound(String orders) throws Exception {
    return Map.of(
        orders,
        new long[] {3, 2, 3, 0, 0},
        Host.site("squares"),
        new long[] {1, 2, 0, 2, 0},
        Host.site("async"),
        new long[] {1, 1, 0, 1, 0},
        Host.site("tiny"),
        new long[] {0, 0, 10, 0, 8},
        Host.site("guava"),
        new long[] {1, 1, 1, 0, 0},
        "jc1",
        new long[] {1, 1, 1, 0, 0},
        "books",
        new long[] {1, 2, 2, 2, 0});
  }

  @Test
  void everyCacheOfTheHostIsMonitoredWithExactCounts() throws Exception {
    String orders = Host.site("orders");
    try (Host host =
        Host.start(
            List.of("-javaagent:" + Host.AGENT_JAR + "=port=0,name." + orders + "=orders"))) {
      String url = host.url();
      host.send("use");
      assertThat(host.out()).contains("DONE orders found 3", "DONE spring book-1 book-1 book-2");
      Map<String, long[]> expected = expectedAfterOneRound("orders");
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertCounts(host, url, expected));
      JsonNode tiny = host.cache(url, Host.site("tiny"));
      assertThat(tiny.path("evictions_by_cause").path("size").asLong()).isEqualTo(8);
      // Exactly the host's caches, also once sizing advice has built its miniature caches (real
      // Caffeine caches, which the agent must not take for the application's).
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> host.caches(url).stream().sorted().toList(),
              names -> names.equals(expected.keySet().stream().sorted().toList()));

      // A second round builds every cache again: the same build site gets "#2", the Spring
      // cache (same manager class, same name) keeps counting in one monitor.
      host.send("use");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(host.caches(url))
                    .contains("orders#2", Host.site("squares") + "#2", "jc2", "books");
                assertCounts(host, url, Map.of("books", new long[] {2, 4, 4, 4, 0}));
                assertCounts(host, url, Map.of("orders#2", new long[] {3, 2, 3, 0, 0}));
              });
    }
  }

  @Test
  void aHostWithCaffeineAloneIsMonitored() throws Exception {
    try (Host host =
        Host.start(
            List.of("-javaagent:" + Host.AGENT_JAR + "=port=0"),
            Host.caffeineOnlyClassPath(),
            CaffeineOnlyApp.class)) {
      String url = host.url();
      host.send("use");
      assertThat(host.out()).contains("DONE only A null");
      String site = Host.site("CaffeineOnlyApp", "only");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertCounts(host, url, Map.of(site, new long[] {1, 1, 1, 0, 0})));
      assertThat(host.err()).noneMatch(l -> l.contains("cannot link"));
    }
  }

  @Test
  void cachesInAClassLoaderTheAgentCannotSeeAreMonitored() throws Exception {
    String caffeine = Host.entry("caffeine-3");
    String testClasses = Host.entry("test-classes");
    try (Host host =
        Host.start(
            List.of("-javaagent:" + Host.AGENT_JAR + "=port=0"),
            testClasses,
            ChildLoaderLauncher.class,
            caffeine,
            testClasses)) {
      String url = host.url();
      host.send("use");
      assertThat(host.out()).contains("DONE only A null");
      String site = Host.site("CaffeineOnlyApp", "only");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertCounts(host, url, Map.of(site, new long[] {1, 1, 1, 0, 0})));
    }
  }

  @Test
  void anApplicationWithTheStarterKeepsItsSpringCachesOnIt() throws Exception {
    String starter = Host.entry("cachescope-spring-boot-starter");
    try (Host host =
        Host.start(
            List.of("-javaagent:" + Host.AGENT_JAR + "=port=0"),
            Host.classPath(false) + File.pathSeparator + starter)) {
      String url = host.url();
      host.send("use");
      assertThat(host.out()).contains("DONE spring book-1 book-1 book-2");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(host.caches(url)).contains("jc1", Host.site("tiny")));
      assertThat(host.caches(url)).doesNotContain("books");
      assertThat(host.err()).filteredOn(l -> l.contains("the agent leaves them to it")).hasSize(1);
    }
  }

  @Test
  void optionsThatDoNotParseAreOneLineAndTheHostRunsUnmonitored() throws Exception {
    try (Host host = Host.start(List.of("-javaagent:" + Host.AGENT_JAR + "=port=eighty"))) {
      host.send("use");
      assertThat(host.out()).contains("DONE orders found 3", "DONE spring book-1 book-1 book-2");
      assertThat(host.err())
          .filteredOn(l -> l.startsWith("cachescope agent:"))
          .containsExactly(
              "cachescope agent: port must be a number from 0 to 65535 (0 = any free port), got"
                  + " 'eighty'; the application runs unmonitored");
    }
  }

  @Test
  void aHostWhoseCaffeineTheAgentDoesNotKnowStillRuns() throws Exception {
    String orders = Host.site("orders");
    try (Host host =
        Host.start(List.of("-javaagent:" + Host.AGENT_JAR + "=port=0"), Host.classPath(true))) {
      String url = host.url();
      host.send("use");
      assertThat(host.out())
          .contains(
              "DONE orders found 3",
              "DONE squares sum 17",
              "DONE async VV",
              "DONE tiny size 2",
              "DONE spring book-1 book-1 book-2");
      assertThat(host.err())
          .filteredOn(l -> l.contains("is a version the agent does not know"))
          .singleElement()
          .asString()
          .contains("Caffeine 2.9.3");
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(host.caches(url)).contains(Host.site("guava"), "jc1", "books");
                assertThat(host.caches(url)).doesNotContain(orders);
              });
    }
  }

  static void assertCounts(Host host, String url, Map<String, long[]> expected) throws Exception {
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      JsonNode snapshot = host.cache(url, e.getKey());
      assertThat(snapshot).as("cache %s (listed: %s)", e.getKey(), host.caches(url)).isNotNull();
      long[] want = e.getValue();
      assertThat(
              new long[] {
                snapshot.path("hits").asLong(),
                snapshot.path("misses").asLong(),
                snapshot.path("puts").asLong(),
                snapshot.path("loads").asLong(),
                snapshot.path("evictions").asLong()
              })
          .as("hits, misses, puts, loads, evictions of %s", e.getKey())
          .containsExactly(want);
    }
  }
}
