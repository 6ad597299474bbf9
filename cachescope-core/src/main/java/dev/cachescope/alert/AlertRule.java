package dev.cachescope.alert;

import java.time.Duration;
import java.util.Locale;

/**
 * One alert rule: when {@code metric} of a cache matching {@code cache} has been beyond {@code
 * threshold} for {@code forDuration}, the alert fires; it resolves once the metric has been back
 * beyond {@code clearThreshold} (on the good side) for {@code forDuration}. A clear threshold apart
 * from the threshold gives hysteresis, so a metric hovering at the line does not flap.
 *
 * @param name the rule's name, shown with its alerts
 * @param cache a cache name, or {@code *} for every cache
 * @param metric what is watched
 * @param above true to fire above the threshold, false to fire below it
 * @param threshold where the alert fires
 * @param clearThreshold where it resolves: at or below it for an {@code above} rule, at or above it
 *     otherwise
 * @param forDuration how long the condition must hold, both ways; zero acts on the first value
 * @param minRequests for hit and miss rates: fewer lookups than this in the last minute is too
 *     little traffic to judge, and an idle cache never fires
 */
public record AlertRule(
    String name,
    String cache,
    Metric metric,
    boolean above,
    double threshold,
    double clearThreshold,
    Duration forDuration,
    long minRequests) {

  /** What a rule watches. */
  public enum Metric {
    /** Hits / lookups over the last minute. */
    HIT_RATE,
    /** Misses / lookups over the last minute. */
    MISS_RATE,
    /** The highest p99 lookup time in milliseconds among the last minute's 5-second intervals. */
    P99_MS,
    /** Evictions per second since the previous evaluation. */
    EVICTIONS_PER_S,
    /** {@code memory_usage_bytes}, when known. */
    MEMORY_BYTES;

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Checks the parts; throws {@link IllegalArgumentException} saying which is wrong. */
  public AlertRule {
    if (name.isBlank()) {
      throw new IllegalArgumentException("an alert rule needs a name");
    }
    if (cache.isBlank()) {
      throw new IllegalArgumentException("alert rule '" + name + "' needs a cache name or *");
    }
    if (!Double.isFinite(threshold) || !Double.isFinite(clearThreshold)) {
      throw new IllegalArgumentException("alert rule '" + name + "' needs finite thresholds");
    }
    if (above ? clearThreshold > threshold : clearThreshold < threshold) {
      throw new IllegalArgumentException(
          "alert rule '"
              + name
              + "': clear must be on the good side of the threshold ("
              + (above ? "at most " : "at least ")
              + threshold
              + "), was "
              + clearThreshold);
    }
    if (forDuration.isNegative()) {
      throw new IllegalArgumentException("alert rule '" + name + "': 'for' must not be negative");
    }
    if (minRequests < 0) {
      throw new IllegalArgumentException("alert rule '" + name + "': min_requests < 0");
    }
  }

  /** Whether this rule applies to the cache named {@code cacheName}. */
  public boolean matches(String cacheName) {
    return cache.equals("*") || cache.equals(cacheName);
  }
}
