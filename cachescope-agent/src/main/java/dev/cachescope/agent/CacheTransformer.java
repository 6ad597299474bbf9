package dev.cachescope.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's only change to the host: four small rewrites, each a call into {@link Hooks} that
 * leaves the library's behaviour as it was when the hook returns null (or its argument).
 *
 * <ul>
 *   <li>Caffeine's {@code Caffeine.build…} and Guava's {@code CacheBuilder.build…}: on entry, the
 *       hook may return the monitored cache (built through the adapters), which is returned
 *       instead; the hook's own inner build runs the original code.
 *   <li>JCache's {@code Caching.getCachingProvider…}: the provider returned passes through the
 *       hook, which hands out the monitoring provider.
 *   <li>Every class with a {@code Cache getCache(String)} that returns Spring's {@code Cache} (a
 *       Spring {@code CacheManager}; found by name first, {@code *CacheManager*}, so the host's
 *       other classes are not parsed): the cache returned passes through the hook.
 * </ul>
 *
 * Written with ASM rather than a higher-level tool so that the agent adds little to the host's
 * start (see docs/agent.md).
 */
final class CacheTransformer implements ClassFileTransformer {
  private static final Logger LOG = LoggerFactory.getLogger("cachescope.agent");
  private static final String HOOKS = "dev/cachescope/agent/Hooks";
  private static final String CAFFEINE = "com/github/benmanes/caffeine/cache/Caffeine";
  private static final String GUAVA = "com/google/common/cache/CacheBuilder";
  private static final String CACHING = "javax/cache/Caching";
  private static final String PROVIDER = "javax/cache/spi/CachingProvider";
  private static final String MANUAL = "com/github/benmanes/caffeine/cache/LocalManualCache";
  private static final String LOADING = "com/github/benmanes/caffeine/cache/LocalLoadingCache";
  private static final String GUAVA_MANUAL = "com/google/common/cache/LocalCache$LocalManualCache";
  private static final String OBJECT = "Ljava/lang/Object;";
  private static final String SPRING_GET_CACHE =
      "(Ljava/lang/String;)Lorg/springframework/cache/Cache;";

  private final boolean existing;

  /** The JCache cache classes loaded before an attach (internal names), found at the attach. */
  private final Set<String> jcacheClasses = ConcurrentHashMap.newKeySet();

  /** With {@code existing}, also the rewrites that find caches built before an attach. */
  CacheTransformer(boolean existing) {
    this.existing = existing;
  }

  /**
   * Installs the transformer; with {@code attach} it also rewrites the classes already loaded, and
   * Caffeine's {@code LocalManualCache} too, so that caches built before the attach are seen.
   */
  static CacheTransformer install(Instrumentation instrumentation, boolean attach) {
    CacheTransformer transformer = new CacheTransformer(attach);
    if (attach) {
      for (Class<?> type : instrumentation.getAllLoadedClasses()) {
        if (!type.isInterface() && implementsJCache(type)) {
          transformer.jcacheClasses.add(type.getName().replace('.', '/'));
        }
      }
    }
    instrumentation.addTransformer(transformer, true);
    if (attach) {
      transformer.retransform(instrumentation);
    }
    return transformer;
  }

  /** Removes the transformer and restores the classes it rewrote. */
  void uninstall(Instrumentation instrumentation) {
    instrumentation.removeTransformer(this);
    retransform(instrumentation);
  }

