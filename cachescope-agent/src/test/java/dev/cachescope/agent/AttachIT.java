package dev.cachescope.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar cachescope-agent.jar attach} against a running host with no cachescope code: the
 * caches it builds after the attach are monitored with exact counts, a second attach says so,
 * {@code --detach} stops the server, and refusals are one line with exit 2.
 */
class AttachIT {
  private static final Pattern URL =
      Pattern.compile("attached to \\d+: dashboard at (http://127\\.0\\.0\\.1:\\d+/)");

  record Run(int exit, String out, String err) {}

  static Run attach(String... args) throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(List.of(Host.java(), "-jar", Host.AGENT_JAR.toString(), "attach"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), out, err);
  }

  @Test
  void cachesAreMonitoredFromTheAttachUntilDetach() throws Exception {
    try (Host host = Host.start(List.of("-XX:+EnableDynamicAgentLoading"))) {
      host.send("use"); // round 1, before the attach

      Run list = attach("--list");
      assertThat(list.exit()).isZero();
      assertThat(list.out()).contains(host.pid() + " ").contains("example.host.HostApp");

      Run attached = attach(String.valueOf(host.pid()), "--port", "0");
      assertThat(attached.exit()).as(attached.err()).isZero();
      Matcher m = URL.matcher(attached.out());
      assertThat(m.find()).as(attached.out()).isTrue();
      String url = m.group(1);
      assertThat(attached.out()).contains("No cache monitored yet: caches appear as");

      host.send("use"); // round 2, after the attach
      Map<String, long[]> expected =
          Map.of(
              Host.site("orders"),
              new long[] {3, 2, 3, 0, 0},
              Host.site("squares"),
              new long[] {1, 2, 0, 2, 0},
              Host.site("async"),
              new long[] {1, 1, 0, 1, 0},
              Host.site("tiny"),
              new long[] {0, 0, 10, 0, 8},
              Host.site("guava"),
              new long[] {1, 1, 1, 0, 0},
              "jc2",
              new long[] {1, 1, 1, 0, 0});
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> JavaAgentIT.assertCounts(host, url, expected));
      assertThat(host.caches(url)).doesNotContain("jc1");

      // Round 1's caches, built before the attach, are monitored from their next use: the
      // Spring cache (Spring asks its manager for it on every @Cacheable call), and the Caffeine,
      // Guava and JCache caches through their libraries' own cache classes, each named where it
      // was first used.
      host.send("again");
      assertThat(host.out())
          .contains(
              "DONE again book-1 book-3",
              "DONE again-orders A null E E",
              "DONE again-squares 4 49",
              "DONE again-guava G null R",
              "DONE again-jcache J null");
      Map<String, long[]> old =
          Map.of(
              "books",
              new long[] {2, 3, 3, 3, 0},
              "used at " + Host.site("orders-again"),
              new long[] {2, 2, 1, 1, 0},
              "used at " + Host.site("squares-again"),
              new long[] {1, 1, 0, 1, 0},
              "used at " + Host.site("guava-again"),
              new long[] {1, 2, 1, 1, 0},
              "used at " + Host.site("jcache-again"),
              new long[] {1, 1, 1, 0, 0});
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> JavaAgentIT.assertCounts(host, url, old));
      // Exactly those are met from below: not the caches behind the agent's own wrappers.
      assertThat(host.caches(url))
          .filteredOn(n -> n.startsWith("used at"))
          .containsExactlyInAnyOrderElementsOf(
              old.keySet().stream().filter(n -> n.startsWith("used at")).toList());

      Run again = attach(String.valueOf(host.pid()));
      assertThat(again.exit()).isZero();
      assertThat(again.out())
          .contains("was already attached to " + host.pid())
          .containsPattern("CACHE +ENTRIES +HIT RATE +HITS +MISSES")
          .containsPattern("\\nbooks +\\d+ +[0-9.]+% +2 +3\\n");

      Run detached = attach(String.valueOf(host.pid()), "--detach");
      assertThat(detached.exit()).as(detached.err()).isZero();
      assertThat(detached.out()).containsPattern("detached from \\d+: \\d+ caches");
      await().atMost(Duration.ofSeconds(10)).until(() -> !answers(url));
      host.send("use"); // the host runs on after the detach
      assertThat(host.out()).filteredOn(l -> l.startsWith("USED")).hasSize(3);
    }
  }

  @Test
  void whatCannotBeAttachedIsOneLineAndExit2() throws Exception {
    Run notANumber = attach("my-app");
    assertThat(notANumber.exit()).isEqualTo(2);
    assertThat(notANumber.err().strip())
        .isEqualTo(
            "attach: 'my-app' is not a process id; give a number (cachescope attach --list"
                + " shows them)");

    Run noSuchJvm = attach("999999999");
    assertThat(noSuchJvm.exit()).isEqualTo(2);
    assertThat(noSuchJvm.err().strip())
        .startsWith("attach: cannot attach to 999999999")
        .doesNotContain("\n");

    Run none = attach();
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("cachescope attach --list");
  }

  @Test
  void aJvmThatRefusesDynamicAgentsGetsTheFlagToAdd() throws Exception {
    assumeThat(Runtime.version().feature()).isGreaterThanOrEqualTo(21);
    try (Host host = Host.start(List.of("-XX:-EnableDynamicAgentLoading"))) {
      Run refused = attach(String.valueOf(host.pid()), "--port", "0");
      assertThat(refused.exit()).isEqualTo(2);
      assertThat(refused.err().strip())
          .doesNotContain("\n")
          .contains("-XX:+EnableDynamicAgentLoading");
      host.send("use");
      assertThat(host.out()).contains("USED 1");
    }
  }

  private static boolean answers(String url) {
    try {
      return HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url + "health"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          > 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
