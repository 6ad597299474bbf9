package dev.cachescope.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The demo says when the machine does not reach the --rate asked, once, not every summary. */
class RateWatchTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aRateReachedSaysNothingAndAShortfallIsSaidOnceAMinute() {
    DemoCommand.RateWatch watch = new DemoCommand.RateWatch(2_000, 4, 0);
    assertThat(watch.check(9_950, 5 * SECOND)).isNull(); // 1,990/s
    assertThat(watch.check(9_950 + 4_600, 10 * SECOND))
        .isEqualTo(
            "cachescope demo: reaching 920 requests/s of the 2,000 asked on 4 workload threads;"
                + " this machine allows no more (ask for a lower --rate to keep the pace)");
    assertThat(watch.check(9_950 + 9_200, 15 * SECOND)).isNull(); // short again, said 5 s ago
    assertThat(watch.check(9_950 + 9_200 + 60 * 900, 75 * SECOND)).contains("reaching 900");
  }

  @Test
  void oneThreadPer500RequestsAtMostTwoPerCore() {
    int cap = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
    assertThat(DemoCommand.workersFor(200)).isEqualTo(1);
    assertThat(DemoCommand.workersFor(500)).isEqualTo(1);
    assertThat(DemoCommand.workersFor(501)).isEqualTo(Math.min(2, cap));
    assertThat(DemoCommand.workersFor(100_000)).isEqualTo(cap);
  }
}
