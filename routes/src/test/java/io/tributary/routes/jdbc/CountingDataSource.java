package io.tributary.routes.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * An in-memory H2 database that counts the transactions committed through it, and that can be made to refuse
 * connections as a database that is down does.
 */
final class CountingDataSource implements DataSource {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final JdbcDataSource h2 = new JdbcDataSource();
    final AtomicInteger commits = new AtomicInteger();
    final AtomicInteger connectionRequests = new AtomicInteger();
    final AtomicBoolean down = new AtomicBoolean();
    /** When set, asking for a connection throws it, as a driver's assertion may. */
    volatile Error error;
    /** When set, asking for a connection waits for it: a database that does not answer. */
    volatile CountDownLatch gate;

    CountingDataSource() {
        h2.setURL("jdbc:h2:mem:counting-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
    }

    /** Runs SQL directly, outside the counting. */
    void execute(String sql) throws SQLException {
        try (Connection connection = h2.getConnection(); var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first column of the first row of a query. */
    Object query(String sql) throws SQLException {
        try (Connection connection = h2.getConnection(); var statement = connection.createStatement();
             var result = statement.executeQuery(sql)) {
            return result.next() ? result.getObject(1) : null;
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        connectionRequests.incrementAndGet();
        CountDownLatch waitFor = gate;
        if (waitFor != null) {
            try {
                waitFor.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLTransientConnectionException("interrupted", "08001");
            }
        }
        if (error != null) {
            throw error;
        }
        if (down.get()) {
            throw new SQLTransientConnectionException("the database is down (test)", "08001");
        }
        Connection real = h2.getConnection();
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commit")) {
                        commits.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return false;
    }
}