  private void retransform(Instrumentation instrumentation) {
    List<Class<?>> targets = new ArrayList<>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      if (candidate(type.getName().replace('.', '/')) && instrumentation.isModifiableClass(type)) {
        targets.add(type);
      }
    }
    for (Class<?> type : targets) {
      try {
        instrumentation.retransformClasses(type);
      } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
        LOG.warn("cachescope agent: cannot rewrite {} ({}); it stays as it was", type, e);
      }
    }
  }

  /** Whether {@code type} is a JCache cache of a provider (not one of cachescope's wrappers). */
  private static boolean implementsJCache(Class<?> type) {
    if (type.getName().startsWith("dev.cachescope.")) {
      return false;
    }
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (hasInterface(c, "javax.cache.Cache")) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasInterface(Class<?> type, String name) {
    for (Class<?> i : type.getInterfaces()) {
      if (i.getName().equals(name) || hasInterface(i, name)) {
        return true;
      }
    }
    return false;
  }

  private boolean candidate(String name) {
    return name.equals(CAFFEINE)
        || (existing
            && (name.equals(MANUAL)
                || name.equals(LOADING)
                || name.equals(GUAVA_MANUAL)
                || jcacheClasses.contains(name)))
        || name.equals(GUAVA)
        || name.equals(CACHING)
        || (name.contains("CacheManager") && !name.startsWith("dev/cachescope/"));
  }

  @Override
  public byte @Nullable [] transform(
      @Nullable ClassLoader loader,
      @Nullable String className,
      @Nullable Class<?> redefined,
      @Nullable ProtectionDomain domain,
      byte[] bytes) {
    if (loader == null || className == null || !candidate(className)) {
      return null;
    }
    try {
      ClassReader reader = new ClassReader(bytes);
      // Stack map frames are required from Java 7's class files, not allowed before Java 6's.
      boolean frames = reader.readUnsignedShort(6) >= 51;
      ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
      Rewriter rewriter =
          new Rewriter(writer, className, frames, existing, jcacheClasses.contains(className));
      reader.accept(rewriter, 0);
      return rewriter.changed ? writer.toByteArray() : null;
    } catch (RuntimeException | LinkageError e) {
      LOG.warn(
          "cachescope agent: cannot rewrite {} ({}); its caches run unmonitored",
          className.replace('/', '.'),
          e.toString());
      return null;
    }
  }

  /** Picks the methods to rewrite in one class. */
  private static final class Rewriter extends ClassVisitor {
    private final String className;
    private final boolean frames;
    private final boolean existing;
    private final boolean jcache;
    boolean changed;

    Rewriter(
        ClassVisitor next, String className, boolean frames, boolean existing, boolean jcache) {
      super(Opcodes.ASM9, next);
      this.className = className;
      this.frames = frames;
      this.existing = existing;
      this.jcache = jcache;
    }

    @Override
    public MethodVisitor visitMethod(
        int access,
        String name,
        String descriptor,
        @Nullable String signature,
        String @Nullable [] exceptions) {
      MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
      boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
      boolean hasCode = (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
      if (!hasCode) {
        return next;
      }
      Type[] arguments = Type.getArgumentTypes(descriptor);
      Type returned = Type.getReturnType(descriptor);
      if (!isStatic
          && (className.equals(CAFFEINE) || className.equals(GUAVA))
          && (name.equals("build") || name.equals("buildAsync"))
          && arguments.length <= 1
          && returned.getSort() == Type.OBJECT) {
        changed = true;
        String hook = className.equals(CAFFEINE) ? "caffeineBuild" : "guavaBuild";
        return new BuildEntry(
            next, hook, arguments.length, name.equals("buildAsync"), returned, frames);
      }
      if (isStatic
          && className.equals(CACHING)
          && name.equals("getCachingProvider")
          && returned.getInternalName().equals(PROVIDER)) {
        changed = true;
        return new ReturnFilter(next, "cachingProvider", false, PROVIDER);
      }
      if (existing
          && className.equals(LOADING)
          && !isStatic
          && name.equals("get")
          && descriptor.equals("(" + OBJECT + ")" + OBJECT)) {
        changed = true;
        return loadingGet(next);
      }
      if (jcache && !isStatic && (access & Opcodes.ACC_BRIDGE) == 0) {
        MethodVisitor cache = jcacheCache(next, name, descriptor);
        if (cache != null) {
          changed = true;
          return cache;
        }
      }
      if (existing && (className.equals(MANUAL) || className.equals(GUAVA_MANUAL)) && !isStatic) {
        MethodVisitor manual =
            className.equals(MANUAL)
                ? manualCache(next, name, descriptor, "caffeine", "java/util/function/Function")
                : manualCache(next, name, descriptor, "guava", "java/util/concurrent/Callable");
        if (manual != null) {
          changed = true;
          return manual;
        }
      }
      if (!isStatic && name.equals("getCache") && descriptor.equals(SPRING_GET_CACHE)) {
        changed = true;
        return new ReturnFilter(next, "springCache", true, "org/springframework/cache/Cache");
      }
      return next;
    }
  }

  /**
   * Caffeine's {@code LocalManualCache} and Guava's {@code LocalCache.LocalManualCache} (every
   * cache they build, whenever it was built): {@code getIfPresent} reports its result, {@code
   * get(key, loader)} its loader (wrapped to time the load) and result, {@code put} its key; see
   * {@link Hooks#caffeineLookup}. {@code hooks} is the hooks' prefix ({@code caffeine}, {@code
   * guava}), {@code loaderType} the loader's class.
   */
  private static @Nullable MethodVisitor manualCache(
      MethodVisitor next, String name, String descriptor, String hooks, String loaderType) {
    if (name.equals("getIfPresent") && descriptor.equals("(" + OBJECT + ")" + OBJECT)) {
      return new ReturnFilter(next, hooks + "Lookup", true, null, 1);
    }
    if (name.equals("get") && descriptor.equals("(" + OBJECT + "L" + loaderType + ";)" + OBJECT)) {
      return new ReturnFilter(next, hooks + "Got", true, null, 1, 2) {
        @Override
        public void visitCode() {
          super.visitCode();
          // loader = (Loader) Hooks.xLoader(this, key, loader)
          mv.visitVarInsn(Opcodes.ALOAD, 0);
          mv.visitVarInsn(Opcodes.ALOAD, 1);
          mv.visitVarInsn(Opcodes.ALOAD, 2);
          mv.visitMethodInsn(
              Opcodes.INVOKESTATIC, HOOKS, hooks + "Loader", objects(3, OBJECT), false);
          mv.visitTypeInsn(Opcodes.CHECKCAST, loaderType);
          mv.visitVarInsn(Opcodes.ASTORE, 2);
        }
      };
    }
    if (name.equals("put") && descriptor.equals("(" + OBJECT + OBJECT + ")V")) {
      return new EntryCall(next, hooks + "Put");
    }
    return null;
  }

  /**
   * A JCache provider's cache class loaded before an attach: {@code get(key)} reports its result,
   * {@code put} its key ({@link Hooks#jcacheLookup}, {@link Hooks#jcachePut}).
   */
  private static @Nullable MethodVisitor jcacheCache(
      MethodVisitor next, String name, String descriptor) {
    if (name.equals("get") && descriptor.equals("(" + OBJECT + ")" + OBJECT)) {
      return new ReturnFilter(next, "jcacheLookup", true, null, 1);
    }
    if (name.equals("put") && descriptor.equals("(" + OBJECT + OBJECT + ")V")) {
      return new EntryCall(next, "jcachePut");
    }
    return null;
  }

  /**
   * Caffeine's {@code LocalLoadingCache.get(key)}: the loader it passes on ({@code
   * mappingFunction()}) goes through {@link Hooks#caffeineLoader}, the result through {@link
   * Hooks#caffeineLoaded}.
   */
  private static MethodVisitor loadingGet(MethodVisitor next) {
    return new ReturnFilter(next, "caffeineLoaded", true, null, 1) {
      @Override
      public void visitMethodInsn(
          int opcode, String owner, String name, String descriptor, boolean isInterface) {
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        if (name.equals("mappingFunction")
            && descriptor.equals("()Ljava/util/function/Function;")) {
          // [.., function] -> [.., Hooks.caffeineLoader(this, key, function)]
          mv.visitVarInsn(Opcodes.ALOAD, 0);
          mv.visitInsn(Opcodes.SWAP);
          mv.visitVarInsn(Opcodes.ALOAD, 1);
          mv.visitInsn(Opcodes.SWAP);
          mv.visitMethodInsn(
              Opcodes.INVOKESTATIC, HOOKS, "caffeineLoader", objects(3, OBJECT), false);
          mv.visitTypeInsn(Opcodes.CHECKCAST, "java/util/function/Function");
        }
      }
    };
  }

  /** The descriptor of a hook taking {@code count} objects and returning {@code returned}. */
  private static String objects(int count, String returned) {
    return "(" + OBJECT.repeat(count) + ")" + returned;
  }

  /** At the method's entry: {@code Hooks.hook(this, key)}. */
  private static final class EntryCall extends MethodVisitor {
    private final String hook;

    EntryCall(MethodVisitor next, String hook) {
      super(Opcodes.ASM9, next);
      this.hook = hook;
    }

    @Override
    public void visitCode() {
      super.visitCode();
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitVarInsn(Opcodes.ALOAD, 1);
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, hook, objects(2, "V"), false);
    }
  }

  /**
   * At a builder method's entry: {@code Object r = Hooks.xBuild(this, args[, async]); if (r !=
   * null) return (R) r;}.
   */
  private static final class BuildEntry extends MethodVisitor {
    private final String hook;
    private final int arguments;
    private final boolean async;
    private final Type returned;
    private final boolean frames;

    BuildEntry(
        MethodVisitor next,
        String hook,
        int arguments,
        boolean async,
        Type returned,
        boolean frames) {
      super(Opcodes.ASM9, next);
      this.hook = hook;
      this.arguments = arguments;
      this.async = async;
      this.returned = returned;
      this.frames = frames;
    }

    @Override
    public void visitCode() {
      super.visitCode();
      visitVarInsn(Opcodes.ALOAD, 0);
      visitInsn(arguments == 0 ? Opcodes.ICONST_0 : Opcodes.ICONST_1);
      visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
      if (arguments == 1) {
        visitInsn(Opcodes.DUP);
        visitInsn(Opcodes.ICONST_0);
        visitVarInsn(Opcodes.ALOAD, 1);
        visitInsn(Opcodes.AASTORE);
      }
      String descriptor;
      if (hook.equals("caffeineBuild")) {
        visitInsn(async ? Opcodes.ICONST_1 : Opcodes.ICONST_0);
        descriptor = "(Ljava/lang/Object;[Ljava/lang/Object;Z)Ljava/lang/Object;";
      } else {
        descriptor = "(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;";
      }
      visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, hook, descriptor, false);
      visitInsn(Opcodes.DUP);
      Label original = new Label();
      visitJumpInsn(Opcodes.IFNULL, original);
      visitTypeInsn(Opcodes.CHECKCAST, returned.getInternalName());
      visitInsn(Opcodes.ARETURN);
      visitLabel(original);
      if (frames) {
        // The locals are the method's arguments, as at entry; the hook's null is on the stack.
        visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {"java/lang/Object"});
      }
      visitInsn(Opcodes.POP);
    }
  }

  /**
   * Before each {@code areturn}: the value passes through {@code Hooks.hook(this?, value,
   * locals...)}, cast back to {@code castTo} when given.
   */
  private static class ReturnFilter extends MethodVisitor {
    private final String hook;
    private final boolean withThis;
    private final @Nullable String castTo;
    private final int[] locals;

    ReturnFilter(
        MethodVisitor next, String hook, boolean withThis, @Nullable String castTo, int... locals) {
      super(Opcodes.ASM9, next);
      this.hook = hook;
      this.withThis = withThis;
      this.castTo = castTo;
      this.locals = locals;
    }

    @Override
    public void visitInsn(int opcode) {
      if (opcode == Opcodes.ARETURN) {
        if (withThis) {
          mv.visitVarInsn(Opcodes.ALOAD, 0);
          mv.visitInsn(Opcodes.SWAP);
        }
        for (int local : locals) {
          mv.visitVarInsn(Opcodes.ALOAD, local);
        }
        int arguments = (withThis ? 2 : 1) + locals.length;
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, hook, objects(arguments, OBJECT), false);
        if (castTo != null) {
          mv.visitTypeInsn(Opcodes.CHECKCAST, castTo);
        }
      }
      super.visitInsn(opcode);
    }
  }
}
