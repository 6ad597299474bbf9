package dev.cachescope;

import dev.cachescope.insight.Ewma;
import dev.cachescope.insight.SpaceSaving;
import dev.cachescope.internal.OperationRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The insights of one monitor that its history's records feed, read by its snapshots: hot keys, hit
 * and miss times (for time saved), trends, and tokens. Sizing has its own feed ({@link
 * SizingFeed}). Everything but {@link #recordLoadTokens} runs under the monitor's drain lock.
 */
final class InsightFeed {
  private static final int HOT_KEY_COUNTERS = 256;
  private static final int HOT_KEYS_SHOWN = 10;

  /** Fewer lookups than this in the last minute give no hit-rate trend point. */
  private static final long TREND_MIN_REQUESTS = 20;

  private final boolean trackKeys;
  private final RecordDecoder decoder;
  private final SpaceSaving hotKeys = new SpaceSaving(HOT_KEY_COUNTERS);
  private final Ewma hitRateTrend = new Ewma(0.05, 12, 3, 0.02);
  private final Ewma p99Trend = new Ewma(0.05, 12, 3, 0.05);
  private double hitNanos;
  private long hitWeight;
  private double missNanos;
  private long missWeight;
  private final AtomicLong tokensSpent = new AtomicLong();
  private final AtomicLong tokenLoads = new AtomicLong();

  /**
   * @param trackKeys whether hot keys are shown by name (else by salted hash)
   */
  InsightFeed(boolean trackKeys, RecordDecoder decoder) {
    this.trackKeys = trackKeys;
    this.decoder = decoder;
  }

  /** Feeds one drained lookup: hot keys and hit/miss times. */
  void lookup(long durationNanos, int bits, int keyHash, @Nullable Object key) {
    boolean hit = OperationRecord.result(bits) == Result.HIT;
    if (OperationRecord.sampled(bits) && OperationRecord.hasKey(bits)) {
      hotKeys.offer(keyHash, trackKeys ? key : null);
    }
    if (durationNanos >= 0) {
      long weight = OperationRecord.weight(bits);
      if (hit) {
        hitNanos += (double) durationNanos * weight;
        hitWeight += weight;
      } else {
        missNanos += (double) durationNanos * weight;
        missWeight += weight;
      }
    }
  }

  /** Feeds the trends one window sample: the last minute's lookups and the interval's p99. */
  void windowSampled(long minuteHits, long minuteMisses, double p99Nanos) {
    long requests = minuteHits + minuteMisses;
    hitRateTrend.update(
        requests < TREND_MIN_REQUESTS ? Double.NaN : (double) minuteHits / requests);
    p99Trend.update(p99Nanos / 1e6);
  }

  /**
   * The hot keys, highest first. Each sample stands for {@code gets / samples} lookups: the
   * sampling rate, corrected for samples the staging rings dropped.
   */
  List<HotKey> hotKeys(long gets) {
    List<HotKey> top = new ArrayList<>();
    long samples = hotKeys.offers();
    double scale = samples == 0 ? 0 : Math.max(1.0, (double) gets / samples);
    for (SpaceSaving.Entry e : hotKeys.top(HOT_KEYS_SHOWN)) {
      Object label = e.label();
      String shown =
          label != null ? decoder.describe(label) : "#" + RecordDecoder.hashKey((int) e.key());
      top.add(new HotKey(shown, Math.round(e.count() * scale), Math.round(e.error() * scale)));
    }
    return Collections.unmodifiableList(top);
  }

  /** The trends of hit rate and p99. */
  Map<String, Trend> trends() {
    Map<String, Trend> trends = new LinkedHashMap<>();
    trends.put("hit_rate", trend(hitRateTrend));
    trends.put("p99_ms", trend(p99Trend));
    return Collections.unmodifiableMap(trends);
  }

  /**
   * Time saved by hits: hits times (mean load time, or mean miss time without loads, minus mean hit
   * time), in milliseconds; 0 until a load or miss was timed. Until a hit is timed (a cache with
   * few hits may have none), hits count as free: an upper bound that is close whenever a load costs
   * far more than a hit, which is why the value is cached at all.
   *
   * @param meanLoadMs the loads' mean time, NaN when none was timed
   */
  double timeSavedMs(long hits, long loads, double meanLoadMs) {
    double meanHitMs = hitWeight == 0 ? Double.NaN : hitNanos / hitWeight / 1e6;
    double meanMissMs = missWeight == 0 ? Double.NaN : missNanos / missWeight / 1e6;
    double costMs = loads > 0 && !Double.isNaN(meanLoadMs) ? meanLoadMs : meanMissMs;
    if (Double.isNaN(costMs)) {
      return 0;
    }
    return hits * Math.max(0, costMs - (Double.isNaN(meanHitMs) ? 0 : meanHitMs));
  }

  /** Adds one load's token cost; thread-safe, any thread. */
  void recordLoadTokens(long tokens) {
    tokensSpent.addAndGet(tokens);
    tokenLoads.incrementAndGet();
  }

  /** Hits times the mean tokens per reported load; null when no load reported tokens. */
  @Nullable Long tokensSaved(long hits) {
    long loads = tokenLoads.get();
    return loads == 0 ? null : Math.round((double) hits * tokensSpent.get() / loads);
  }

  private static Trend trend(Ewma ewma) {
    return new Trend(
        finite(ewma.last()),
        finite(ewma.baseline()),
        finite(ewma.lastDeviation()),
        ewma.anomalous());
  }

  static @Nullable Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
