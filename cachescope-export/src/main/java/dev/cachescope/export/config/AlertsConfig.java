package dev.cachescope.export.config;

import dev.cachescope.alert.AlertRule;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code alerts} section of {@code monitoring.yaml}.
 *
 * <pre>{@code
 * cache_monitoring:
 *   alerts:
 *     evaluate_every_seconds: 5
 *     webhook: http://127.0.0.1:9000/hooks/cache   # optional: firing and resolved alerts POSTed
 *     webhook_timeout_seconds: 2
 *     rules:
 *       - name: low-hit-rate
 *         cache: "*"              # a cache name, or * for all
 *         metric: hit_rate        # hit_rate, miss_rate, p99_ms, evictions_per_s, memory_bytes
 *         below: 0.5              # or above: ...
 *         clear: 0.6              # optional: resolve only past this (hysteresis)
 *         for: 1m                 # how long it must hold: 30s, 5m, 1h
 *         min_requests: 20        # hit/miss rates: fewer lookups a minute is too little to judge
 * }</pre>
 *
 * @param rules the rules, in file order
 * @param evaluateEvery how often the rules are evaluated
 * @param webhook where alert transitions are POSTed as JSON, if anywhere
 * @param webhookTimeout how long a POST may take
 */
public record AlertsConfig(
    List<AlertRule> rules, Duration evaluateEvery, @Nullable URI webhook, Duration webhookTimeout) {

  /** No rules, no webhook. */
  public static final AlertsConfig NONE =
      new AlertsConfig(List.of(), Duration.ofSeconds(5), null, Duration.ofSeconds(2));
}
