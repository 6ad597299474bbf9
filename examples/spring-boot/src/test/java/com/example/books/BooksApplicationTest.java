package com.example.books;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;

@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "cachescope.dashboard.enabled=true")
@AutoConfigureObservability(tracing = false)
class BooksApplicationTest {
  @Autowired TestRestTemplate http;

  @Test
  void cachedLookupsShowOnTheActuator() throws Exception {
    for (int id : new int[] {1, 2, 1, 1}) {
      assertThat(http.getForObject("/books/" + id, String.class)).contains("Book " + id);
    }
    JsonNode books =
        new ObjectMapper()
            .readTree(http.getForObject("/actuator/cachescope/books/snapshot", String.class));
    assertThat(books.get("hits").asLong()).isEqualTo(2);
    assertThat(books.get("misses").asLong()).isEqualTo(2);
    assertThat(books.get("total_entries").asLong()).isEqualTo(2);
    // The @Cacheable method's run time is the load time, so hits save about 20 ms each.
    assertThat(books.get("latency_ms").get("load").get("count").asLong()).isEqualTo(2);
    assertThat(books.get("latency_ms").get("load").get("p50_ms").asDouble()).isGreaterThan(15.0);
    assertThat(books.get("time_saved_ms").asDouble()).isGreaterThan(30.0);

    assertThat(http.getForObject("/actuator/prometheus", String.class))
        .contains("cache_gets_total{cache=\"authors\",result=\"hit\"} 2.0");
    // cachescope's own /metrics, on the Prometheus client library that Spring Boot manages.
    assertThat(http.getForObject("/cachescope/metrics", String.class))
        .contains("cache_gets_total{cache=\"books\",result=\"hit\"} 2")
        .contains("cache_operation_duration_seconds_bucket{cache=\"books\",operation=\"load\"");
  }
}
