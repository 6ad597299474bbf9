package dev.cachescope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cachescope.insight.ZipfKeys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/** The insights in a snapshot, fed through the monitor's own recording path. */
class InsightsTest {
  @Test
  void hotKeysComeFromSampledLookupsWithTopTenRecall() {
    FakeTicker ticker = new FakeTicker();
    CacheMonitor monitor = CacheMonitor.builder("c").ticker(ticker).trackKeys(true).build();
    ZipfKeys zipf = new ZipfKeys(1_000_000, 0.99, 11);
    Map<Integer, Long> exact = new HashMap<>();
    // A million lookups a second for 4 s, drained often enough that the staging ring rarely
    // fills, as the publisher keeps it: the timing budget keeps about 4,000 a second.
    AggregatorDrain.drainEvery(
        monitor,
        500,
        4_000_000,
        i -> {
          ticker.advanceNanos(1_000);
          Integer key = zipf.next();
          exact.merge(key, 1L, Long::sum);
          long start = monitor.startLookup();
          if (key % 3 == 0) {
            monitor.recordMiss(start, null, key);
          } else {
            monitor.recordHit(start, Source.MEMORY, key);
          }
        });
    Set<String> trueTop =
        exact.entrySet().stream()
            .sorted(Map.Entry.<Integer, Long>comparingByValue(Comparator.reverseOrder()))
            .limit(10)
            .map(e -> String.valueOf(e.getKey()))
            .collect(Collectors.toSet());
    List<HotKey> hot = monitor.snapshot().hotKeys();
    assertThat(hot).hasSize(10);
    long found = hot.stream().filter(h -> trueTop.contains(h.key())).count();
    assertThat(found / 10.0).as("top-10 recall").isGreaterThanOrEqualTo(0.9);
    HotKey first = hot.get(0);
    long truth = Objects.requireNonNull(exact.get(Integer.valueOf(first.key())));
    System.out.printf(
        "top key %s: %,d lookups, estimated %,d (error bound %,d)%n",
        first.key(), truth, first.estimatedLookups(), first.maxError());
    assertThat((double) first.estimatedLookups()).isCloseTo(truth, within(truth * 0.1));
  }

  @Test
  void keysStayHashedUnlessTracked() {
    CacheMonitor monitor = CacheMonitor.builder("c").hitSampleRate(1).build();
    monitor.recordHit(monitor.startLookup(), null, "secret-key");
    assertThat(monitor.snapshot().hotKeys())
        .singleElement()
        .satisfies(h -> assertThat(h.key()).startsWith("#").doesNotContain("secret"));
  }

  @Test
  void sizingAdviceFollowsSampledKeysAtFiveSizes() {
    Map<Integer, Integer> cache = new LinkedHashMap<>();
    CacheMonitor monitor =
        CacheMonitor.builder("c")
            .sizingSampleRate(1)
            .inspect(
                cache,
                new CacheInspector<Map<Integer, Integer>>() {
                  @Override
                  public long entries(Map<Integer, Integer> c) {
                    return c.size();
                  }

                  @Override
                  public long capacity(Map<Integer, Integer> c) {
                    return 100;
                  }
                })
            .build();
    // 200 keys in a loop: LRU of 100 never hits, LRU of 200 or more always does after the first.
    AggregatorDrain.drainEvery(
        monitor, 100, 20_000, i -> monitor.recordMiss(monitor.startLookup(), null, i % 200));
    SizingAdvice sizing = Objects.requireNonNull(monitor.snapshot().sizing());
    assertThat(sizing.currentSize()).isEqualTo(100);
    assertThat(sizing.currentSizeFrom()).isEqualTo("capacity");
    assertThat(sizing.hitRateAtSize())
        .extracting(SizingAdvice.SizePoint::size)
        .containsExactly(25L, 50L, 100L, 200L, 400L);
    assertThat(sizing.hitRateAtSize().get(2).hitRate()).isCloseTo(0.0, within(1e-9));
    assertThat(sizing.hitRateAtSize().get(3).hitRate()).isCloseTo(0.99, within(0.001));
    assertThat(sizing.references()).isEqualTo(20_000);
  }

  @Test
  void sizingSamplesNeverPushMissesOutOfTheHistoryAndNoneIsLost() {
    // Every key followed for sizing, no hit timed: 300 untimed hits, then 50 misses, no drain.
    // Sizing has rings of its own: the misses all reach the history, and every reference the
    // estimator (a caller drains a full sizing ring itself).
    CacheMonitor monitor = CacheMonitor.builder("c").sizingSampleRate(1).build();
    for (int i = 0; i < 3_000; i++) {
      monitor.recordHit(CacheMonitor.NOT_TIMED, Source.MEMORY, "hit-" + i);
    }
    for (int i = 0; i < 50; i++) {
      monitor.recordMiss(CacheMonitor.NOT_TIMED, null, "miss-" + i);
    }
    CacheSnapshot snapshot = monitor.snapshot();
    assertThat(monitor.recentOperations(1_000)).hasSize(50);
    assertThat(snapshot.droppedOperations()).isZero();
    SizingAdvice sizing = Objects.requireNonNull(snapshot.sizing());
    assertThat(sizing.sampledKeys()).isEqualTo(3_050);
    assertThat(sizing.references()).isEqualTo(3_050);
  }

