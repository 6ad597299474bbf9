package com.example.books;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;

@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "cachescope.dashboard.enabled=true")
@AutoConfigureObservability(tracing = false)
class BooksApplicationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newHttpClient();

  @Value("${local.server.port}")
  int port;

  private String get(String path) throws Exception {
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return response.body();
  }

  @Test
  void cachedLookupsShowOnTheActuator() throws Exception {
    for (int id : new int[] {1, 2, 1, 1}) {
      assertThat(get("/books/" + id)).contains("Book " + id);
    }
    JsonNode books = JSON.readTree(get("/actuator/cachescope/books/snapshot"));
    assertThat(books.get("hits").asLong()).isEqualTo(2);
    assertThat(books.get("misses").asLong()).isEqualTo(2);
    assertThat(books.get("total_entries").asLong()).isEqualTo(2);
    // The @Cacheable method's run time is the load time, so hits save about 20 ms each.
    assertThat(books.get("latency_ms").get("load").get("count").asLong()).isEqualTo(2);
    assertThat(books.get("latency_ms").get("load").get("p50_ms").asDouble()).isGreaterThan(15.0);
    assertThat(books.get("time_saved_ms").asDouble()).isGreaterThan(30.0);

    assertThat(get("/actuator/prometheus"))
        .contains(
            "cache_gets_total{cache=\"authors\",cache_manager=\"cacheManager\",name=\"authors\","
                + "result=\"hit\"} 2.0");
    // cachescope's own /metrics, on the Prometheus client library that Spring Boot manages.
    assertThat(get("/cachescope/metrics"))
        .contains("cache_gets_total{cache=\"books\",result=\"hit\"} 2")
        .contains("cache_operation_duration_seconds_bucket{cache=\"books\",operation=\"load\"");

    theActuatorAnswersAsTheHttpApiDoes();
  }

  /** The actuator endpoint serves the HTTP API's documents: the same names, the same counts. */
  private void theActuatorAnswersAsTheHttpApiDoes() throws Exception {    JsonNode actuator = JSON.readTree(get("/actuator/cachescope"));
    JsonNode api = JSON.readTree(get("/cachescope/api/metrics/cache/summary"));
    assertThat(paths(actuator, "")).isEqualTo(paths(api, "")).contains("caches.books.hits");
    for (String field : new String[] {"hits", "misses", "gets", "puts", "loads"}) {
      assertThat(actuator.get("caches").get("books").get(field))
          .as(field)
          .isEqualTo(api.get("caches").get("books").get(field));
    }
    assertThat(JSON.readTree(get("/actuator/cachescope/books/snapshot")).get("cache_name").asText())
        .isEqualTo("books");
  }

  /** Every field path of a JSON document, array elements by position. */
  private static Set<String> paths(JsonNode node, String at) {
    Set<String> paths = new TreeSet<>();
    if (node.isObject()) {
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        paths.add(at + name);
        paths.addAll(paths(node.get(name), at + name + "."));
      }
    }
    return paths;
  }
}
