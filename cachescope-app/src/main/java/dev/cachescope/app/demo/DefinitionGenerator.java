package dev.cachescope.app.demo;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.instrument.Memoized;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The seed design's {@code @cached generate_definition(term)}: an expensive call (a simulated
 * language model) memoized for an hour, one monitored cache for this one function. Prompt and
 * answer tokens are counted with jtokkit ({@code cl100k_base}), so the tokens a hit saved can be
 * reported.
 */
public final class DefinitionGenerator {
  private final Encoding encoding =
      Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
  private final Function<String, Definition> memoized;
  private final CacheMonitor monitor;
  private final AtomicLong generated = new AtomicLong();
  private final AtomicLong tokensSpent = new AtomicLong();
  private final AtomicLong tokensSaved = new AtomicLong();

  /** A definition and what producing it cost. */
  public record Definition(String term, String text, int tokens) {}

  /** Registers the function's cache with {@code aggregator} as {@code generateDefinition}. */
  public DefinitionGenerator(MetricsAggregator aggregator) {
    Function<String, @Nullable Definition> f =
        Memoized.function(
            this::generate, aggregator, "generateDefinition", Duration.ofHours(1), 500);
    this.memoized = term -> Objects.requireNonNull(f.apply(term));
    // Each generation reports its tokens, so snapshots carry tokens_saved.
    this.monitor = aggregator.monitor("generateDefinition").orElseThrow();
  }

  /** The definition of {@code term}, generated once per hour at most. */
  public Definition define(String term) {
    long before = generated.get();
    Definition definition = memoized.apply(term);
    if (generated.get() == before) {
      tokensSaved.addAndGet(definition.tokens());
    }
    return definition;
  }

  private Definition generate(String term) {
    LockSupport.parkNanos(5_000_000L);
    String prompt =
        "Write a precise definition of '"
            + term
            + "' that names its genus and differentia and avoids circular wording.";
    String text =
        term + ": a concept in the domain, distinguished from related concepts by its purpose.";
    int tokens = encoding.countTokens(prompt) + encoding.countTokens(text);
    generated.incrementAndGet();
    tokensSpent.addAndGet(tokens);
    monitor.recordLoadTokens(tokens);
    return new Definition(term, text, tokens);
  }

  /** Tokens spent generating definitions. */
  public long tokensSpent() {
    return tokensSpent.get();
  }

  /** Tokens hits saved: what regenerating the cached definitions would have cost. */
  public long tokensSaved() {
    return tokensSaved.get();
  }
}