  @Test
  void ttlAdviceCountsMissesALongerTtlWouldHaveAvoided() {
    FakeTicker ticker = new FakeTicker();
    Object cache = new Object();
    CacheMonitor monitor =
        CacheMonitor.builder("c")
            .ticker(ticker)
            .sizingSampleRate(1)
            .inspect(
                cache,
                new CacheInspector<Object>() {
                  @Override
                  public long entries(Object c) {
                    return 1;
                  }

                  @Override
                  public long ttlNanos(Object c) {
                    return 10_000_000_000L;
                  }
                })
            .build();
    // Key "a" is asked every 15 s: each miss after the first would be a hit with a 20 s TTL.
    for (int i = 0; i < 10; i++) {
      monitor.recordMiss(monitor.startLookup(), null, "a");
      ticker.advanceNanos(15_000_000_000L);
      monitor.publish();
    }
    SizingAdvice.TtlAdvice ttl =
        Objects.requireNonNull(Objects.requireNonNull(monitor.snapshot().sizing()).ttl());
    assertThat(ttl.ttlSeconds()).isEqualTo(10.0);
    assertThat(ttl.missReuseP50Seconds()).isCloseTo(15.0, within(0.2));
    assertThat(ttl.longerTtl().get(0).ttlSeconds()).isEqualTo(20.0);
    assertThat(ttl.longerTtl().get(0).missesAvoided()).isCloseTo(0.9, within(1e-9));
  }

  @Test
  void timeAndTokensSavedByHits() {
    FakeTicker ticker = new FakeTicker();
    CacheMonitor monitor = CacheMonitor.builder("c").ticker(ticker).fullFidelity().build();
    for (int i = 0; i < 4; i++) {
      long start = monitor.startLookup();
      ticker.advanceNanos(1_000_000);
      monitor.recordHit(start, Source.MEMORY, "k");
    }
    long start = monitor.startLookup();
    monitor.recordMiss(start, null, "j");
    long load = monitor.startTimed();
    ticker.advanceNanos(51_000_000);
    monitor.recordLoad(load, true, "j");
    monitor.recordLoadTokens(300);
    monitor.recordLoadTokens(100);
    CacheSnapshot snapshot = monitor.snapshot();
    // 4 hits x (51 ms load - 1 ms hit).
    assertThat(snapshot.timeSavedMs()).isCloseTo(200.0, within(2.0));
    assertThat(snapshot.tokensSaved()).isEqualTo(800);
    assertThat(CacheMonitor.create("none").snapshot().tokensSaved()).isNull();
  }

  @Test
  void hitsCountAsFreeUntilOneIsTimed() {
    FakeTicker ticker = new FakeTicker();
    // Hits timed 1 in 2^20: these two are not timed, as with few hits at the default rate.
    CacheMonitor monitor = CacheMonitor.builder("c").ticker(ticker).hitSampleRate(1 << 20).build();
    assertThat(monitor.snapshot().timeSavedMs()).as("nothing timed yet").isZero();
    monitor.recordMiss(monitor.startLookup(), null, "k");
    long load = monitor.startTimed();
    ticker.advanceNanos(20_000_000);
    monitor.recordLoad(load, true, "k");
    monitor.recordHit(monitor.startLookup(), Source.MEMORY, "k");
    monitor.recordHit(monitor.startLookup(), Source.MEMORY, "k");
    CacheSnapshot snapshot = monitor.snapshot();
    // 2 hits x 20 ms load, hits taken as free.
    assertThat(snapshot.timeSavedMs()).isCloseTo(40.0, within(0.5));
  }

  @Test
  void memoryIsMeasuredFromSampledEntriesWhenTheInspectorOffersThem() {
    Map<String, String> cache = new HashMap<>();
    CacheMonitor monitor =
        CacheMonitor.builder("c")
            .inspect(
                cache,
                new CacheInspector<Map<String, String>>() {
                  @Override
                  public long entries(Map<String, String> c) {
                    return c.size();
                  }

                  @Override
                  public List<Map.Entry<String, String>> sampleEntries(
                      Map<String, String> c, int limit) {
                    return new ArrayList<>(c.entrySet()).subList(0, Math.min(limit, c.size()));
                  }
                })
            .build();
    assertThat(monitor.snapshot().memoryMethod()).as("nothing to measure yet").isEqualTo("unknown");
    for (int i = 0; i < 1_000; i++) {
      cache.put("key" + i, "value-" + "x".repeat(i % 50));
    }
    // Not a minute later: the cache more than doubled, so it is measured again at once.
    CacheSnapshot snapshot = monitor.snapshot();
    long truth = 0;
    for (Map.Entry<String, String> e : cache.entrySet()) {
      truth += GraphLayout.parseInstance(e.getKey(), e.getValue()).totalSize();
    }
    assertThat(snapshot.memoryMethod()).isEqualTo("sampled");
    assertThat((double) snapshot.memoryUsageBytes()).isBetween(truth * 0.9, truth * 1.1);
    assertThat(snapshot.memoryErrorBytes()).isPositive();
  }
}
