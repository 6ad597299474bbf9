package dev.cachescope.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.cachescope.internal.StripedCounters;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;
import org.openjdk.jcstress.infra.results.J_Result;

/** Increments racing on one counter are never lost, whichever path each thread takes. */
public final class CounterStress {
  private CounterStress() {}

  /** Default striping: each thread usually owns a stripe and writes without atomics. */
  @JCStressTest
  @Outcome(id = "3", expect = ACCEPTABLE, desc = "every increment counted")
  @Outcome(expect = FORBIDDEN, desc = "an increment was lost")
  @State
  public static class OwnedStripes {
    private final StripedCounters counters = new StripedCounters(2, 8);

    @Actor
    public void first() {
      counters.increment(1);
    }

    @Actor
    public void second() {
      counters.add(1, 2);
    }

    @Arbiter
    public void read(J_Result r) {
      r.r1 = counters.sum(1);
    }
  }

  /** One stripe: one thread owns it, the other must add atomically to the shared block. */
  @JCStressTest
  @Outcome(id = "3", expect = ACCEPTABLE, desc = "every increment counted")
  @Outcome(expect = FORBIDDEN, desc = "an increment was lost")
  @State
  public static class OneStripeOwnerAndShared {
    private final StripedCounters counters = new StripedCounters(1, 1);

    @Actor
    public void first() {
      counters.increment(0);
    }

    @Actor
    public void second() {
      counters.add(0, 2);
    }

    @Arbiter
    public void read(J_Result r) {
      r.r1 = counters.sum(0);
    }
  }

  /**
   * A reader racing a writer sees only values the counter really had (0, 1, 3 — never 2), and never
   * sees it go backwards. Two actors, so it runs on two CPUs.
   */
  @JCStressTest
  @Outcome(
      id = {"0, 0", "0, 1", "0, 3", "1, 1", "1, 3", "3, 3"},
      expect = ACCEPTABLE,
      desc = "a real value, monotonic")
  @Outcome(expect = FORBIDDEN, desc = "a torn, impossible or decreasing sum")
  @State
  public static class ReaderDuringWrites {
    private final StripedCounters counters = new StripedCounters(1, 1);

    @Actor
    public void writer() {
      counters.increment(0);
      counters.add(0, 2);
    }

    @Actor
    public void reader(JJ_Result r) {
      r.r1 = counters.sum(0);
      r.r2 = counters.sum(0);
    }
  }
}
