package dev.cachescope.export.http;

import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.BackendHealth;
import dev.cachescope.export.alerts.AlertBackend;
import dev.cachescope.export.internal.Json;
import dev.cachescope.export.metrics.PrometheusExposition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.webjars.WebJarVersionLocator;

/**
 * The API and the dashboard as a handler that any HTTP server can call: what {@link
 * MetricsHttpServer} serves on its embedded server, for servers the application already runs (a
 * servlet container, say). Paths are relative to where the handler is mounted: {@code /} is the
 * dashboard, {@code /api/metrics/cache/summary} the summary, and so on, as {@link
 * MetricsHttpServer} lists them; the dashboard's own links are relative, so it works under any
 * prefix that ends in a slash. Thread-safe.
 */
public final class HttpApi {
  private static final Logger LOG = LoggerFactory.getLogger("dev.cachescope.export");
  private static final String API = "/api/metrics/cache/";
  private static final int MAX_URI = 2_048;
  private static final String JSON_TYPE = "application/json; charset=utf-8";
  private static final String DASHBOARD = "dev/cachescope/export/dashboard/";
  private static final String DASHBOARD_PATH = "/dashboard/";
  private static final String WEBJARS_PATH = "/webjars/";
  private static final WebJarVersionLocator WEBJARS = new WebJarVersionLocator();

  private final MetricsAggregator aggregator;
  private final byte @Nullable [] token;
  private final Supplier<List<BackendHealth>> health;
  private final @Nullable Supplier<Map<String, Object>> alerts;
  private final Consumer<RuntimeException> failures;
  private final @Nullable Set<String> allowedHosts;
  private final List<Endpoint> endpoints;

  private HttpApi(Builder builder) {
    this.aggregator = builder.aggregator;
    this.token =
        builder.token == null ? null : ("Bearer " + builder.token).getBytes(StandardCharsets.UTF_8);
    this.health = builder.health;
    this.alerts = builder.alerts;
    this.failures = builder.failures;
    this.allowedHosts = builder.allowedHosts;
    this.endpoints =
        List.of(
            fixed(API + "summary", API + "summary", (q, r) -> json(200, aggregator.summary())),
            perCache("snapshot", API + "{name}/snapshot", (m, q) -> json(200, m.snapshot())),
            perCache("operations", API + "{name}/operations?limit=100", this::operations),
            perCache("histogram", API + "{name}/histogram?after=0", this::histogram),
            fixed(API + "series", API + "series?after=0", (q, r) -> series(q)),
            fixed("/api/alerts", "/api/alerts", (q, r) -> alerts()),
            fixed("/health", "/health", (q, r) -> health()),
            fixed("/metrics", "/metrics", (q, r) -> metrics(r.header("Accept"))),
            fixed("/api", null, (q, r) -> index()));
  }

  /** Starts configuring a handler over {@code aggregator}. */
  public static Builder builder(MetricsAggregator aggregator) {
    return new Builder(aggregator);
  }

  /** One request, as the server received it. */
  public interface Request {
    /** {@code GET}, {@code HEAD}, ... */
    String method();

    /** The path below the handler's mount point, still percent-encoded; starts with a slash. */
    String rawPath();

    /** The query string, still percent-encoded, or null. */
    @Nullable String rawQuery();

    /** The first value of the request header {@code name}, or null. */
    @Nullable String header(String name);

    /** A request whose parts are given. */
    static Request of(
        String method,
        String rawPath,
        @Nullable String rawQuery,
        Function<String, @Nullable String> headers) {
      return new Request() {
        @Override
        public String method() {
          return method;
        }

        @Override
        public String rawPath() {
          return rawPath;
        }

        @Override
        public @Nullable String rawQuery() {
          return rawQuery;
        }

        @Override
        public @Nullable String header(String name) {
          return headers.apply(name);
        }
      };
    }
  }

  /**
   * What to send back. {@link #headers()} are the headers to set besides {@code Content-Type} and
   * {@code Cache-Control}; they include the security headers every response carries. For a {@code
   * HEAD} request send the headers only.
   */
  public record Response(
      int status,
      String contentType,
      byte[] body,
      String cacheControl,
      Map<String, String> headers) {}

