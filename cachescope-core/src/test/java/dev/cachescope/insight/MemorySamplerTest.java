package dev.cachescope.insight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

/** Sampled estimates against JOL's measurement of every entry. */
class MemorySamplerTest {
  record Rule(String id, String text, List<String> tags, double weight) {}

  @Test
  void stringsAreWithinTenPercent() {
    SplittableRandom random = new SplittableRandom(1);
    check(i -> Map.entry("key-" + i, "v".repeat(20 + random.nextInt(200))));
  }

  @Test
  void mapsAreWithinTenPercent() {
    SplittableRandom random = new SplittableRandom(2);
    check(
        i -> {
          Map<String, Integer> value = new HashMap<>();
          for (int j = random.nextInt(1, 20); j > 0; j--) {
            value.put("field" + j, j * i);
          }
          return Map.entry(i, value);
        });
  }

  @Test
  void recordsAreWithinTenPercent() {
    SplittableRandom random = new SplittableRandom(3);
    check(
        i ->
            Map.entry(
                "RULE-" + i,
                new Rule(
                    "RULE-" + i,
                    "text ".repeat(random.nextInt(1, 40)),
                    List.of("a" + i, "b" + i),
                    random.nextDouble())));
  }

  @Test
  void everyEntrySampledIsMeasuredExactly() {
    List<Map.Entry<String, String>> entries = List.of(Map.entry("a", "xyz"), Map.entry("b", "q"));
    MemorySampler.Estimate estimate = MemorySampler.estimate(entries, 2);
    assertThat(estimate.method()).isEqualTo("measured");
    assertThat(estimate.errorBytes()).isZero();
    assertThat(estimate.bytes())
        .isEqualTo(
            GraphLayout.parseInstance("a", "xyz").totalSize()
                + GraphLayout.parseInstance("b", "q").totalSize());
  }

  private static void check(IntFunction<Map.Entry<?, ?>> entry) {
    int n = 5_000;
    List<Map.Entry<?, ?>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(entry.apply(i));
    }
    long truth = 0;
    for (Map.Entry<?, ?> e : all) {
      truth += GraphLayout.parseInstance(e.getKey(), e.getValue()).totalSize();
    }
    // A cache's iteration order: the first 256 of a hash-ordered map stand in for a random sample.
    List<Map.Entry<?, ?>> sample = new ArrayList<>();
    for (int i = 0; i < n && sample.size() < 256; i += n / 256) {
      sample.add(all.get(i));
    }
    MemorySampler.Estimate estimate = MemorySampler.estimate(sample, n);
    assertThat(estimate.method()).isEqualTo("sampled");
    assertThat((double) estimate.bytes()).isBetween(truth * 0.9, truth * 1.1);
    assertThat(Math.abs(estimate.bytes() - truth)).isLessThanOrEqualTo(estimate.errorBytes() * 2);
  }
}
