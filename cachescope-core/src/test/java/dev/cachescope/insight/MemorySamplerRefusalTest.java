package dev.cachescope.insight;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * On a JVM that refuses {@code sun.misc.Unsafe} memory access (JDK 23+ with {@code
 * --sun-misc-unsafe-memory-access=deny}), memory degrades to "unknown" instead of failing.
 */
class MemorySamplerRefusalTest {
  /** Run in the child JVM: prints the method of two estimates (the second must not retry). */
  public static final class Probe {
    public static void main(String[] args) {
      List<Map.Entry<String, String>> entries = List.of(Map.entry("k", "v"));
      System.out.println(MemorySampler.estimate(entries, 10).method());
      System.out.println(MemorySampler.estimate(entries, 10).method());
    }
  }

  @Test
  void aJvmThatRefusesUnsafeGetsUnknownMemory() throws Exception {
    Assumptions.assumeTrue(
        Runtime.version().feature() >= 23,
        "--sun-misc-unsafe-memory-access exists from JDK 23; CI runs this on JDK 25");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                java.toString(),
                "--sun-misc-unsafe-memory-access=deny",
                "-cp",
                System.getProperty("java.class.path"),
                Probe.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output.lines().filter(l -> l.equals("unknown") || l.equals("sampled")).toList())
        .as(output)
        .containsExactly("unknown", "unknown");
    assertThat(output).contains("cannot measure object sizes on this JVM");
  }
}