  /** Answers {@code request}; never throws (a failure is a logged 500). */
  public Response handle(Request request) {
    Response response;
    Map<String, String> extra = new LinkedHashMap<>();
    try {
      response = route(request, extra);
    } catch (IOException | RuntimeException e) {
      LOG.warn("cachescope: API request {} failed", request.rawPath(), e);
      failures.accept(e instanceof RuntimeException r ? r : new IllegalStateException(e));
      response = error(500, "internal error; see the application log");
    }
    extra.put("X-Content-Type-Options", "nosniff");
    if (response.contentType().startsWith("text/html")) {
      extra.put("Content-Security-Policy", "default-src 'self'; img-src 'self' data:");
    }
    extra.putAll(response.headers());
    return new Response(
        response.status(), response.contentType(), response.body(), response.cacheControl(), extra);
  }

  /** Answers a request for one endpoint, given its query string and the request. */
  @FunctionalInterface
  private interface Handler {
    Response answer(@Nullable String query, Request request) throws IOException;
  }

  /** Answers a request for one cache's endpoint, given the cache's monitor and the query. */
  @FunctionalInterface
  private interface CacheHandler {
    Response answer(CacheMonitor monitor, @Nullable String query) throws IOException;
  }

  /**
   * One entry of the route table: the path it answers (for a per-cache endpoint, the last segment
   * after {@code /api/metrics/cache/{name}/}), what {@code /api} lists for it (null: unlisted), and
   * its handler.
   */
  private record Endpoint(
      String path,
      boolean perCache,
      @Nullable String listed,
      @Nullable Handler handler,
      @Nullable CacheHandler cacheHandler) {}

  private static Endpoint fixed(String path, @Nullable String listed, Handler handler) {
    return new Endpoint(path, false, listed, handler, null);
  }

  private static Endpoint perCache(String segment, String listed, CacheHandler handler) {
    return new Endpoint(segment, true, listed, null, handler);
  }

