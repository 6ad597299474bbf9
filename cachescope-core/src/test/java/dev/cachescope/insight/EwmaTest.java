package dev.cachescope.insight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EwmaTest {
  @Test
  void flagsAStepAwayFromANoisyBaselineAndAdaptsToIt() {
    Ewma ewma = new Ewma(0.05, 12, 3, 0.02);
    SplittableRandom random = new SplittableRandom(7);
    int flagged = 0;
    for (int i = 0; i < 200; i++) {
      ewma.update(0.9 + (random.nextDouble() - 0.5) * 0.02);
      flagged += ewma.anomalous() ? 1 : 0;
    }
    assertThat(flagged).as("false alarms on noise").isZero();
    assertThat(ewma.baseline()).isBetween(0.89, 0.91);

    ewma.update(0.6);
    assertThat(ewma.anomalous()).isTrue();
    assertThat(ewma.lastDeviation()).isLessThan(-3);

    for (int i = 0; i < 300; i++) {
      ewma.update(0.6 + (random.nextDouble() - 0.5) * 0.02);
    }
    assertThat(ewma.anomalous()).as("the new level became normal").isFalse();
    assertThat(ewma.baseline()).isBetween(0.59, 0.61);
  }

  @Test
  void nothingIsFlaggedDuringWarmUpAndNaNIsIgnored() {
    Ewma ewma = new Ewma(0.05, 12, 3, 0.02);
    ewma.update(0.9);
    ewma.update(0.1);
    assertThat(ewma.anomalous()).isFalse();
    ewma.update(Double.NaN);
    assertThat(ewma.last()).isEqualTo(0.1);
  }
}
