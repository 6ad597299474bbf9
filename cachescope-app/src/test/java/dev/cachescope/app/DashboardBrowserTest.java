package dev.cachescope.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.jspecify.annotations.NullUnmarked;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver})
 * against a running demo. Under {@code CI} the browser is required; elsewhere the test is skipped,
 * saying so, when it is not installed.
 */
// The browser returns untyped values from scripts; their shape is what the assertions check.
@NullUnmarked
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final List<String> CACHES =
      List.of("CacheManager", "FileCache", "RuleCache", "ServiceContainer", "generateDefinition");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REFRESH = Duration.ofSeconds(10);

  @TempDir Path dir;
  private RunningDemo demo;
  private ChromeDriver browser;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (System.getenv("CI") == null) {
      Assumptions.assumeTrue(
          installed, "headless Chromium not installed: apt-get install chromium chromium-driver");
    }
    assertThat(installed).as("CI must install chromium and chromium-driver").isTrue();
    demo = RunningDemo.start(dir, Duration.ofMinutes(3), 300);

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + dir.resolve("chromium-profile"),
        "--window-size=1280,800");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (demo != null) {
      demo.close();
    }
  }

  @Test
  void theDashboardShowsTheRunningDemoLive() throws Exception {
    browser.get(demo.url() + "/");

    // Every registered cache has a row.
    await()
        .atMost(REFRESH)
        .untilAsserted(
            () ->
                assertThat(cacheRows().keySet())
                    .containsExactlyInAnyOrderElementsOf(
                        api("summary").get("caches").properties().stream()
                            .map(Map.Entry::getKey)
                            .toList()));
    assertThat(cacheRows().keySet()).containsAll(CACHES);

    numbersMatchTheApiWithinOneRefresh();
    insightsShowSizingAndHotKeys();
    aFiringAlertIsShown();
    chartsHaveDataPoints();
    heatmapsShowTheHistogramOfTheChosenCache();
    screenshotOf("section[aria-labelledby=heatmap-title]", "heatmap.png");
    filtersNarrowTheOperationsTable();

    assertThat(errors()).as("console errors").isEmpty();
    screenshot("dashboard.png");

    // Phone width: nothing wider than the screen but the tables, which scroll on their own.
    browser.manage().window().setSize(new Dimension(390, 844));
    @SuppressWarnings("unchecked")
    List<String> tooWide =
        (List<String>)
            browser.executeScript(
                "const width = document.documentElement.clientWidth;"
                    + "return [...document.querySelectorAll('body *')]"
                    + ".filter(e => !e.closest('.scroll'))"
                    + ".filter(e => e.getBoundingClientRect().right > width + 0.5)"
                    + ".map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className"
                    + " + ' right=' + e.getBoundingClientRect().right + ' of ' + width);");
    assertThat(tooWide).as("elements wider than a phone's screen").isEmpty();
    screenshot("dashboard-phone.png");

    // Dark: the page follows the system's colour scheme.
    browser.manage().window().setSize(new Dimension(1280, 800));
    String light = background();
    browser.executeCdpCommand(
        "Emulation.setEmulatedMedia",
        Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
    assertThat(background()).isNotEqualTo(light).isEqualTo("rgb(18, 21, 27)");
    screenshot("dashboard-dark.png");
    await()
        .atMost(REFRESH)
        .until(
            () ->
                "dark"
                    .equals(
                        browser.executeScript(
                            "return document.getElementById('heatmap-get').dataset.scheme;")));
    screenshotOf("section[aria-labelledby=heatmap-title]", "heatmap-dark.png");
    assertThat(errors()).as("console errors").isEmpty();
  }

  private void numbersMatchTheApiWithinOneRefresh() throws Exception {
    JsonNode before = api("summary");
    double beforeTime = before.get("timestamp").asDouble();
    await().atMost(REFRESH).until(() -> pageTimestamp() > beforeTime);
    Map<String, Map<String, String>> rows = cacheRows();
    Map<String, long[]> shown = new HashMap<>();
    Map<String, Double> shownRate = new HashMap<>();
    for (Map.Entry<String, Map<String, String>> row : rows.entrySet()) {
      Map<String, String> tr = row.getValue();
      shown.put(
          row.getKey(),
          new long[] {Long.parseLong(tr.get("gets")), Long.parseLong(tr.get("hits"))});
      String rate = tr.get("hit_rate_text");
      shownRate.put(
          row.getKey(), rate.equals("–") ? null : Double.parseDouble(rate.replace("%", "")));
      assertThat(tr.get("gets_text").replace(",", "")).isEqualTo(tr.get("gets"));
    }
    String totalCaches = browser.findElement(By.cssSelector("[data-total=total_caches]")).getText();
    JsonNode after = api("summary");

    assertThat(totalCaches).isEqualTo(String.valueOf(after.get("total_caches").asInt()));
    for (String cache : CACHES) {
      JsonNode b = before.get("caches").get(cache);
      JsonNode a = after.get("caches").get(cache);
      long gets = shown.get(cache)[0];
      assertThat(gets)
          .as(cache + " lookups")
          .isBetween(b.get("gets").asLong(), a.get("gets").asLong());
      assertThat(shown.get(cache)[1])
          .as(cache + " hits")
          .isBetween(b.get("hits").asLong(), a.get("hits").asLong());
      Double rate = shownRate.get(cache);
      assertThat(rate).as(cache + " hit rate shown").isNotNull();
      // The hit rate is not monotonic, so it is checked against the counts the page shows, which
      // lie between the two API reads.
      double exact = 100.0 * shown.get(cache)[1] / gets;
      assertThat(rate).as(cache + " hit rate of its own counts").isCloseTo(exact, within(0.05));
    }
  }

  /** RunningDemo's rule wants CacheManager above 90%; it runs near 60%, so the rule fires. */
  private void aFiringAlertIsShown() {
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              @SuppressWarnings("unchecked")
              List<Map<String, String>> rows =
                  (List<Map<String, String>>)
                      browser.executeScript(
                          "return [...document.querySelectorAll('#alerts tbody tr')]"
                              + ".map(tr => ({...tr.dataset}));");
              assertThat(rows)
                  .anySatisfy(
                      row ->
                          assertThat(row)
                              .containsEntry("rule", "below-target")
                              .containsEntry("cache", "CacheManager")
                              .containsEntry("state", "firing"));
            });
  }

  private void insightsShowSizingAndHotKeys() {
    await()
        .atMost(REFRESH)
        .untilAsserted(
            () -> {
              @SuppressWarnings("unchecked")
              List<Map<String, Object>> cards =
                  (List<Map<String, Object>>)
                      browser.executeScript(
                          "return [...document.querySelectorAll('#insights article')].map(a => ({"
                              + " cache: a.dataset.cache,"
                              + " sizes: a.querySelectorAll('table.sizing tr.model td').length,"
                              + " lru: a.querySelectorAll('table.sizing tr.lru td').length,"
                              + " model: a.querySelector('table.sizing')?.dataset.model,"
                              + " error: a.querySelector('.model-error')?.textContent,"
                              + " hot: a.querySelectorAll('.hot-keys li').length}));");
              assertThat(cards).extracting(c -> c.get("cache")).containsAll(CACHES);
              Map<String, Object> generator =
                  cards.stream()
                      .filter(c -> c.get("cache").equals("generateDefinition"))
                      .findFirst()
                      .orElseThrow();
              // A memoizer on Caffeine: its own policy's curve, the LRU curve, and the error.
              assertThat(((Number) generator.get("sizes")).intValue()).isEqualTo(5);
              assertThat(((Number) generator.get("lru")).intValue()).isEqualTo(5);
              assertThat(generator.get("model")).isEqualTo("caffeine");
              assertThat((String) generator.get("error"))
                  .contains("caffeine policy", "model error at 1×");
              assertThat(((Number) generator.get("hot")).intValue()).isPositive();
            });
  }

  private void chartsHaveDataPoints() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Number points =
                  (Number)
                      browser.executeScript(
                          "const c = Chart.getChart('chart-ops');"
                              + "return c ? c.data.datasets.reduce((n, d) => n + d.data.length, 0)"
                              + " : 0;");
              assertThat(points.intValue()).isPositive();
            });
    @SuppressWarnings("unchecked")
    List<String> labels =
        (List<String>)
            browser.executeScript(
                "return Chart.getChart('chart-hit-rate').data.datasets.map(d => d.label);");
    assertThat(labels).containsAll(CACHES);
  }

  /**
   * The heatmaps of the cache chosen above them: as many coloured cells as the API's histogram has
   * non-empty buckets over its window points (read before and after, since a point may land
   * between), for lookups and for loads.
   */
  private void heatmapsShowTheHistogramOfTheChosenCache() {
    browser
        .findElement(By.cssSelector("#heatmap-form select[name=cache] option[value='RuleCache']"))
        .click();
    for (String operation : List.of("get", "load")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                long before = nonEmptyBuckets(operation);
                Number cells =
                    (Number)
                        browser.executeScript(
                            "return Number(document.getElementById('heatmap-"
                                + operation
                                + "').dataset.cells || 0);");
                long after = nonEmptyBuckets(operation);
                assertThat(cells.longValue()).isPositive().isBetween(before, after);
              });
    }
  }

  private long nonEmptyBuckets(String operation) throws Exception {
    long cells = 0;
    for (JsonNode point : api("RuleCache/histogram").get("points")) {
      for (JsonNode count : point.path(operation)) {
        cells += count.asLong() > 0 ? 1 : 0;
      }
    }
    return cells;
  }

  private void filtersNarrowTheOperationsTable() {
    choose("cache", "FileCache");
    awaitRows("FileCache||", row -> assertThat(row.get("cache")).isEqualTo("FileCache"));
    choose("operation", "get");
    choose("result", "miss");
    awaitRows(
        "FileCache|get|miss",
        row ->
            assertThat(row)
                .containsEntry("cache", "FileCache")
                .containsEntry("operation", "get")
                .containsEntry("result", "miss"));
    choose("cache", "");
    choose("result", "hit");
    awaitRows(
        "|get|hit",
        row -> assertThat(row).containsEntry("operation", "get").containsEntry("result", "hit"));
    choose("operation", "");
    choose("result", "");
  }

  /**
   * Waits until the operations table shows {@code filter} and has rows, each passing {@code
   * eachRow}. The rows are read in one script, since the page replaces them every refresh.
   */
  private void awaitRows(String filter, Consumer<Map<String, String>> eachRow) {
    await()
        .atMost(REFRESH)
        .untilAsserted(
            () -> {
              @SuppressWarnings("unchecked")
              Map<String, Object> table =
                  (Map<String, Object>)
                      browser.executeScript(
                          "return {filter: document.body.dataset.operationsFilter,"
                              + " rows: [...document.querySelectorAll('#operations tbody tr')]"
                              + ".map(tr => ({cache: tr.dataset.cache,"
                              + " operation: tr.dataset.operation, result: tr.dataset.result}))};");
              assertThat(table.get("filter")).isEqualTo(filter);
              @SuppressWarnings("unchecked")
              List<Map<String, String>> rows = (List<Map<String, String>>) table.get("rows");
              assertThat(rows).isNotEmpty();
              rows.forEach(eachRow);
            });
  }

  private void choose(String filter, String value) {
    browser
        .findElement(
            By.cssSelector("#filters select[name=" + filter + "] option[value='" + value + "']"))
        .click();
  }

  /**
   * The caches table, read in one script (the page replaces its rows every refresh): by cache, its
   * {@code gets} and {@code hits} data attributes and the text of its hit rate and lookups cells.
   */
  private Map<String, Map<String, String>> cacheRows() {
    @SuppressWarnings("unchecked")
    List<Map<String, String>> rows =
        (List<Map<String, String>>)
            browser.executeScript(
                "const text = (tr, f) => tr.querySelector(`td[data-field=${f}]`).textContent;"
                    + "return [...document.querySelectorAll('#caches tbody tr')].map(tr => ({"
                    + " cache: tr.dataset.cache, gets: tr.dataset.gets, hits: tr.dataset.hits,"
                    + " hit_rate_text: text(tr, 'hit_rate'), gets_text: text(tr, 'gets')}));");
    Map<String, Map<String, String>> byCache = new HashMap<>();
    rows.forEach(row -> byCache.put(row.get("cache"), row));
    return byCache;
  }

  private double pageTimestamp() {
    String value = browser.findElement(By.tagName("body")).getAttribute("data-summary-timestamp");
    return value == null ? 0 : Double.parseDouble(value);
  }

  private String background() {
    return (String)
        browser.executeScript("return getComputedStyle(document.body).backgroundColor;");
  }

  private List<String> errors() {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  private void screenshotOf(String selector, String name) throws Exception {
    var element = browser.findElement(By.cssSelector(selector));
    browser.executeScript("arguments[0].scrollIntoView()", element);
    Files.write(Path.of("target", name), element.getScreenshotAs(OutputType.BYTES));
  }

  private void screenshot(String name) throws Exception {
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    Files.write(target, browser.getScreenshotAs(OutputType.BYTES));
  }

  private JsonNode api(String path) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create(demo.url() + "/api/metrics/cache/" + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
