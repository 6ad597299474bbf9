package dev.cachescope.insight;

/**
 * An exponentially weighted moving baseline of one metric, with its variance, that flags values far
 * from it (Roberts' EWMA control chart). Fed one value per window sample; a value is an anomaly
 * when, after {@code warmUp} values, it lies more than {@code sigmas} standard deviations and more
 * than {@code minDeviation} from the baseline. Anomalous values still move the baseline, so a
 * lasting change becomes the new normal. Not thread-safe.
 */
public final class Ewma {
  private final double alpha;
  private final int warmUp;
  private final double sigmas;
  private final double minDeviation;
  private double mean;
  private double variance;
  private long count;
  private double last = Double.NaN;
  private double lastDifference;
  private double lastSd;
  private double lastDeviation = Double.NaN;

  /**
   * @param alpha the weight of each new value, in (0, 1]
   * @param warmUp values to see before flagging anything
   * @param sigmas how many standard deviations away is anomalous
   * @param minDeviation the smallest absolute distance from the baseline that is anomalous
   */
  public Ewma(double alpha, int warmUp, double sigmas, double minDeviation) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
    }
    this.alpha = alpha;
    this.warmUp = warmUp;
    this.sigmas = sigmas;
    this.minDeviation = minDeviation;
  }

  /** Adds a value; NaN (no data in the interval) is ignored. */
  public void update(double value) {
    if (Double.isNaN(value)) {
      return;
    }
    last = value;
    if (count == 0) {
      mean = value;
      variance = 0;
      lastDifference = 0;
      lastDeviation = 0;
      lastSd = 0;
    } else {
      lastDifference = value - mean;
      lastSd = Math.sqrt(variance);
      if (lastSd > 0) {
        lastDeviation = lastDifference / lastSd;
      } else {
        lastDeviation = lastDifference == 0 ? 0 : Double.NaN;
      }
      double increment = alpha * lastDifference;
      mean += increment;
      variance = (1 - alpha) * (variance + lastDifference * increment);
    }
    count++;
  }

  /** The current baseline, NaN before the first value. */
  public double baseline() {
    return count == 0 ? Double.NaN : mean;
  }

  /** The last value added, NaN if none. */
  public double last() {
    return last;
  }

  /**
   * How many standard deviations the last value was from the baseline before it; NaN if no value
   * was added, or if the baseline had no variance and the value differed from it (a change from a
   * constant series, which {@link #anomalous()} judges by {@code minDeviation} alone).
   */
  public double lastDeviation() {
    return lastDeviation;
  }

  /** Whether the last value was an anomaly. */
  public boolean anomalous() {
    return count > warmUp
        && Math.abs(lastDifference) > minDeviation
        && (lastSd == 0 || Math.abs(lastDeviation) > sigmas);
  }
}
