package dev.cachescope.insight;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Measuring memory prints nothing on the application's stdout: JOL's start-up warnings (no
 * instrumentation, no Serviceability Agent) reach no one, and the application's own lines pass. Run
 * in a child JVM, because JOL starts once per JVM.
 */
class MemorySamplerQuietTest {
  /** Run in the child JVM: a line of its own, then a measurement, then another line. */
  public static final class Probe {
    public static void main(String[] args) {
      System.out.println("before");
      System.out.println(MemorySampler.estimate(List.of(Map.entry("k", "v")), 1).method());
      System.out.println("after");
    }
  }

  @Test
  void jolsWarningsReachNoOneAndTheApplicationsLinesPass() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(
                java.toString(),
                "-Djdk.attach.allowAttachSelf=false",
                "-cp",
                System.getProperty("java.class.path"),
                Probe.class.getName())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(stdout).isZero();
    assertThat(stdout.lines().toList()).as(stdout).containsExactly("before", "measured", "after");
  }
}
