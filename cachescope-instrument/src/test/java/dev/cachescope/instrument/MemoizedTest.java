package dev.cachescope.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoizedTest {
  private final MetricsAggregator aggregator =
      MetricsAggregator.builder().publishInterval(Duration.ZERO).build();

  @AfterEach
  void close() {
    aggregator.close();
  }

  /** The seed design's ServiceContainer: lru_cache(maxsize=1) with its cache_info. */
  @Test
  void aMemoizedSupplierBuildsOnceUnderConcurrencyAndReportsItsInitialization() throws Exception {
    AtomicInteger builds = new AtomicInteger();
    MemoizedSupplier<List<String>> container =
        Memoized.supplier(
            () -> {
              builds.incrementAndGet();
              return List.of("validator", "generator", "repository");
            },
            aggregator,
            "ServiceContainer");

    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                for (int j = 0; j < 100; j++) {
                  container.get();
                }
              });
      threads.add(t);
      t.start();
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }

    assertThat(builds).hasValue(1);
    CacheSnapshot s = aggregator.snapshot("ServiceContainer").orElseThrow();
    assertThat(s.misses()).isEqualTo(1);
    assertThat(s.hits()).isEqualTo(799);
    assertThat(s.loads()).isEqualTo(1);
    assertThat(s.totalEntries()).isEqualTo(1);
    assertThat(s.customMetrics())
        .containsEntry("maxsize", 1)
        .containsEntry("initialization_count", 1L)
        .containsKey("last_initialization_ms");
  }

  @Test
  void resettingAMemoizedSupplierBuildsAgain() {
    AtomicInteger builds = new AtomicInteger();
    MemoizedSupplier<Integer> memo =
        Memoized.supplier(builds::incrementAndGet, aggregator, "counter");
    assertThat(memo.get()).isEqualTo(1);
    memo.reset();
    assertThat(memo.isInitialized()).isFalse();
    assertThat(memo.get()).isEqualTo(2);
    CacheSnapshot s = aggregator.snapshot("counter").orElseThrow();
    assertThat(s.clears()).isEqualTo(1);
    assertThat(s.customMetrics()).containsEntry("initialization_count", 2L);
  }

  @Test
  void aFailingSupplierCachesNothingAndIsAFailedLoad() {
    AtomicInteger attempts = new AtomicInteger();
    MemoizedSupplier<String> memo =
        Memoized.supplier(
            () -> {
              if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("database not ready");
              }
              return "ready";
            },
            aggregator,
            "flaky");
    assertThatThrownBy(memo::get).hasMessage("database not ready");
    assertThat(memo.get()).isEqualTo("ready");
    CacheSnapshot s = aggregator.snapshot("flaky").orElseThrow();
    assertThat(s.loadFailures()).isEqualTo(1);
    assertThat(s.loads()).isEqualTo(1);
    assertThat(s.misses()).isEqualTo(2);
  }

  /** The seed design's @cached: one cache per function, its own hit rate. */
  @Test
  void aMemoizedFunctionCountsPerFunction() {
    AtomicInteger calls = new AtomicInteger();
    Function<String, @Nullable String> define =
        Memoized.function(
            term -> {
              calls.incrementAndGet();
              return "definition of " + term;
            },
            aggregator,
            "generateDefinition",
            Duration.ofHours(1),
            100);
    for (int i = 0; i < 10; i++) {
      assertThat(define.apply("term" + (i % 3))).isEqualTo("definition of term" + (i % 3));
    }
    assertThat(calls).hasValue(3);
    CacheSnapshot s = aggregator.snapshot("generateDefinition").orElseThrow();
    assertThat(s.hits()).isEqualTo(7);
    assertThat(s.misses()).isEqualTo(3);
    assertThat(s.loads()).isEqualTo(3);
    assertThat(s.customMetrics())
        .containsEntry("maximum_size", 100L)
        .containsEntry("expire_after_write_seconds", 3600L);
  }

  @Test
  void badMemoizedFunctionSettingsAreRejectedWithTheirName() {
    assertThatThrownBy(
            () -> Memoized.function(Function.identity(), aggregator, "f", Duration.ZERO, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ttl of memoized 'f'");
    assertThatThrownBy(() -> Memoized.function(Function.identity(), aggregator, "g", null, -1))
        .hasMessageContaining("maximumSize of memoized 'g'");
  }
}
