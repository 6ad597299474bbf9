package dev.cachescope.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.Source;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CachescopeMeterBinderTest {

  @Test
  void publishesMicrometersCacheMetersForPresentAndLaterCaches() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (MetricsAggregator aggregator =
        MetricsAggregator.builder().publishInterval(Duration.ZERO).build()) {
      CacheMonitor early =
          aggregator.register(CacheMonitor.builder("early").hitSampleRate(1).build());
      new CachescopeMeterBinder(aggregator).bindTo(registry);
      early.recordHit(early.startLookup(), Source.MEMORY, "k");
      early.recordHit(early.startLookup(), Source.MEMORY, "k");
      early.recordMiss(early.startLookup(), null, "x");
      CacheMonitor late = aggregator.register(CacheMonitor.create("late"));
      late.recordPut(late.startTimed(), "k", 1);

      assertThat(
              registry
                  .get("cache.gets")
                  .tag("cache", "early")
                  .tag("result", "hit")
                  .functionCounter()
                  .count())
          .isEqualTo(2);
      assertThat(
              registry
                  .get("cache.gets")
                  .tag("cache", "early")
                  .tag("result", "miss")
                  .functionCounter()
                  .count())
          .isEqualTo(1);
      assertThat(registry.get("cache.puts").tag("cache", "late").functionCounter().count())
          .isEqualTo(1);
      assertThat(registry.get("cache.hit.ratio").tag("cache", "early").gauge().value())
          .isEqualTo(2.0 / 3);
      assertThat(
              registry
                  .get("cache.operation.duration.percentile")
                  .tags("cache", "early", "operation", "get", "phi", "0.99")
                  .gauge()
                  .value())
          .isPositive();

      aggregator.unregister("late");
      assertThat(registry.find("cache.puts").tag("cache", "late").functionCounter()).isNull();
    }
  }
}
