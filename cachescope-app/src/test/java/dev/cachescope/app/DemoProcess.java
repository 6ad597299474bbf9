package dev.cachescope.app;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cachescope demo} in a JVM of its own, as one instance of a fleet: every backend on, the
 * API on a free port. {@link #close()} stops it as a service manager does (SIGTERM).
 */
final class DemoProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern API =
      Pattern.compile("API: +http://127\\.0\\.0\\.1:(\\d+)/api/metrics/cache/summary");

  private final Process process;
  private final int port;
  private final HttpClient client = HttpClient.newHttpClient();

  private DemoProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the demo at {@code rate} requests/s with its files under {@code dir}. */
  static DemoProcess start(Path dir, int rate) throws Exception {
    Files.createDirectories(dir);
    Path config = RunningDemo.config(dir, 0);
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                classPath,
                Main.class.getName(),
                "demo",
                "--duration",
                "10m",
                "--rate",
                String.valueOf(rate),
                "--config",
                config.toString(),
                "--data-dir",
                dir.resolve("data").toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    AtomicReference<String> port = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                  Matcher m = API.matcher(line);
                  if (m.find()) {
                    port.set(m.group(1));
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "demo-output");
    reader.setDaemon(true);
    reader.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> port.get() != null || !process.isAlive());
    } catch (RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
    if (port.get() == null) {
      throw new IllegalStateException("the demo ended before serving: exit " + process.exitValue());
    }
    return new DemoProcess(process, Integer.parseInt(port.get()));
  }

  /** The API's port on 127.0.0.1. */
  int port() {
    return port;
  }

  /** {@code GET path} on the API, as JSON. */
  JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
