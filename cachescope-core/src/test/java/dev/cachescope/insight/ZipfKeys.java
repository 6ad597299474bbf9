package dev.cachescope.insight;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Keys 0..n-1 drawn with probability proportional to 1 / (rank + 1)^s, by inverting the CDF. */
public final class ZipfKeys {
  private final double[] cumulative;
  private final SplittableRandom random;

  public ZipfKeys(int n, double s, long seed) {
    cumulative = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += 1 / Math.pow(i + 1, s);
      cumulative[i] = sum;
    }
    for (int i = 0; i < n; i++) {
      cumulative[i] /= sum;
    }
    random = new SplittableRandom(seed);
  }

  public int next() {
    int i = Arrays.binarySearch(cumulative, random.nextDouble());
    return i >= 0 ? i : Math.min(-i - 1, cumulative.length - 1);
  }
}
