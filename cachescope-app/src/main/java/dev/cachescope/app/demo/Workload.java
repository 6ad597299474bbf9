package dev.cachescope.app.demo;

import dev.cachescope.instrument.MemoizedSupplier;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One request of the definitions application, as the seed design's caches see it: get the service
 * container, check a validation rule (now and then all rules), generate the term's definition
 * (memoized), find its rendered document in the FileCache or write it there, and note the lookup in
 * the CacheManager. Terms and rules are Zipf-distributed. Not thread-safe: one thread per workload;
 * workloads on several threads share the caches.
 */
public final class Workload {
  private final MemoizedSupplier<ServiceContainer> container;
  private final RuleCache rules;
  private final DefinitionGenerator generator;
  private final DefinitionStore store;
  private final List<String> ruleIds;
  private final Zipf termDistribution;
  private final Zipf ruleDistribution;
  private final SplittableRandom random;
  private final AtomicLong requests = new AtomicLong();

  public Workload(
      MemoizedSupplier<ServiceContainer> container,
      RuleCache rules,
      DefinitionGenerator generator,
      DefinitionStore store,
      int terms,
      long seed) {
    this.container = container;
    this.rules = rules;
    this.generator = generator;
    this.store = store;
    this.ruleIds = List.copyOf(rules.getAllRules().keySet().stream().sorted().toList());
    this.termDistribution = new Zipf(terms, 1.0);
    this.ruleDistribution = new Zipf(ruleIds.size(), 0.8);
    this.random = new SplittableRandom(seed);
  }

  /** Serves one request. */
  public void request() {
    container.get();
    long n = requests.incrementAndGet();
    if (n % 50 == 0) {
      rules.getAllRules();
    } else {
      rules.getRule(ruleIds.get(ruleDistribution.next(random)));
    }
    if (n % 97 == 0) {
      rules.getRule("NO-SUCH-RULE");
    }
    String term = "term-" + termDistribution.next(random);
    DefinitionGenerator.Definition generated = generator.define(term);
    String document = store.files().get(term);
    if (document == null) {
      document = "# " + term + "\n\n" + generated.text() + "\n";
      store.files().put(term, document);
    }
    String definition = document;
    String recent = "recent:" + term;
    if (store.memory().get(recent) == null) {
      store.memory().put(recent, definition);
    }
  }

  /** Requests served. */
  public long requests() {
    return requests.get();
  }
}
