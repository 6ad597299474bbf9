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
    GetCacheInterceptor interceptor = new GetCacheInterceptor(monitored, beanName);
    try {
      if (bean instanceof Advised advised) {
        for (Advisor advisor : advised.getAdvisors()) {
          if (advisor.getAdvice() instanceof GetCacheInterceptor) {
            return bean;
          }
        }
        if (!advised.isFrozen()) {
          advised.addAdvice(0, interceptor);
          return bean;
        }
      }
      ProxyFactory factory = new ProxyFactory(bean);
      factory.setProxyTargetClass(!Modifier.isFinal(bean.getClass().getModifiers()));
      factory.addAdvice(interceptor);
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
    private final MonitoredCaches caches;
    private final String manager;

    GetCacheInterceptor(MonitoredCaches caches, String manager) {
      this.caches = caches;
      this.manager = manager;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
      Object result = invocation.proceed();
      if (result instanceof Cache cache
          && invocation.getMethod().getName().equals("getCache")
          && invocation.getArguments().length == 1) {
        return caches.wrap(manager, cache);
      }
      return result;
    }
  }
}
