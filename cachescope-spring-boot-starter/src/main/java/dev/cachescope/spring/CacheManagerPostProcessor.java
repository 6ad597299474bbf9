package dev.cachescope.spring;

import java.lang.reflect.Modifier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.NameMatchMethodPointcutAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * Proxies every {@link CacheManager} bean so that each cache it hands out, now or later, is the
 * monitored form from {@link MonitoredCaches}. The proxy subclasses the manager's class, so beans
 * that inject the concrete type ({@code CaffeineCacheManager}) still get one; a final class gets an
 * interface proxy, and a manager that is already an AOP proxy gets the advice added to it.
 */
final class CacheManagerPostProcessor implements BeanPostProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(CacheManagerPostProcessor.class);

  private final ObjectProvider<MonitoredCaches> caches;

  CacheManagerPostProcessor(ObjectProvider<MonitoredCaches> caches) {
    this.caches = caches;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof CacheManager)) {
      return bean;
    }
    MonitoredCaches monitored = caches.getIfAvailable();
    if (monitored == null || !monitored.enabled()) {
      return bean;
    }
    NameMatchMethodPointcutAdvisor advisor =
        new NameMatchMethodPointcutAdvisor(new GetCacheInterceptor(monitored.forManager(beanName)));
    advisor.setMappedName("getCache");
    try {
      if (bean instanceof Advised advised) {
        for (Advisor existing : advised.getAdvisors()) {
          if (existing.getAdvice() instanceof GetCacheInterceptor) {
            return bean;
          }
        }
        if (!advised.isFrozen()) {
          advised.addAdvisor(0, advisor);
          return bean;
        }
      }
      ProxyFactory factory = new ProxyFactory(bean);
      factory.setProxyTargetClass(!Modifier.isFinal(bean.getClass().getModifiers()));
      factory.addAdvisor(advisor);
      // Frozen, with one static target: CGLIB dispatches getCache through a fixed chain and every
      // other method straight to the target, with no per-call advice lookup.
      factory.setFrozen(true);
      return factory.getProxy(bean.getClass().getClassLoader());
    } catch (RuntimeException | LinkageError e) {
      LOG.warn(
          "cachescope: cannot proxy cache manager '{}' ({}); its caches are not monitored",
          beanName,
          bean.getClass().getName(),
          e);
      return bean;
    }
  }

  /** Hands out the monitored form of the cache {@code getCache(name)} returns. */
  static final class GetCacheInterceptor implements MethodInterceptor {
    private final MonitoredCaches.ManagerCaches caches;

    GetCacheInterceptor(MonitoredCaches.ManagerCaches caches) {
      this.caches = caches;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
      Object result = invocation.proceed();
      if (result instanceof Cache cache && invocation.getArguments().length == 1) {
        return caches.wrap(cache);
      }
      return result;
    }
  }
}
