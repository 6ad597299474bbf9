package dev.cachescope.insight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SpaceSavingTest {
  @Test
  void findsTheTopTenOfAZipfStreamOverAMillionKeys() {
    ZipfKeys keys = new ZipfKeys(1_000_000, 0.99, 42);
    SpaceSaving sketch = new SpaceSaving(256);
    Map<Integer, Long> exact = new HashMap<>();
    int n = 2_000_000;
    for (int i = 0; i < n; i++) {
      int key = keys.next();
      sketch.offer(key, null);
      exact.merge(key, 1L, Long::sum);
    }
    Set<Long> trueTop = topTen(exact);
    List<SpaceSaving.Entry> top = sketch.top(10);
    long found = top.stream().filter(e -> trueTop.contains(e.key())).count();
    assertThat(found / 10.0).as("top-10 recall").isGreaterThanOrEqualTo(0.9);
    // Space-Saving's guarantees: never underestimates, and overstates by at most the error.
    for (SpaceSaving.Entry e : sketch.top(256)) {
      long truth = exact.getOrDefault((int) e.key(), 0L);
      assertThat(e.count()).isGreaterThanOrEqualTo(truth);
      assertThat(e.count() - e.error()).isLessThanOrEqualTo(truth);
      assertThat(e.error()).isLessThanOrEqualTo(n / 256);
    }
    assertThat(sketch.offers()).isEqualTo(n);
  }

  @Test
  void isExactWhileTheKeysFitAndOrdersByCount() {
    SpaceSaving sketch = new SpaceSaving(4);
    String[] stream = {"a", "b", "a", "c", "a", "b", "d"};
    for (String s : stream) {
      sketch.offer(s.hashCode(), s);
    }
    List<SpaceSaving.Entry> top = sketch.top(4);
    assertThat(top.subList(0, 2)).extracting(SpaceSaving.Entry::label).containsExactly("a", "b");
    assertThat(top.subList(2, 4))
        .extracting(SpaceSaving.Entry::label)
        .containsExactlyInAnyOrder("c", "d");
    assertThat(top).extracting(SpaceSaving.Entry::count).containsExactly(3L, 2L, 1L, 1L);
    assertThat(top).extracting(SpaceSaving.Entry::error).containsOnly(0L);

    // A fifth key replaces a minimum and inherits its count as error.
    sketch.offer("e".hashCode(), "e");
    SpaceSaving.Entry e =
        sketch.top(4).stream().filter(x -> "e".equals(x.label())).findFirst().orElseThrow();
    assertThat(e.count()).isEqualTo(2);
    assertThat(e.error()).isEqualTo(1);
    assertThatThrownBy(() -> new SpaceSaving(0)).hasMessageContaining("at least 1");
  }

  private static Set<Long> topTen(Map<Integer, Long> counts) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<Integer, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(10)
        .map(x -> (long) x.getKey())
        .collect(Collectors.toSet());
  }
}
