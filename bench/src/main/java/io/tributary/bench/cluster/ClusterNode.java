package io.tributary.bench.cluster;

import io.tributary.bench.server.RunningBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One {@code tributary run} process of a system under test, with its name and the port of its HTTP API. Used by the
 * driver's main thread only.
 */
public final class ClusterNode implements AutoCloseable {

    private final String name;
    private final RunningBroker process;
    private final int httpPort;

    ClusterNode(String name, RunningBroker process, int httpPort) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
    }

    /**
     * Waits until {@code /health/ready} answers 200 (for a clustered node: its cluster check is up, so it reads the
     * cluster's log).
     *
     * @throws IOException when the node died, or was not ready in time (with its last answer and log lines)
     */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + RunningBroker.HOST + ":" + httpPort
                + "/health/ready")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited before it was ready; log:\n" + process.logTail(20));
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        throw new IOException(name + " was not ready within " + timeout.toSeconds() + " s (last answer of "
                + "/health/ready: " + last + "); log:\n" + process.logTail(20));
    }

    public String name() {
        return name;
    }

    public int mqttPort() {
        return process.port();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    RunningBroker process() {
        return process;
    }

    /** Stops the node by its PID (SIGTERM, then SIGKILL). */
    @Override
    public void close() {
        process.close();
    }
}
