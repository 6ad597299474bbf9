package dev.cachescope.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cachescope attach}: loads the agent into a running JVM through the JDK's Attach API,
 * prints the dashboard URL and a first table of its caches; {@code --list} lists the local JVMs,
 * {@code --detach} stops monitoring in one. The agent jar's main class ({@code java -jar
 * cachescope-agent.jar attach ...}); {@code ./cachescope attach} runs it.
 */
@Command(
    name = "cachescope attach",
    mixinStandardHelpOptions = true,
    version = "cachescope agent 0.1.0",
    description = {
      "Monitors every cache of a running JVM, with no code change: loads the cachescope agent into"
          + " it and prints its dashboard URL and caches.",
      "Caches built after the attach are monitored, and those built before from their next use"
          + " (Caffeine, Guava, JCache and Spring caches); see docs/agent.md."
    },
    footer = {
      "",
      "Examples:",
      "  cachescope attach --list",
      "  cachescope attach 12345 --port 0",
      "  cachescope attach 12345 --detach"
    })
public final class AttachCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "<pid>",
      description = "the process id of the JVM (cachescope attach --list shows them)")
  @Nullable String pid;

  @Option(names = "--list", description = "list the JVMs of this user on this machine")
  boolean list;

  @Option(
      names = "--port",
      paramLabel = "<port>",
      description = "the dashboard's port in that JVM, on 127.0.0.1 (0 = any free; default 9966)")
  int port = AgentOptions.DEFAULT_PORT;

  @Option(
      names = "--config",
      paramLabel = "<file>",
      description = "a monitoring.yaml for that JVM to read (a path that JVM can read)")
  @Nullable Path config;

  @Option(names = "--detach", description = "stop monitoring and the dashboard in that JVM")
  boolean detach;

  @Option(
      names = "--timeout",
      paramLabel = "<seconds>",
      description = "how long to wait for the agent to answer (default 20)")
  int timeoutSeconds = 20;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private AttachCommand() {}

  /** {@code java -jar cachescope-agent.jar attach ...}. */
  public static void main(String[] args) {
    String[] rest = args;
    if (args.length > 0 && args[0].equals("attach")) {
      rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    }
    System.exit(new CommandLine(new AttachCommand()).execute(rest));
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (list) {
      return list(out);
    }
    if (pid == null) {
      err.println(
          "attach: which JVM? give its process id (cachescope attach <pid>); cachescope attach"
              + " --list shows them");
      return 2;
    }
    if (!pid.chars().allMatch(Character::isDigit) || pid.isEmpty()) {
      err.println(
          "attach: '"
              + pid
              + "' is not a process id; give a number (cachescope attach --list shows them)");
      return 2;
    }
    if (pid.equals(String.valueOf(ProcessHandle.current().pid()))) {
      err.println("attach: " + pid + " is this command itself; give the pid of your application");
      return 2;
    }
    Path report = Files.createTempFile("cachescope-attach-", ".json");
    Files.delete(report);
    try {
      StringBuilder options = new StringBuilder("report=").append(report);
      if (detach) {
        options.append(",detach");
      } else {
        options.append(",port=").append(port);
        if (config != null) {
          options.append(",config=").append(config.toAbsolutePath());
        }
      }
      String problem = load(pid, options.toString());
      if (problem != null) {
        err.println("attach: " + problem);
        return 2;
      }
      JsonNode answer = await(report);
      if (answer == null) {
        err.println(
            "attach: the agent in "
                + pid
                + " did not answer within "
                + timeoutSeconds
                + " s; look at that JVM's standard error for a line starting 'cachescope agent:'");
        return 1;
      }
      if (answer.has("error")) {
        err.println("attach: " + pid + ": " + answer.get("error").asText());
        return 2;
      }
      if (detach) {
        out.printf(
            Locale.ROOT,
            "cachescope detached from %s: %d caches no longer monitored, its dashboard is"
                + " stopped%n",
            pid,
            answer.path("caches").asInt());
        return 0;
      }
      String url = answer.get("url").asText();
      out.printf(
          Locale.ROOT,
          "cachescope %s %s: dashboard at %s%n",
          answer.path("already").asBoolean() ? "was already attached to" : "attached to",
          pid,
          url);
      printCaches(out, url);
      return 0;
    } finally {
      Files.deleteIfExists(report);
    }
  }

  private int list(PrintWriter out) {
    List<VirtualMachineDescriptor> vms = new ArrayList<>(VirtualMachine.list());
    String self = String.valueOf(ProcessHandle.current().pid());
    vms.removeIf(vm -> vm.id().equals(self));
    if (vms.isEmpty()) {
      out.println("No other JVM of this user runs on this machine.");
      return 0;
    }
    out.printf(Locale.ROOT, "%-8s %s%n", "PID", "MAIN CLASS OR JAR");
    for (VirtualMachineDescriptor vm : vms) {
      String name = vm.displayName().isBlank() ? "(unknown)" : vm.displayName();
      out.printf(Locale.ROOT, "%-8s %s%n", vm.id(), name);
    }
    out.println();
    out.println("Then: cachescope attach <pid>");
    return 0;
  }

  /** Loads the agent jar into {@code target}; null when it loaded, else what to do instead. */
  private static @Nullable String load(String target, String options)
      throws IOException, URISyntaxException {
    Path jar =
        Path.of(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(target);
    } catch (AttachNotSupportedException | IOException e) {
      return "cannot attach to "
          + target
          + " ("
          + e.getMessage()
          + "): is it a JVM of this user on this machine? cachescope attach --list shows those";
    }
    try {
      vm.loadAgent(jar.toString(), options);
      return null;
    } catch (AgentLoadException | IOException e) {
      if (dynamicLoadingRefused(vm, e)) {
        return "the JVM "
            + target
            + " refuses agents loaded at run time; restart it with"
            + " -XX:+EnableDynamicAgentLoading (or with -javaagent:"
            + jar
            + " to monitor from the start)";
      }
      return "the JVM " + target + " could not load the agent: " + e.getMessage();
    } catch (AgentInitializationException e) {
      return "the agent failed to start in "
          + target
          + "; look at that JVM's standard error for a line starting 'cachescope agent:'";
    } finally {
      vm.detach();
    }
  }

  /** Whether the JVM refused because -XX:-EnableDynamicAgentLoading (JDK 21+) is in force. */
  private static boolean dynamicLoadingRefused(VirtualMachine vm, Exception e) {
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("dynamic") || message.contains("not enabled")) {
      return true;
    }
    try {
      String arguments = vm.getAgentProperties().getProperty("sun.jvm.flags", "");
      return arguments.contains("-EnableDynamicAgentLoading");
    } catch (IOException | RuntimeException ignored) {
      return false;
    }
  }

  private @Nullable JsonNode await(Path report) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(report)) {
        return JSON.readTree(report.toFile());
      }
      Thread.sleep(50);
    }
    return null;
  }

  /**
   * The caches the agent monitors so far, one line each: waits up to 3 s for the first (caches
   * appear as the application builds or uses them).
   */
  private static void printCaches(PrintWriter out, String url) {
    try {
      HttpClient client = HttpClient.newHttpClient();
      JsonNode caches = JSON.createObjectNode();
      long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      do {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(URI.create(url + "api/metrics/cache/summary"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        caches = JSON.readTree(response.body()).path("caches");
        if (!caches.isEmpty()) {
          break;
        }
        Thread.sleep(250);
      } while (System.nanoTime() < deadline);
      if (caches.isEmpty()) {
        out.println(
            "No cache monitored yet: caches appear as the application builds or uses them; reload"
                + " the dashboard.");
        return;
      }
      out.printf(
          Locale.ROOT,
          "%-36s %10s %9s %12s %12s%n",
          "CACHE",
          "ENTRIES",
          "HIT RATE",
          "HITS",
          "MISSES");
      for (Map.Entry<String, JsonNode> cache : caches.properties()) {
        JsonNode c = cache.getValue();
        out.printf(
            Locale.ROOT,
            "%-36s %10d %8.1f%% %12d %12d%n",
            cache.getKey(),
            c.path("total_entries").asLong(),
            100 * c.path("hit_rate").asDouble(),
            c.path("hits").asLong(),
            c.path("misses").asLong());
      }
    } catch (IOException e) {
      out.println("(the dashboard did not answer: " + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
