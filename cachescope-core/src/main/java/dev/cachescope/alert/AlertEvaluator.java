package dev.cachescope.alert;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates {@link AlertRule}s against observations of caches, keeping each (rule, cache) pair's
 * state: {@code ok}, {@code pending} (the condition holds, not yet for long enough), {@code firing}
 * and {@code resolving} (firing, and back on the good side, not yet for long enough). {@link
 * #evaluate} returns the transitions to {@code firing} and back to {@code ok}, which is what a log
 * or webhook reports. An observation without a value (an idle cache's hit rate, an unknown memory
 * size) moves nothing: an idle cache neither fires nor resolves.
 *
 * <p>Thread-safe: evaluation and reads are synchronized.
 */
public final class AlertEvaluator {
  /**
   * What is known of one cache at one moment.
   *
   * @param cache the cache's name
   * @param timestamp Unix epoch seconds
   * @param lastMinuteRequests lookups in the last minute
   * @param lastMinuteHitRate hits / lookups in the last minute, null without lookups
   * @param p99Ms the highest p99 lookup time among the last minute's intervals, null if none
   * @param evictions evictions since the cache's monitor started
   * @param memoryBytes the entries' memory, -1 when unknown
   */
  public record Observation(
      String cache,
      double timestamp,
      long lastMinuteRequests,
      @Nullable Double lastMinuteHitRate,
      @Nullable Double p99Ms,
      long evictions,
      long memoryBytes) {}

  /**
   * The state of one rule for one cache.
   *
   * @param rule the rule's name
   * @param cache the cache's name
   * @param metric the watched metric
   * @param comparison {@code above} or {@code below}
   * @param threshold where the alert fires
   * @param state {@code ok}, {@code pending}, {@code firing} or {@code resolving}
   * @param value the metric's last value, null if it had none
   * @param since when the state began, Unix epoch seconds
   */
  public record AlertState(
      String rule,
      String cache,
      String metric,
      String comparison,
      double threshold,
      String state,
      @Nullable Double value,
      double since) {}

  /**
   * A transition worth telling someone about.
   *
   * @param rule the rule's name
   * @param cache the cache's name
   * @param metric the watched metric
   * @param state {@code firing} or {@code resolved}
   * @param value the metric's value at the transition
   * @param threshold the rule's threshold
   * @param timestamp Unix epoch seconds
   * @param message one line for people
   */
  public record AlertEvent(
      String rule,
      String cache,
      String metric,
      String state,
      double value,
      double threshold,
      double timestamp,
      String message) {}

  private enum Phase {
    OK,
    PENDING,
    FIRING,
    RESOLVING
  }

  private static final class Tracked {
    Phase phase = Phase.OK;
    double since;
    @Nullable Double value;
  }

  private final List<AlertRule> rules;
  private final Map<String, Tracked> tracked = new LinkedHashMap<>();
  private final Map<String, double[]> previousEvictions = new LinkedHashMap<>();

  /** An evaluator of {@code rules}. */
  public AlertEvaluator(List<AlertRule> rules) {
    Set<String> names = new HashSet<>();
    for (AlertRule rule : rules) {
      if (!names.add(rule.name())) {
        throw new IllegalArgumentException("two alert rules are named '" + rule.name() + "'");
      }
    }
    this.rules = List.copyOf(rules);
  }

  /** The rules evaluated. */
  public List<AlertRule> rules() {
    return rules;
  }

  /** Applies every rule to every observation; returns the alerts that fired or resolved. */
  public synchronized List<AlertEvent> evaluate(Collection<Observation> observations) {
    List<AlertEvent> events = new ArrayList<>();
    for (Observation observation : observations) {
      double evictionRate = evictionRate(observation);
      for (AlertRule rule : rules) {
        if (!rule.matches(observation.cache())) {
          continue;
        }
        Double value = value(rule, observation, evictionRate);
        Tracked t =
            tracked.computeIfAbsent(
                rule.name() + "\u0000" + observation.cache(),
                k -> {
                  Tracked fresh = new Tracked();
                  fresh.since = observation.timestamp();
                  return fresh;
                });
        if (value == null) {
          if (t.phase == Phase.PENDING) {
            move(t, Phase.OK, observation.timestamp());
          }
          continue;
        }
        t.value = value;
        AlertEvent event = step(rule, observation, t, value);
        if (event != null) {
          events.add(event);
        }
      }
    }
    return events;
  }

  private @Nullable AlertEvent step(
      AlertRule rule, Observation observation, Tracked t, double value) {
    double now = observation.timestamp();
    boolean bad = rule.above() ? value > rule.threshold() : value < rule.threshold();
    boolean good = rule.above() ? value <= rule.clearThreshold() : value >= rule.clearThreshold();
    double hold = rule.forDuration().toNanos() / 1e9;
    switch (t.phase) {
      case OK -> {
        if (bad) {
          move(t, Phase.PENDING, now);
          return held(t, now, hold) ? fire(rule, observation, t, value) : null;
        }
      }
      case PENDING -> {
        if (!bad) {
          move(t, Phase.OK, now);
        } else if (held(t, now, hold)) {
          return fire(rule, observation, t, value);
        }
      }
      case FIRING -> {
        if (good) {
          move(t, Phase.RESOLVING, now);
          return held(t, now, hold) ? resolve(rule, observation, t, value) : null;
        }
      }
      case RESOLVING -> {
        if (!good) {
          move(t, Phase.FIRING, now);
        } else if (held(t, now, hold)) {
          return resolve(rule, observation, t, value);
        }
      }
    }
    return null;
  }

  private static boolean held(Tracked t, double now, double hold) {
    return now - t.since >= hold;
  }

  private static void move(Tracked t, Phase phase, double now) {
    t.phase = phase;
    t.since = now;
  }

  private static AlertEvent fire(AlertRule rule, Observation o, Tracked t, double value) {
    move(t, Phase.FIRING, o.timestamp());
    return event(rule, o, "firing", value);
  }

  private static AlertEvent resolve(AlertRule rule, Observation o, Tracked t, double value) {
    move(t, Phase.OK, o.timestamp());
    return event(rule, o, "resolved", value);
  }

  private static AlertEvent event(AlertRule rule, Observation o, String state, double value) {
    String message =
        String.format(
            Locale.ROOT,
            "%s %s: %s of cache %s is %.4g, %s %.4g",
            rule.name(),
            state,
            rule.metric(),
            o.cache(),
            value,
            state.equals("firing") ? (rule.above() ? "above" : "below") : "back within",
            state.equals("firing") ? rule.threshold() : rule.clearThreshold());
    return new AlertEvent(
        rule.name(),
        o.cache(),
        rule.metric().toString(),
        state,
        value,
        rule.threshold(),
        o.timestamp(),
        message);
  }

  private double evictionRate(Observation o) {
    double[] previous =
        previousEvictions.put(o.cache(), new double[] {o.timestamp(), o.evictions()});
    if (previous == null || o.timestamp() <= previous[0]) {
      return Double.NaN;
    }
    return Math.max(0, o.evictions() - previous[1]) / (o.timestamp() - previous[0]);
  }

  private static @Nullable Double value(AlertRule rule, Observation o, double evictionRate) {
    return switch (rule.metric()) {
      case HIT_RATE ->
          o.lastMinuteRequests() < Math.max(1, rule.minRequests()) ? null : o.lastMinuteHitRate();
      case MISS_RATE -> {
        Double hitRate = o.lastMinuteHitRate();
        yield o.lastMinuteRequests() < Math.max(1, rule.minRequests()) || hitRate == null
            ? null
            : 1 - hitRate;
      }
      case P99_MS -> o.p99Ms();
      case EVICTIONS_PER_S -> Double.isNaN(evictionRate) ? null : evictionRate;
      case MEMORY_BYTES -> o.memoryBytes() < 0 ? null : (double) o.memoryBytes();
    };
  }

  /** Every (rule, cache) pair seen so far, in the order first seen. */
  public synchronized List<AlertState> states() {
    List<AlertState> states = new ArrayList<>();
    for (Map.Entry<String, Tracked> entry : tracked.entrySet()) {
      String[] parts = entry.getKey().split("\u0000", 2);
      AlertRule rule = rule(parts[0]);
      Tracked t = entry.getValue();
      states.add(
          new AlertState(
              rule.name(),
              parts[1],
              rule.metric().toString(),
              rule.above() ? "above" : "below",
              rule.threshold(),
              t.phase.name().toLowerCase(Locale.ROOT),
              t.value,
              t.since));
    }
    return states;
  }

  private AlertRule rule(String name) {
    for (AlertRule rule : rules) {
      if (rule.name().equals(name)) {
        return rule;
      }
    }
    throw new IllegalStateException("no rule " + name);
  }
}
