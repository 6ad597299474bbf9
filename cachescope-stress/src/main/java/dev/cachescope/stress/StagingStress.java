package dev.cachescope.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.cachescope.internal.StagingBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

/** The staging ring never hands a half-written record to its consumer, and never duplicates. */
public final class StagingStress {
  private StagingStress() {}

  static boolean intact(long end, long duration, int bits, int keyHash, long size) {
    // Every field of a record is derived from one seed, so a torn read shows as a mismatch.
    return duration == end * 3
        && bits == (int) end * 5
        && keyHash == (int) end * 7
        && size == end * 11;
  }

  static boolean offer(StagingBuffer buffer, long seed) {
    return buffer.offer(seed, seed * 3, (int) seed * 5, (int) seed * 7, seed * 11, null);
  }

  /** A consumer racing a producer sees nothing or the whole record. */
  @JCStressTest
  @Outcome(id = "0, -1", expect = ACCEPTABLE, desc = "not yet published")
  @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "published whole")
  @Outcome(expect = FORBIDDEN, desc = "torn or duplicated record")
  @State
  public static class PublishWhole {
    private final StagingBuffer buffer = new StagingBuffer(4, false);

    @Actor
    public void producer() {
      offer(buffer, 1_000_003L);
    }

    @Actor
    public void consumer(II_Result r) {
      int[] intactCount = {-1};
      r.r1 =
          buffer.drainTo(
              (end, duration, bits, keyHash, size, key) ->
                  intactCount[0] = intact(end, duration, bits, keyHash, size) ? 1 : 0);
      r.r2 = intactCount[0];
    }
  }

  /** Two producers racing for slots: each offer is kept or dropped, and kept means drained once. */
  @JCStressTest
  @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "one producer lost the slot race")
  @Outcome(id = "2, 2, 1", expect = ACCEPTABLE, desc = "both kept")
  @Outcome(expect = FORBIDDEN, desc = "a kept record was lost, duplicated or torn")
  @State
  public static class ProducersRace {
    private final StagingBuffer buffer = new StagingBuffer(4, false);
    private volatile boolean firstKept;
    private volatile boolean secondKept;

    @Actor
    public void first() {
      firstKept = offer(buffer, 1_000_003L);
    }

    @Actor
    public void second() {
      secondKept = offer(buffer, 2_000_029L);
    }

    @Arbiter
    public void drain(III_Result r) {
      boolean[] allIntact = {true};
      r.r1 =
          buffer.drainTo(
              (end, duration, bits, keyHash, size, key) ->
                  allIntact[0] &= intact(end, duration, bits, keyHash, size));
      r.r2 = (firstKept ? 1 : 0) + (secondKept ? 1 : 0);
      r.r3 = allIntact[0] ? 1 : 0;
    }
  }
}
