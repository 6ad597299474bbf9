package dev.cachescope.instrument.guava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import com.google.common.util.concurrent.UncheckedExecutionException;
import dev.cachescope.CacheSnapshot;
import dev.cachescope.MetricsAggregator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GuavaMonitoringTest {
  private final MetricsAggregator aggregator =
      MetricsAggregator.builder().publishInterval(Duration.ZERO).build();

  @AfterEach
  void close() {
    aggregator.close();
  }

  @Test
  void aLoadingCacheCountsHitsMissesLoadsAndFailures() throws Exception {
    LoadingCache<String, String> cache =
        GuavaMonitoring.build(
            CacheBuilder.newBuilder(),
            CacheLoader.from(
                (String key) -> {
                  if (key.equals("bad")) {
                    throw new IllegalArgumentException("no such term");
                  }
                  return key + "!";
                }),
            aggregator,
            "guava");
    assertThat(cache.get("a")).isEqualTo("a!");
    assertThat(cache.getUnchecked("a")).isEqualTo("a!");
    assertThat(cache.getAll(List.of("a", "b"))).containsOnlyKeys("a", "b");
    assertThatThrownBy(() -> cache.getUnchecked("bad"))
        .isInstanceOf(UncheckedExecutionException.class)
        .hasRootCauseMessage("no such term");

    CacheSnapshot s = aggregator.snapshot("guava").orElseThrow();
    assertThat(s.hits()).isEqualTo(2);
    assertThat(s.misses()).isEqualTo(3);
    assertThat(s.loads()).isEqualTo(2);
    assertThat(s.loadFailures()).isEqualTo(1);
  }

  @Test
  void aBuilderWithItsOwnRemovalListenerIsRejectedWithAFix() {
    CacheBuilder<Object, Object> builder =
        CacheBuilder.newBuilder().removalListener(notification -> {});
    assertThatThrownBy(() -> GuavaMonitoring.build(builder, aggregator, "taken"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("GuavaMonitoring.monitor()");
    assertThat(aggregator.cacheNames()).isEmpty();
  }
}
