package dev.cachescope.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class AlertEvaluatorTest {
  private static final AlertRule LOW_HIT_RATE =
      new AlertRule(
          "low-hit-rate",
          "*",
          AlertRule.Metric.HIT_RATE,
          false,
          0.5,
          0.6,
          Duration.ofSeconds(30),
          20);

  private static AlertEvaluator.Observation hitRate(
      String cache, double t, long n, @Nullable Double rate) {
    return new AlertEvaluator.Observation(cache, t, n, rate, null, 0, -1);
  }

  @Test
  void firesAfterTheDurationAndClearsWithHysteresis() {
    AlertEvaluator alerts = new AlertEvaluator(List.of(LOW_HIT_RATE));
    assertThat(alerts.evaluate(List.of(hitRate("c", 0, 100, 0.9)))).isEmpty();
    assertThat(alerts.evaluate(List.of(hitRate("c", 10, 100, 0.3)))).isEmpty();
    assertThat(alerts.states().get(0).state()).isEqualTo("pending");
    assertThat(alerts.evaluate(List.of(hitRate("c", 30, 100, 0.3)))).isEmpty();
    List<AlertEvaluator.AlertEvent> fired = alerts.evaluate(List.of(hitRate("c", 40, 100, 0.3)));
    assertThat(fired)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.state()).isEqualTo("firing");
              assertThat(e.cache()).isEqualTo("c");
              assertThat(e.message())
                  .contains("low-hit-rate firing", "hit_rate of cache c", "below 0.5");
            });
    // 0.55 is above the threshold but below the clear level: still firing.
    assertThat(alerts.evaluate(List.of(hitRate("c", 50, 100, 0.55)))).isEmpty();
    assertThat(alerts.states().get(0).state()).isEqualTo("firing");
    assertThat(alerts.evaluate(List.of(hitRate("c", 60, 100, 0.7)))).isEmpty();
    assertThat(alerts.states().get(0).state()).isEqualTo("resolving");
    assertThat(alerts.evaluate(List.of(hitRate("c", 90, 100, 0.7))))
        .singleElement()
        .satisfies(e -> assertThat(e.state()).isEqualTo("resolved"));
    assertThat(alerts.states().get(0).state()).isEqualTo("ok");
  }

  @Test
  void anIdleCacheNeverFiresAHitRateAlert() {
    AlertEvaluator alerts = new AlertEvaluator(List.of(LOW_HIT_RATE));
    for (int t = 0; t <= 600; t += 5) {
      assertThat(alerts.evaluate(List.of(hitRate("idle", t, 0, null)))).isEmpty();
      assertThat(alerts.evaluate(List.of(hitRate("quiet", t, 5, 0.0)))).isEmpty();
    }
    assertThat(alerts.states()).allSatisfy(s -> assertThat(s.state()).isEqualTo("ok"));
  }

  @Test
  void evictionRateAndMemoryRulesAndCacheNames() {
    AlertRule evictions =
        new AlertRule(
            "evicting",
            "FileCache",
            AlertRule.Metric.EVICTIONS_PER_S,
            true,
            10,
            10,
            Duration.ZERO,
            0);
    AlertRule memory =
        new AlertRule("big", "*", AlertRule.Metric.MEMORY_BYTES, true, 1e6, 1e6, Duration.ZERO, 0);
    AlertEvaluator alerts = new AlertEvaluator(List.of(evictions, memory));
    alerts.evaluate(
        List.of(
            new AlertEvaluator.Observation("FileCache", 0, 0, null, null, 0, 10),
            new AlertEvaluator.Observation("Other", 0, 0, null, null, 0, 2_000_000)));
    List<AlertEvaluator.AlertEvent> events =
        alerts.evaluate(
            List.of(
                new AlertEvaluator.Observation("FileCache", 10, 0, null, null, 500, 10),
                new AlertEvaluator.Observation("Other", 10, 0, null, null, 10_000, -1)));
    assertThat(events)
        .extracting(AlertEvaluator.AlertEvent::rule, AlertEvaluator.AlertEvent::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("evicting", 50.0));
    assertThat(alerts.states())
        .extracting(
            AlertEvaluator.AlertState::rule,
            AlertEvaluator.AlertState::cache,
            AlertEvaluator.AlertState::state)
        .contains(
            org.assertj.core.groups.Tuple.tuple("evicting", "FileCache", "firing"),
            org.assertj.core.groups.Tuple.tuple("big", "Other", "firing"));
  }

  @Test
  void badRulesSayWhatIsWrong() {
    assertThatThrownBy(
            () ->
                new AlertRule(
                    "r", "*", AlertRule.Metric.HIT_RATE, false, 0.5, 0.4, Duration.ZERO, 0))
        .hasMessageContaining("clear must be on the good side")
        .hasMessageContaining("at least 0.5");
    assertThatThrownBy(() -> new AlertEvaluator(List.of(LOW_HIT_RATE, LOW_HIT_RATE)))
        .hasMessageContaining("two alert rules are named 'low-hit-rate'");
  }
}