  private Response route(Request request, Map<String, String> extra) throws IOException {
    String path = request.rawPath();
    String query = request.rawQuery();
    if (path.length() + (query == null ? 0 : query.length() + 1) > MAX_URI) {
      return error(414, "request URI longer than " + MAX_URI + " characters");
    }
    Response refused = refuseForeignHost(request);
    if (refused != null) {
      return refused;
    }
    String method = request.method();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      extra.put("Allow", "GET, HEAD");
      return error(405, method + " is not allowed; use GET");
    }
    String length = request.header("Content-Length");
    if ((length != null && !length.trim().equals("0"))
        || request.header("Transfer-Encoding") != null) {
      return error(413, "GET requests take no body");
    }
    Response asset = asset(path);
    if (asset != null) {
      return asset;
    }
    byte[] expected = token;
    if (expected != null) {
      String given = request.header("Authorization");
      if (given == null
          || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
        extra.put("WWW-Authenticate", "Bearer");
        return error(401, "missing or wrong token; send Authorization: Bearer <token>");
      }
    }
    for (Endpoint endpoint : endpoints) {
      Handler handler = endpoint.handler();
      if (!endpoint.perCache() && handler != null && endpoint.path().equals(path)) {
        return handler.answer(query, request);
      }
    }
    if (path.startsWith(API)) {
      return perCache(path.substring(API.length()), query);
    }
    return error(404, "no such endpoint: " + path + "; GET /api lists them");
  }

  /**
   * With the host check on: a {@code Host} that is neither a loopback name or address nor an
   * allowed host gets a 421 (a page on another site that rebinds its name to this machine), an
   * {@code Origin} of another host a 403 (a cross-origin read). Null when the request may go on.
   */
  private @Nullable Response refuseForeignHost(Request request) {
    Set<String> allowed = allowedHosts;
    if (allowed == null) {
      return null;
    }
    String host = request.header("Host");
    if (host != null && !isAllowedHost(hostName(host), allowed)) {
      return error(
          421,
          "this server answers only to localhost, 127.0.0.1 or [::1]"
              + (allowed.isEmpty() ? "" : " and " + allowed)
              + ", not to Host '"
              + abbreviate(host)
              + "'; add the name to the api backend's allowed_hosts to reach it by that name");
    }
    String origin = request.header("Origin");
    if (origin != null && !origin.equals("null")) {
      String originHost = null;
      try {
        originHost = java.net.URI.create(origin.trim()).getHost();
      } catch (IllegalArgumentException e) {
        originHost = null;
      }
      if (originHost == null || !isAllowedHost(hostName(originHost), allowed)) {
        return error(
            403,
            "cross-origin requests from '"
                + abbreviate(origin)
                + "' are refused; open the dashboard on this server instead");
      }
    }
    return null;
  }

  /** The host part of a {@code Host} header or URI host, lowercase, without port or brackets. */
  static String hostName(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    return colon >= 0 && colon == h.lastIndexOf(':') ? h.substring(0, colon) : h;
  }

  static boolean isAllowedHost(String name, Set<String> allowed) {
    return name.equals("localhost")
        || name.endsWith(".localhost")
        || name.equals("::1")
        || name.matches("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}")
        || allowed.contains(name);
  }

  private static String abbreviate(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }

  private Response perCache(String rest, @Nullable String query) throws IOException {
    int slash = rest.indexOf('/');
    if (slash <= 0) {
      return error(404, "no such endpoint: " + API + rest + "; GET /api lists them");
    }
    String name = decode(rest.substring(0, slash));
    String what = rest.substring(slash + 1);
    Optional<CacheMonitor> monitor = aggregator.monitor(name);
    if (monitor.isEmpty()) {
      return error(404, "no cache named '" + name + "'; known caches: " + aggregator.cacheNames());
    }
    for (Endpoint endpoint : endpoints) {
      CacheHandler handler = endpoint.cacheHandler();
      if (endpoint.perCache() && handler != null && endpoint.path().equals(what)) {
        return handler.answer(monitor.get(), query);
      }
    }
    return error(404, "no such endpoint: " + what + "; use snapshot, operations or histogram");
  }

  private Response operations(CacheMonitor monitor, @Nullable String query) throws IOException {
    try {
      return json(
          200,
          ApiViews.operations(
              monitor,
              queryParameter(query, "limit"),
              queryParameter(query, "operation"),
              queryParameter(query, "result")));
    } catch (IllegalArgumentException e) {
      return error(400, String.valueOf(e.getMessage()));
    }
  }

  private Response series(@Nullable String query) throws IOException {
    double after = after(query);
    return Double.isNaN(after) ? badAfter(query) : json(200, aggregator.series(after));
  }

  /**
   * One cache's latency heatmap: the fixed bucket bounds, then a column per window point after
   * {@code after} with its lookup and load counts per bucket.
   */
  private Response histogram(CacheMonitor monitor, @Nullable String query) throws IOException {
    double after = after(query);
    if (Double.isNaN(after)) {
      return badAfter(query);
    }
    return json(200, ApiViews.histogram(monitor, after));
  }

  /** The {@code after} parameter: 0 when absent, NaN when not a Unix time. */
  private static double after(@Nullable String query) {
    String raw = queryParameter(query, "after");
    if (raw == null) {
      return 0;
    }
    try {
      double after = Double.parseDouble(raw);
      return Double.isFinite(after) && after >= 0 ? after : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static Response badAfter(@Nullable String query) throws IOException {
    return error(
        400,
        "after must be a Unix time in seconds, such as 1764000000.5, got '"
            + queryParameter(query, "after")
            + "'");
  }

  /**
   * The dashboard's page or one of its assets, or {@code null} if {@code path} names none of them.
   */
  private static @Nullable Response asset(String path) throws IOException {
    String resource = null;
    if (path.equals("/")) {
      resource = DASHBOARD + "index.html";
    } else if (path.startsWith(DASHBOARD_PATH)) {
      String file = path.substring(DASHBOARD_PATH.length());
      if (!file.matches("[a-z0-9-]+\\.(html|js|css|svg)")) {
        return error(404, "no such dashboard file: " + path);
      }
      resource = DASHBOARD + file;
    } else if (path.startsWith(WEBJARS_PATH)) {
      String rest = path.substring(WEBJARS_PATH.length());
      int slash = rest.indexOf('/');
      if (slash > 0 && !rest.contains("..")) {
        resource = WEBJARS.fullPath(rest.substring(0, slash), rest.substring(slash + 1));
      }
      if (resource == null) {
        return error(404, "no such WebJar asset: " + path);
      }
    } else {
      return null;
    }
    byte[] body;
    try (InputStream in = HttpApi.class.getResourceAsStream("/" + resource)) {
      if (in == null) {
        return error(404, "no such dashboard file: " + path);
      }
      body = in.readAllBytes();
    }
    return new Response(200, contentType(resource), body, "no-cache", Map.of());
  }

  private static String contentType(String resource) {
    String extension = resource.substring(resource.lastIndexOf('.') + 1);
    return switch (extension) {
      case "html" -> "text/html; charset=utf-8";
      case "js" -> "text/javascript; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "svg" -> "image/svg+xml";
      case "json", "map" -> JSON_TYPE;
      default -> "application/octet-stream";
    };
  }

  private Response alerts() throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    Supplier<Map<String, Object>> source = alerts;
    if (source != null) {
      body.putAll(source.get());
    } else {
      body.put("rules", List.of());
      body.put("alerts", List.of());
      body.put("events", List.of());
    }
    body.put("anomalies", AlertBackend.anomalies(aggregator.snapshots()));
    return json(200, body);
  }

  private Response health() throws IOException {
    List<BackendHealth> backends = new ArrayList<>(health.get());
    boolean ok = backends.stream().allMatch(BackendHealth::ok);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", ok ? "ok" : "degraded");
    body.put("caches", aggregator.cacheNames().size());
    body.put("backends", backends);
    return json(ok ? 200 : 503, body);
  }

  /** Prometheus text, or protobuf with native histograms for a scraper whose Accept asks. */
  private Response metrics(@Nullable String accept) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8_192);
    String contentType = PrometheusExposition.write(out, aggregator.snapshots(), accept);
    return new Response(200, contentType, out.toByteArray(), "no-store", Map.of("Vary", "Accept"));
  }

  private Response index() throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    List<String> listed = new ArrayList<>();
    for (Endpoint endpoint : endpoints) {
      if (endpoint.listed() != null) {
        listed.add(endpoint.listed());
      }
    }
    body.put("endpoints", listed);
    body.put("caches", aggregator.cacheNames());
    return json(200, body);
  }

  private static @Nullable String queryParameter(@Nullable String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (key.equals(name)) {
        return eq < 0 ? "" : decode(pair.substring(eq + 1));
      }
    }
    return null;
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }

  private static Response json(int status, Object body) throws IOException {
    return new Response(
        status, JSON_TYPE, Json.MAPPER.writeValueAsBytes(body), "no-store", Map.of());
  }

  /**
   * A JSON error with the security headers every response carries, for what a server answers before
   * a request reaches {@link #handle} (a full queue, a malformed request).
   */
  static Response errorResponse(int status, String message) {
    Response error = error(status, message);
    return new Response(
        status,
        error.contentType(),
        error.body(),
        error.cacheControl(),
        Map.of("X-Content-Type-Options", "nosniff"));
  }

  private static Response error(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("status", status);
    try {
      return json(status, body);
    } catch (IOException e) {
      return new Response(status, JSON_TYPE, new byte[0], "no-store", Map.of());
    }
  }

  /** Configures an {@link HttpApi}. */
  public static final class Builder {
    private final MetricsAggregator aggregator;
    private @Nullable String token;
    private Supplier<List<BackendHealth>> health = List::of;
    private @Nullable Supplier<Map<String, Object>> alerts;
    private Consumer<RuntimeException> failures = e -> {};
    private @Nullable Set<String> allowedHosts;

    private Builder(MetricsAggregator aggregator) {
      this.aggregator = Objects.requireNonNull(aggregator, "aggregator");
    }

    /** Require {@code Authorization: Bearer <token>}; null (the default) requires nothing. */
    public Builder token(@Nullable String token) {
      this.token = token == null || token.isBlank() ? null : token;
      return this;
    }

    /** Where {@code /health} finds the backends' states; none by default. */
    public Builder health(Supplier<List<BackendHealth>> health) {
      this.health = Objects.requireNonNull(health, "health");
      return this;
    }

    /** Where {@code /api/alerts} finds the alert rules' states (set by {@link Monitoring}). */
    public Builder alerts(@Nullable Supplier<Map<String, Object>> alerts) {
      this.alerts = alerts;
      return this;
    }

    /**
     * Answer only requests addressed to this machine by a loopback name or address ({@code
     * localhost}, {@code 127.0.0.1}, {@code [::1]}) or by one of {@code hosts}, and refuse
     * cross-origin reads from other hosts: what a server bound to loopback needs against DNS
     * rebinding. Off by default, for servers the application runs under its own names.
     */
    public Builder allowedHosts(Collection<String> hosts) {
      Set<String> names = new LinkedHashSet<>();
      for (String host : hosts) {
        names.add(hostName(host));
      }
      this.allowedHosts = Collections.unmodifiableSet(names);
      return this;
    }

    /** Told of each request that failed with a 500, after it is logged. */
    Builder failures(Consumer<RuntimeException> failures) {
      this.failures = Objects.requireNonNull(failures, "failures");
      return this;
    }

    /** The handler. */
    public HttpApi build() {
      return new HttpApi(this);
    }
  }
}
