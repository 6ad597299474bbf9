package dev.cachescope.agent;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import example.host.HostApp;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@link HostApp} in a child JVM, with the agent or without, on the class path of this module's
 * tests less every cachescope module (the host has no cachescope code; the agent jar brings it).
 */
final class Host implements AutoCloseable {
  static final Path AGENT_JAR = Path.of(System.getProperty("cachescope.agent.jar", "missing"));
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern URL = Pattern.compile("dashboard at (http://127\\.0\\.0\\.1:\\d+/)");

  private final Process process;
  private final Writer input;
  private final List<String> out = new CopyOnWriteArrayList<>();
  private final List<String> err = new CopyOnWriteArrayList<>();
  private final HttpClient client = HttpClient.newHttpClient();

  private Host(Process process) {
    this.process = process;
    this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    pump(process.getInputStream(), out);
    pump(process.getErrorStream(), err);
  }

  /** Starts the host with {@code jvmOptions} (a {@code -javaagent:...}, say) before its class. */
  static Host start(List<String> jvmOptions) throws IOException {
    return start(jvmOptions, classPath(false));
  }

  /** Starts the host with {@code jvmOptions} on {@code classPath}. */
  static Host start(List<String> jvmOptions, String classPath) throws IOException {
    return start(jvmOptions, classPath, HostApp.class);
  }

  /** Starts {@code main} with {@code jvmOptions} on {@code classPath}, with {@code arguments}. */
  static Host start(List<String> jvmOptions, String classPath, Class<?> main, String... arguments)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.add("-Xmx256m");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath);
    command.add(main.getName());
    command.addAll(List.of(arguments));
    Host host = new Host(new ProcessBuilder(command).start());
    host.awaitOut("READY");
    return host;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * This module's test class path without cachescope's own modules; with {@code oldCaffeine},
   * Caffeine is the old version the agent does not know.
   */
  static String classPath(boolean oldCaffeine) {
    String full =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Stream<String> entries = Stream.of(full.split(File.pathSeparator)).filter(e -> !cachescope(e));
    if (oldCaffeine) {
      entries =
          Stream.concat(
              entries.filter(e -> !e.contains("caffeine-3")),
              Stream.of(System.getProperty("caffeine.old.jar")));
    }
    return entries.collect(Collectors.joining(File.pathSeparator));
  }

  /**
   * Whether a class path entry is one of cachescope's modules: from the local repository, or from
   * the reactor (a module's jar or its classes, as {@code mvn verify} on the whole project has
   * them).
   */
  private static boolean cachescope(String entry) {
    Path path = Path.of(entry);
    String file = path.getFileName() == null ? "" : path.getFileName().toString();
    return entry.contains(File.separator + "dev" + File.separator + "cachescope" + File.separator)
        || (file.startsWith("cachescope-") && file.endsWith(".jar"))
        || (file.equals("classes")
            && path.getParent() != null
            && path.getParent().getParent() != null
            && path.getParent().getParent().getFileName().toString().startsWith("cachescope-"));
  }

  /** The entry of this module's test class path whose path contains {@code part}. */
  static String entry(String part) {
    String full =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Stream.of(full.split(File.pathSeparator))
        .filter(e -> e.contains(part))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + part + " on the test class path"));
  }

  /** This module's test classes and Caffeine, and nothing else. */
  static String caffeineOnlyClassPath() {
    String full =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Stream.of(full.split(File.pathSeparator))
        .filter(e -> e.contains("caffeine-3") || e.endsWith("test-classes"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** The build site of the host's source line marked {@code // site: <name>}. */
  static String site(String name) throws IOException {
    return site("HostApp", name);
  }

  /** The build site of the line marked {@code // site: <name>} in {@code example.host.<type>}. */
  static String site(String type, String name) throws IOException {
    List<String> lines =
        Files.readAllLines(Path.of("src/test/java/example/host/" + type + ".java"));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).endsWith("// site: " + name)) {
        return type + ".java:" + (i + 1);
      }
    }
    throw new AssertionError("no line marked // site: " + name + " in " + type);
  }

  long pid() {
    return process.pid();
  }

  /** Sends {@code command} and waits for the host to be ready for the next. */
  void send(String command) throws IOException {
    int ready = count("READY");
    input.write(command + "\n");
    input.flush();
    await().atMost(Duration.ofSeconds(60)).until(() -> count("READY") > ready);
  }

  void awaitOut(String line) {
    await()
        .atMost(Duration.ofSeconds(60))
        .failFast("the host ended:\n" + String.join("\n", err), () -> !process.isAlive())
        .until(() -> out.contains(line));
  }

  /** The dashboard URL the agent logged. */
  String url() {
    await()
        .atMost(Duration.ofSeconds(30))
        .failFast("the host ended:\n" + String.join("\n", err), () -> !process.isAlive())
        .until(() -> err.stream().anyMatch(l -> URL.matcher(l).find()));
    for (String line : err) {
      Matcher m = URL.matcher(line);
      if (m.find()) {
        return m.group(1);
      }
    }
    throw new AssertionError("no URL");
  }

  /** The snapshot of the cache called {@code name}, or null when it is not registered. */
  JsonNode cache(String base, String name) throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + "api/metrics/cache/"
                            + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
                            + "/snapshot"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 404 ? null : JSON.readTree(response.body());
  }

  /** The names of the caches the API lists. */
  List<String> caches(String base) throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(base + "api/metrics/cache/summary")).build(),
            HttpResponse.BodyHandlers.ofString());
    List<String> names = new ArrayList<>();
    JSON.readTree(response.body()).path("caches").fieldNames().forEachRemaining(names::add);
    return names;
  }

  List<String> out() {
    return out;
  }

  List<String> err() {
    return err;
  }

  private int count(String line) {
    return (int) out.stream().filter(line::equals).count();
  }

  private static void pump(java.io.InputStream stream, List<String> lines) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                  lines.add(l);
                }
              } catch (IOException e) {
                lines.add("(reading failed: " + e + ")");
              }
            });
    reader.setDaemon(true);
    reader.start();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
