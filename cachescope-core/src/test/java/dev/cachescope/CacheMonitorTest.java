package dev.cachescope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CacheMonitorTest {

  /** The seed design's test test_cache_monitor_tracks_operations. */
  @Test
  void tracksAnOperationWithItsResultSizeAndDuration() {
    FakeTicker ticker = new FakeTicker();
    CacheMonitor monitor = CacheMonitor.builder("TestCache").ticker(ticker).build();

    try (OperationScope op = monitor.track(Operation.GET, "key1")) {
      ticker.advance(Duration.ofMillis(3));
      op.result(Result.MISS).sizeBytes(1024);
    }

    List<CacheOperation> ops = monitor.recentOperations(1);
    assertThat(ops).hasSize(1);
    CacheOperation recorded = ops.get(0);
    assertThat(recorded.cacheName()).isEqualTo("TestCache");
    assertThat(recorded.operation()).isEqualTo(Operation.GET);
    assertThat(recorded.result()).isEqualTo(Result.MISS);
    assertThat(recorded.sizeBytes()).isEqualTo(1024L);
    assertThat(recorded.durationMs()).isEqualTo(3.0);
    assertThat(recorded.timestamp())
        .isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(5.0));
  }

  /** The seed design's test test_monitor_respects_disabled_flag. */
  @Test
  void aDisabledMonitorRecordsNothing() {
    CacheMonitor monitor = CacheMonitor.builder("TestCache").enabled(false).build();

    try (OperationScope op = monitor.track(Operation.GET, "key1")) {
      op.result(Result.HIT);
    }
    long start = monitor.startLookup();
    monitor.recordHit(start, Source.MEMORY, "k");
    monitor.recordMiss(monitor.startLookup(), null, "k");
    monitor.recordPut(monitor.startTimed(), "k", 10);
    monitor.recordEviction(EvictionCause.SIZE, "k");

    assertThat(start).isEqualTo(CacheMonitor.NOT_TIMED);
    assertThat(monitor.recentOperations(100)).isEmpty();
    CacheSnapshot snapshot = monitor.snapshot();
    assertThat(snapshot.gets()).isZero();
    assertThat(snapshot.puts()).isZero();
    assertThat(snapshot.evictions()).isZero();
    assertThat(snapshot.enabled()).isFalse();
  }

  @Test
  void disablingAtRunTimeKeepsCountsSoFar() {
    CacheMonitor monitor = CacheMonitor.create("c");
    monitor.recordHit(CacheMonitor.NOT_TIMED, null, null);
    monitor.setEnabled(false);
    monitor.recordHit(CacheMonitor.NOT_TIMED, null, null);
    monitor.setEnabled(true);
    monitor.recordMiss(CacheMonitor.NOT_TIMED, null, null);

    assertThat(monitor.snapshot().hits()).isEqualTo(1);
    assertThat(monitor.snapshot().misses()).isEqualTo(1);
  }

  @Test
  void countsEveryKindOfOperationExactly() {
    CacheMonitor monitor = CacheMonitor.builder("c").hitSampleRate(1).build();
    for (int i = 0; i < 7; i++) {
      monitor.recordHit(monitor.startLookup(), Source.MEMORY, i);
    }
    monitor.recordHit(monitor.startLookup(), Source.DISK, 1);
    monitor.recordMiss(monitor.startLookup(), Source.FRESH, 2);
    monitor.recordMiss(monitor.startLookup(), null, 3);
    monitor.recordLoad(monitor.startTimed(), true, 2);
    monitor.recordLoad(monitor.startTimed(), false, 3);
    monitor.recordPut(monitor.startTimed(), 4, 100);
    monitor.recordPut(monitor.startTimed(), 5, -1);
    monitor.recordRemoval(monitor.startTimed(), 4);
    monitor.recordClear(monitor.startTimed());
    monitor.recordEviction(EvictionCause.SIZE, 1);
    monitor.recordEviction(EvictionCause.EXPIRED, 2);
    monitor.recordEviction(EvictionCause.EXPIRED, 3);
    monitor.recordEviction(EvictionCause.COLLECTED, 4);
    monitor.recordError(Operation.GET, monitor.startLookup(), 9);

    CacheSnapshot s = monitor.snapshot();
    assertThat(s.hits()).isEqualTo(8);
    assertThat(s.misses()).isEqualTo(2);
    assertThat(s.gets()).isEqualTo(10);
    assertThat(s.hitRate()).isEqualTo(0.8);
    assertThat(s.loads()).isEqualTo(1);
    assertThat(s.loadFailures()).isEqualTo(1);
    assertThat(s.puts()).isEqualTo(2);
    assertThat(s.removals()).isEqualTo(1);
    assertThat(s.clears()).isEqualTo(1);
    assertThat(s.errors()).isEqualTo(1);
    assertThat(s.evictions()).isEqualTo(4);
    assertThat(s.evictionsByCause())
        .containsExactly(entry("size", 1L), entry("expired", 2L), entry("collected", 1L));
    assertThat(s.sources())
        .containsEntry("memory", 7L)
        .containsEntry("disk", 1L)
        .containsEntry("fresh", 1L)
        .containsEntry("remote", 0L)
        .containsEntry("unspecified", 1L);
    assertThat(s.sources().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(s.gets());
    assertThat(s.latencyMs()).containsKeys("get", "set", "delete", "clear", "load");
  }

  @Test
  void aBusyThreadKeepsHitsAndMissesInProportionAndAMissNotStartedIsAlwaysKept() {
    FakeTicker ticker = new FakeTicker();
    CacheMonitor monitor = CacheMonitor.builder("c").ticker(ticker).build();
    // 200,000 lookups at 10 million a second, 30% misses at random: far more than the budget
    // times.
    Random random = new Random(42);
    AggregatorDrain.drainEvery(
        monitor,
        1_000,
        200_000,
        i -> {
          ticker.advanceNanos(100);
          long start = monitor.startLookup();
          if (random.nextInt(10) < 3) {
            monitor.recordMiss(start, null, i);
          } else {
            monitor.recordHit(start, Source.MEMORY, i);
          }
        });
    monitor.recordMiss(CacheMonitor.NOT_TIMED, null, "absent");

    List<CacheOperation> ops = monitor.recentOperations(10_000);
    long weightedHits = weight(ops, Result.HIT);
    long weightedMisses = weight(ops, Result.MISS);
    assertThat(ops.size()).isLessThan(10_000); // the budget timed a share, not all
    assertThat(weightedHits + weightedMisses).isBetween(190_000L, 200_001L);
    assertThat((double) weightedMisses / (weightedHits + weightedMisses)).isBetween(0.25, 0.35);
    assertThat(ops.get(ops.size() - 1).result()).isEqualTo(Result.MISS);
    assertThat(ops.get(ops.size() - 1).weight()).isEqualTo(1);
    CacheSnapshot snapshot = monitor.snapshot();
    assertThat(snapshot.hits() + snapshot.misses()).isEqualTo(200_001);
    assertThat((double) snapshot.misses() / snapshot.gets()).isBetween(0.29, 0.31);
  }

  private static long weight(List<CacheOperation> ops, Result result) {
    return ops.stream().filter(o -> o.result() == result).mapToLong(CacheOperation::weight).sum();
  }

  @Test
  void aQuietCacheTimesEveryLookupSoItsPercentilesComeAtOnce() {
    FakeTicker ticker = new FakeTicker();
    CacheMonitor monitor = CacheMonitor.builder("c").ticker(ticker).build();
    for (int i = 0; i < 10; i++) { // one lookup a second for 10 s
      long start = monitor.startLookup();
      ticker.advanceNanos(50_000 + i * 1_000);
      monitor.recordHit(start, Source.MEMORY, "k");
      ticker.advance(Duration.ofSeconds(1));
    }
    LatencySummary get = Objects.requireNonNull(monitor.snapshot().latencyMs().get("get"));
    assertThat(get.count()).isEqualTo(10);
    assertThat(get.p50Ms()).isCloseTo(0.054, within(0.001));
    assertThat(get.p99Ms()).isCloseTo(0.059, within(0.001));
    assertThat(monitor.recentOperations(100)).hasSize(10).allMatch(op -> op.weight() == 1);
  }

  @Test
  void aTimedHitStandsForExactlyTheLookupsOfItsCountdown() {
    FakeTicker ticker = new FakeTicker();
    CacheMonitor monitor = CacheMonitor.builder("c").ticker(ticker).hitSampleRate(16).build();
    AggregatorDrain.drainEvery(
        monitor,
        1_000,
        20_000,
        i -> {
          ticker.advanceNanos(10);
          monitor.recordHit(monitor.startLookup(), Source.MEMORY, i);
        });
    List<CacheOperation> ops = monitor.recentOperations(10_000);
    // At 100 million a second the budget soon times the fewest it may: one in 16.
    assertThat(ops).isNotEmpty().allSatisfy(op -> assertThat(op.weight()).isBetween(1L, 16L));
    assertThat(ops.get(ops.size() - 1).weight()).isEqualTo(16);
    long represented = ops.stream().mapToLong(CacheOperation::weight).sum();
    // Every lookup is stood for once, but those of the last, unfinished countdown.
    assertThat(represented).isBetween(20_000L - 16, 20_000L);
    LatencySummary get = Objects.requireNonNull(monitor.snapshot().latencyMs().get("get"));
    assertThat(get.count()).isEqualTo(represented);
  }

  @Test
  void keysAreHashedUnlessTracked() {
    CacheMonitor hidden = CacheMonitor.builder("hidden").build();
    CacheMonitor shown = CacheMonitor.builder("shown").trackKeys(true).build();
    for (CacheMonitor m : List.of(hidden, shown)) {
      m.recordMiss(m.startLookup(), null, "user:alice@example.com");
      m.recordMiss(m.startLookup(), null, "user:alice@example.com");
      m.recordMiss(m.startLookup(), null, "user:bob@example.com");
    }

    List<CacheOperation> hiddenOps = hidden.recentOperations(10);
    assertThat(hiddenOps).allSatisfy(op -> assertThat(op.key()).isNull());
    assertThat(hiddenOps.toString()).doesNotContain("alice").doesNotContain("bob");
    assertThat(hiddenOps.get(0).keyHash()).isNotNull().isEqualTo(hiddenOps.get(1).keyHash());
    assertThat(hiddenOps.get(2).keyHash()).isNotEqualTo(hiddenOps.get(0).keyHash());

    assertThat(shown.recentOperations(10))
        .extracting(CacheOperation::key)
        .containsExactly(
            "user:alice@example.com", "user:alice@example.com", "user:bob@example.com");
  }

  @Test
  void historyIsBoundedAndKeepsTheNewestInOrder() {
    CacheMonitor monitor = CacheMonitor.builder("c").maxOperationsHistory(100).build();
    AggregatorDrain.drainEvery(
        monitor, 50, 1000, i -> monitor.recordPut(monitor.startTimed(), i, i));

    List<CacheOperation> ops = monitor.recentOperations(1_000);
    assertThat(ops).hasSize(100);
    assertThat(ops).extracting(CacheOperation::sizeBytes).first().isEqualTo(900L);
    assertThat(ops).extracting(CacheOperation::sizeBytes).last().isEqualTo(999L);
    assertThat(monitor.recentOperations(3))
        .extracting(CacheOperation::sizeBytes)
        .containsExactly(997L, 998L, 999L);
    assertThat(monitor.snapshot().puts()).isEqualTo(1000);
  }

  @Test
  void anUndrainedMonitorDropsRecordsButNeverCounts() {
    CacheMonitor monitor = CacheMonitor.builder("c").build();
    for (int i = 0; i < 10_000; i++) {
      monitor.recordPut(monitor.startTimed(), i, -1);
    }
    CacheSnapshot s = monitor.snapshot();
    assertThat(s.puts()).isEqualTo(10_000);
    assertThat(s.droppedOperations()).isPositive();
    assertThat(s.droppedOperations() + monitor.recentOperations(10_000).size()).isEqualTo(10_000);
  }

  @Test
  void theCachesOwnExceptionIsCountedAsAnErrorAndRethrownUnchanged() {
    CacheMonitor monitor = CacheMonitor.create("c");
    UncheckedIOException thrown = new UncheckedIOException(new IOException("disk gone"));

    assertThatThrownBy(
            () ->
                monitor.track(
                    Operation.GET,
                    "k",
                    scope -> {
                      throw thrown;
                    }))
        .isSameAs(thrown);
    assertThat(monitor.snapshot().errors()).isEqualTo(1);
    assertThat(monitor.recentOperations(1))
        .extracting(CacheOperation::result)
        .containsExactly(Result.ERROR);
  }

  @Test
  void checkedExceptionsPassThroughTheLambdaForm() {
    CacheMonitor monitor = CacheMonitor.create("c");
    IOException thrown = new IOException("checked");

    assertThatThrownBy(
            () ->
                monitor.<String, IOException>track(
                    Operation.LOAD,
                    "k",
                    scope -> {
                      throw thrown;
                    }))
        .isSameAs(thrown);
    assertThat(monitor.snapshot().errors()).isEqualTo(1);
  }

  @Test
  void theLambdaFormReturnsTheValueAndRecordsTheReportedResult() throws Exception {
    CacheMonitor monitor = CacheMonitor.create("c");
    String value =
        monitor.track(
            Operation.GET,
            "k",
            scope -> {
              scope.result(Result.MISS).source(Source.DISK);
              return "v";
            });
    assertThat(value).isEqualTo("v");
    CacheSnapshot s = monitor.snapshot();
    assertThat(s.misses()).isEqualTo(1);
    assertThat(s.sources()).containsEntry("disk", 1L);
  }

  @Test
  void aScopeClosedWithoutAResultIsAnErrorAndClosingTwiceRecordsOnce() {
    CacheMonitor monitor = CacheMonitor.create("c");
    OperationScope scope = monitor.track(Operation.SET, "k");
    scope.close();
    scope.close();
    assertThat(monitor.snapshot().errors()).isEqualTo(1);
  }

  @Test
  void monitoringFaultsAreSwallowedCountedAndNeverReachTheCaller() {
    CacheMonitor monitor = CacheMonitor.builder("c").hitSampleRate(1).build();
    Object hostileKey =
        new Object() {
          @Override
          public int hashCode() {
            throw new IllegalStateException("hostile hashCode");
          }
        };

    monitor.recordHit(monitor.startLookup(), Source.MEMORY, hostileKey);
    monitor.recordMiss(monitor.startLookup(), null, hostileKey);

    CacheSnapshot s = monitor.snapshot();
    assertThat(s.hits()).isEqualTo(1);
    assertThat(s.misses()).isEqualTo(1);
    assertThat(s.monitoringFaults()).isEqualTo(2);
  }

  @Test
  void anInspectorThatThrowsIsAFaultNotAFailedSnapshot() {
    Map<String, String> cache = Map.of("a", "1");
    CacheMonitor monitor =
        CacheMonitor.builder("c")
            .inspect(
                cache,
                c -> {
                  throw new IllegalStateException("inspector broke");
                })
            .build();
    CacheSnapshot s = monitor.snapshot();
    assertThat(s.monitoringFaults()).isEqualTo(1);
    assertThat(s.totalEntries()).isZero();
  }

  @Test
  void theInspectorSuppliesEntriesMemoryAndCustomMetrics() {
    Map<String, String> cache = Map.of("a", "1", "b", "2");
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
                  public long memoryBytes(Map<String, String> c) {
                    return 4096;
                  }

                  @Override
                  public Map<String, Object> customMetrics(Map<String, String> c) {
                    return Map.of("maxsize", 1);
                  }
                })
            .build();
    CacheSnapshot s = monitor.snapshot();
    assertThat(s.totalEntries()).isEqualTo(2);
    assertThat(s.memoryUsageBytes()).isEqualTo(4096);
    assertThat(s.memoryMethod()).isEqualTo("inspector");
    assertThat(s.customMetrics()).containsEntry("maxsize", 1);
  }

  @Test
  void anAverageOperationTimeWeighsEachTypeByItsExactCount() {
    FakeTicker ticker = new FakeTicker();
    CacheMonitor monitor = CacheMonitor.builder("c").ticker(ticker).hitSampleRate(1).build();
    for (int i = 0; i < 3; i++) {
      long start = monitor.startLookup();
      ticker.advance(Duration.ofMillis(1));
      monitor.recordHit(start, Source.MEMORY, i);
    }
    long start = monitor.startTimed();
    ticker.advance(Duration.ofMillis(9));
    monitor.recordLoad(start, true, "x");

    // (3 gets x 1 ms + 1 load x 9 ms) / 4 operations = 3 ms
    assertThat(monitor.snapshot().avgOperationMs())
        .isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.05));
  }

  @Test
  void badBuilderInputIsRejectedWithAClearMessage() {
    assertThatThrownBy(() -> CacheMonitor.builder("c").hitSampleRate(100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("power of two")
        .hasMessageContaining("100");
    assertThatThrownBy(() -> CacheMonitor.builder(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> CacheMonitor.builder("c").maxOperationsHistory(-1))
        .hasMessageContaining("maxOperationsHistory");
    assertThatThrownBy(() -> CacheMonitor.builder("c").windowResolution(Duration.ofMillis(1)))
        .hasMessageContaining("windowResolution");
    assertThatThrownBy(() -> CacheMonitor.create("c").recentOperations(-1))
        .hasMessageContaining("limit");
  }
}
