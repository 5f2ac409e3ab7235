package io.tributary.broker.auth;

import io.tributary.broker.Authenticator;
import io.tributary.broker.Authorizer;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The {@link Authenticator} and {@link Authorizer} found in plugin jars: each jar lists its implementation in
 * {@code META-INF/services/io.tributary.broker.Authenticator} (or {@code ...Authorizer}), which must have a public
 * no-argument constructor. All jars share one class loader, a child of the broker's, so a plugin sees the
 * broker's API and its own jars. At most one of each kind may be found: two would leave the order to chance.
 */
public final class AuthPlugins implements AutoCloseable {
    private final URLClassLoader loader;
    private final Authenticator authenticator;
    private final Authorizer authorizer;

    private AuthPlugins(URLClassLoader loader, Authenticator authenticator, Authorizer authorizer) {
        this.loader = loader;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
    }

    /**
     * Loads {@code jars}.
     *
     * @throws IOException naming the jar, when one is missing or its service cannot be created, or when two
     *     implementations of one interface are found
     */
    public static AuthPlugins load(List<Path> jars) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            if (!Files.isRegularFile(jar)) {
                throw new IOException("auth plugin " + jar + ": no such file");
            }
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IOException("auth plugin " + jar + ": " + e.getMessage(), e);
            }
        }
        URLClassLoader loader = new URLClassLoader("tributary-auth-plugins", urls.toArray(new URL[0]),
                AuthPlugins.class.getClassLoader());
        try {
            return new AuthPlugins(loader, only(Authenticator.class, loader, jars).orElse(null),
                    only(Authorizer.class, loader, jars).orElse(null));
        } catch (IOException | RuntimeException e) {
            loader.close();
            throw e;
        }
    }

    /** The plugins' authenticator, if one has one. */
    public Optional<Authenticator> authenticator() {
        return Optional.ofNullable(authenticator);
    }

    /** The plugins' authorizer, if one has one. */
    public Optional<Authorizer> authorizer() {
        return Optional.ofNullable(authorizer);
    }

    private static <T> Optional<T> only(Class<T> type, ClassLoader loader, List<Path> jars) throws IOException {
        List<T> found = new ArrayList<>();
        try {
            for (T service : ServiceLoader.load(type, loader)) {
                // The broker's own class path may list implementations too; only the jars' count here.
                if (service.getClass().getClassLoader() == loader) {
                    found.add(service);
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new IOException("auth plugins " + jars + ": cannot create the " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
        if (found.size() > 1) {
            throw new IOException("auth plugins " + jars + " hold " + found.size() + " implementations of "
                    + type.getName() + " (" + found.stream().map(s -> s.getClass().getName()).toList()
                    + "); keep one");
        }
        return found.stream().findFirst();
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }
}
