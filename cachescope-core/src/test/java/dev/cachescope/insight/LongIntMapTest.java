package dev.cachescope.insight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LongIntMapTest {
  @Test
  void behavesLikeAHashMapUnderRandomPutsAndRemoves() {
    LongIntMap map = new LongIntMap(64);
    Map<Long, Integer> reference = new HashMap<>();
    SplittableRandom random = new SplittableRandom(3);
    for (int step = 0; step < 200_000; step++) {
      // Few distinct keys, so probe runs collide and deletions must shift entries back.
      long key = random.nextInt(96) * 1_000_003L;
      if (random.nextBoolean() && reference.size() < 64) {
        int value = random.nextInt(1_000);
        map.put(key, value);
        reference.put(key, value);
      } else {
        map.remove(key);
        reference.remove(key);
      }
      long probe = random.nextInt(96) * 1_000_003L;
      assertThat(map.get(probe)).isEqualTo(reference.getOrDefault(probe, LongIntMap.MISSING));
    }
  }
}
