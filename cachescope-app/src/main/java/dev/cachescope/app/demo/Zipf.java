package dev.cachescope.app.demo;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Samples ranks 0..n-1 with probability proportional to 1/(rank+1)^s: a few items very often, most
 * rarely, as real cache traffic does. Inverse transform over a precomputed distribution.
 */
public final class Zipf {
  private final double[] cumulative;

  public Zipf(int n, double exponent) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be positive, was " + n);
    }
    cumulative = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1.0 / Math.pow(i + 1, exponent);
      cumulative[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cumulative[i] /= sum;
    }
  }

  /** A rank, 0 the most likely. */
  public int next(SplittableRandom random) {
    int index = Arrays.binarySearch(cumulative, random.nextDouble());
    return Math.min(cumulative.length - 1, index >= 0 ? index : -index - 1);
  }
}
