package dev.cachescope.instrument.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cachescope.CacheMonitor;
import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every adapter must do, whatever the cache library: one scripted sequence of operations and
 * the exact counts and sources it must produce (the rules of {@link CacheRecorder}), bulk lookups
 * and {@code putIfAbsent} where the library has them, exceptions of loads and writes passed through
 * and counted, a disabled monitor that counts nothing and changes nothing, evictions and
 * expirations by cause where the library has them, and a cache that is garbage collected while
 * monitored.
 *
 * <p>Adding an adapter: subclass this, implement the six abstract methods by mapping each onto the
 * cache's own call, and override the optional hooks ({@link #getAllPresent}, {@link #putIfAbsent},
 * {@link #evictsBySize}, {@link #expires}, {@link #hitSource}) that the library supports.
 */
public abstract class AdapterCompatibilityKit {
  protected static final String NAME = "kit";
  protected MetricsAggregator aggregator;

  /** A ticker for caches that expire: subclasses pass {@code nanos::get} to their builder. */
  protected final AtomicLong nanos = new AtomicLong();

  /**
   * Creates the monitored cache {@link #NAME}, at most {@code maximumSize} entries if it evicts.
   */
  protected abstract void create(MetricsAggregator aggregator, int maximumSize);

  protected abstract void put(String key, String value);

  protected abstract @Nullable String get(String key);

  /** Gets the key, computing it with {@code loader} on a miss. */
  protected abstract @Nullable String load(String key, Function<String, String> loader);

  protected abstract void remove(String key);

  protected abstract void clear();

  /** Forgets every reference to the cache, so that it can be garbage collected. */
  protected abstract void drop();

  /** Whether the cache evicts by size; {@link #create} then honours {@code maximumSize}. */
  protected boolean evictsBySize() {
    return false;
  }

  /** Whether the cache expires entries one minute after they are written, on a test ticker. */
  protected boolean expires() {
    return false;
  }

  /** Moves the cache's ticker, {@link #nanos}, forward. */
  protected void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  /** Runs the cache's pending maintenance, so evictions are reported. */
  protected void cleanUp() {}

  /**
   * Looks up every key in one call, without loading, and returns those present; null when the cache
   * has no bulk lookup.
   */
  protected @Nullable Map<String, String> getAllPresent(List<String> keys) {
    return null;
  }

  /**
   * Stores the value unless the key is present and says whether it stored; null when the cache has
   * no such call.
   */
  protected @Nullable Boolean putIfAbsent(String key, String value) {
    return null;
  }

  /** The source every hit of this cache reports; {@code memory} for caches in this JVM. */
  protected String hitSource() {
    return "memory";
  }

  @BeforeEach
  void createCache() {
    aggregator = MetricsAggregator.builder().publishInterval(Duration.ZERO).build();
    create(aggregator, 3);
  }

  @AfterEach
  void closeAggregator() {
    aggregator.close();
  }

  protected CacheSnapshot snapshot() {
    return aggregator.snapshot(NAME).orElseThrow();
  }

  @Test
  void aScriptedSequenceGivesExactCounts() {
    put("a", "1");
    assertThat(get("a")).isEqualTo("1");
    assertThat(get("b")).isNull();
    assertThat(load("c", key -> key + "!")).isEqualTo("c!");
    assertThat(load("c", key -> "never")).isEqualTo("c!");
    remove("a");
    remove("absent");

    CacheSnapshot s = snapshot();
    assertThat(s.hits()).as("hits").isEqualTo(2);
    assertThat(s.misses()).as("misses").isEqualTo(2);
    assertThat(s.gets()).isEqualTo(4);
    assertThat(s.hitRate()).isEqualTo(0.5);
    assertThat(s.puts()).as("puts").isEqualTo(1);
    assertThat(s.loads()).as("loads").isEqualTo(1);
    assertThat(s.removals()).as("removals").isEqualTo(1);
    assertThat(s.totalEntries()).as("entries").isEqualTo(1);

    clear();
    assertThat(snapshot().clears()).isEqualTo(1);
    assertThat(snapshot().totalEntries()).isZero();
  }

  @Test
  void everyLookupHasTheSourceTheRulesGive() {
    put("a", "1");
    get("a"); // a hit: the cache's hit source
    get("b"); // a probe that misses: unspecified
    load("c", key -> key + "!"); // a miss that loads: fresh
    load("c", key -> "never"); // a hit

    Map<String, Long> sources = snapshot().sources();
    assertThat(sources.get(hitSource())).as("hits from " + hitSource()).isEqualTo(2);
    assertThat(sources.get("fresh")).as("misses that load").isEqualTo(1);
    assertThat(sources.get("unspecified")).as("misses that only probe").isEqualTo(1);
    assertThat(sources.values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(snapshot().gets());
  }

  @Test
  void aBulkLookupCountsEachDistinctKeyOnce() {
    put("a", "1");
    put("b", "2");
    Map<String, String> present = getAllPresent(List.of("a", "b", "c", "a"));
    Assumptions.assumeTrue(present != null, "this cache has no bulk lookup");
    assertThat(present).containsOnlyKeys("a", "b");
    CacheSnapshot s = snapshot();
    assertThat(s.hits()).as("hits").isEqualTo(2);
    assertThat(s.misses()).as("misses").isEqualTo(1);
    assertThat(s.sources().get("unspecified")).as("a bulk probe's miss").isEqualTo(1);
  }

  @Test
  void putIfAbsentCountsAPutOnlyWhenItStores() {
    Boolean stored = putIfAbsent("a", "1");
    Assumptions.assumeTrue(stored != null, "this cache has no putIfAbsent");
    assertThat(stored).isTrue();
    assertThat(putIfAbsent("a", "2")).isFalse();
    assertThat(get("a")).isEqualTo("1");
    CacheSnapshot s = snapshot();
    assertThat(s.puts()).as("puts").isEqualTo(1);
    assertThat(s.errors()).isZero();
  }

  @Test
  void aFailingWriteReachesTheCallerAndIsCountedAsAnError() {
    // Every library refuses a null key; the refusal is the cache's, not the monitor's.
    assertThatThrownBy(() -> put(nullKey(), "v")).isInstanceOf(NullPointerException.class);
    CacheSnapshot s = snapshot();
    assertThat(s.errors()).as("errors").isEqualTo(1);
    assertThat(s.puts()).as("puts").isZero();
    put("a", "1");
    assertThat(get("a")).isEqualTo("1");
  }

  @Test
  void aDisabledMonitorCountsNothingAndChangesNothing() {
    CacheMonitor monitor = aggregator.monitor(NAME).orElseThrow();
    monitor.setEnabled(false);
    put("a", "1");
    assertThat(get("a")).isEqualTo("1");
    assertThat(get("b")).isNull();
    assertThat(load("c", key -> key + "!")).isEqualTo("c!");
    remove("a");
    assertThat(get("a")).isNull();
    clear();
    assertThat(get("c")).isNull();

    CacheSnapshot s = snapshot();
    assertThat(s.enabled()).isFalse();
    assertThat(s.gets() + s.puts() + s.loads() + s.removals() + s.clears() + s.errors())
        .as("everything counted while disabled")
        .isZero();
    monitor.setEnabled(true);
    get("c");
    assertThat(snapshot().misses()).isEqualTo(1);
  }

  @Test
  void aFailingLoadReachesTheCallerAndIsCounted() {
    IllegalStateException failure = new IllegalStateException("backend down");
    assertThatThrownBy(
            () ->
                load(
                    "x",
                    key -> {
                      throw failure;
                    }))
        .satisfies(thrown -> assertThat(causes(thrown)).contains(failure));
    CacheSnapshot s = snapshot();
    assertThat(s.loadFailures()).isEqualTo(1);
    assertThat(s.misses()).isEqualTo(1);
    assertThat(get("x")).isNull();
  }

  @Test
  void evictionsBySizeAreCountedByCause() {
    Assumptions.assumeTrue(evictsBySize(), "this cache does not evict by size");
    for (int i = 0; i < 20; i++) {
      put("k" + i, "v");
      cleanUp();
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              cleanUp();
              CacheSnapshot s = snapshot();
              assertThat(s.evictions()).isEqualTo(20 - s.totalEntries());
              assertThat(s.evictionsByCause().get("size")).isEqualTo(s.evictions());
              assertThat(s.totalEntries()).isLessThanOrEqualTo(3);
            });
  }

  @Test
  void expirationsAreCountedApartFromSizeEvictions() {
    Assumptions.assumeTrue(expires(), "this cache does not expire entries");
    put("a", "1");
    put("b", "2");
    advance(Duration.ofMinutes(2));
    assertThat(get("a")).isNull();
    cleanUp();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              cleanUp();
              CacheSnapshot s = snapshot();
              assertThat(s.evictionsByCause().get("expired")).isEqualTo(2);
              assertThat(s.evictionsByCause().get("size")).isZero();
            });
  }

  @Test
  void aDroppedCacheIsCollectedAndUnregistered() {
    put("a", "1");
    drop();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              System.gc();
              aggregator.flush();
              return aggregator.cacheNames().isEmpty();
            });
  }

  @SuppressWarnings({"NullAway", "DataFlowIssue"}) // a null key on purpose: the cache refuses it
  private static String nullKey() {
    return null;
  }

  private static java.util.List<Throwable> causes(Throwable thrown) {
    java.util.List<Throwable> chain = new java.util.ArrayList<>();
    for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }
}
