package io.tributary.routes.api.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.testsupport.await.Await;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket, JSON commands): open a page, evaluate
 * JavaScript in it (read the DOM, click a button), take a screenshot. Real time, real browser, no driver
 * library. Skips the calling test when there is no Chromium on the PATH.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Starts Chromium with its own profile under {@code folder}, a 1280x1000 window and a blank page. */
    static HeadlessChromium start(Path folder) throws Exception {
        String binary = binary();
        Path profile = Files.createTempDirectory(folder, "chromium-profile");
        Path log = folder.resolve("chromium-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(binary, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--window-size=1280,1000", "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // Chromium writes the port it picked into the profile.
            Path portFile = profile.resolve("DevToolsActivePort");
            Await.until(Duration.ofSeconds(20), "Chromium's DevTools port (log: " + log + ")",
                    () -> Files.isRegularFile(portFile) && portLine(portFile) != null || !process.isAlive());
            if (!process.isAlive()) {
                throw new IllegalStateException("Chromium exited: " + Files.readString(log));
            }
            int port = Integer.parseInt(portLine(portFile));
            HttpClient http = HttpClient.newHttpClient();
            String pageSocket = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pageSocket == null && System.nanoTime() < deadline) {
                String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                        .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
                for (JsonNode target : JSON.readTree(list)) {
                    if ("page".equals(target.path("type").asText())) {
                        pageSocket = target.path("webSocketDebuggerUrl").asText();
                    }
                }
                if (pageSocket == null) {
                    Await.sleep(50);
                }
            }
            if (pageSocket == null) {
                throw new IllegalStateException("Chromium lists no page");
            }
            HeadlessChromium[] self = new HeadlessChromium[1];
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        String message = text.toString();
                        text.setLength(0);
                        self[0].received(message);
                    }
                    webSocket.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(process, socket);
            return self[0];
        } catch (Exception | Error e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw e;
        }
    }

    private static String portLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() || lines.get(0).isBlank() ? null : lines.get(0).trim();
        } catch (IOException e) {
            return null;
        }
    }

    private void received(String message) {
        try {
            JsonNode node = JSON.readTree(message);
            if (node.has("id")) {
                CompletableFuture<JsonNode> answer = pending.remove(node.get("id").asInt());
                if (answer != null) {
                    answer.complete(node);
                }
            }
        } catch (IOException e) {
            // Not JSON: Chromium does not send such messages.
        }
    }

    /** Sends a DevTools command; returns its result. */
    JsonNode command(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", params == null ? JSON.createObjectNode() : params);
        socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
        JsonNode node = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (node.has("error")) {
            throw new IllegalStateException(method + " failed: " + node.get("error"));
        }
        return node.get("result");
    }

    void open(String url) throws Exception {
        ObjectNode params = JSON.createObjectNode();
        params.put("url", url);
        command("Page.navigate", params);
    }

    /** The value of a JavaScript expression in the page, as text ("" for null or undefined). */
    String eval(String expression) throws Exception {
        ObjectNode params = JSON.createObjectNode();
        params.put("expression", expression);
        params.put("returnByValue", true);
        JsonNode result = command("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("the page threw: " + result.get("exceptionDetails"));
        }
        JsonNode value = result.path("result").path("value");
        return value.isMissingNode() || value.isNull() ? "" : value.isTextual() ? value.asText() : value.toString();
    }

    /** The text of the element {@code selector} (CSS), or "" when there is none. */
    String text(String selector) throws Exception {
        return eval("(function(){var e=document.querySelector(" + JSON.writeValueAsString(selector)
                + ");return e?e.textContent:'';})()");
    }

    /** Waits until the element {@code selector}'s text matches {@code pattern}; returns the text. */
    String awaitText(String selector, String pattern) {
        Pattern wanted = Pattern.compile(pattern, Pattern.DOTALL);
        Await.until(Duration.ofSeconds(20), selector + " to match " + pattern, () -> textOrError(selector),
                text -> wanted.matcher(text).find());
        return textOrError(selector);
    }

    private String textOrError(String selector) {
        try {
            return text(selector);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void click(String selector) throws Exception {
        String clicked = eval("(function(){var e=document.querySelector(" + JSON.writeValueAsString(selector)
                + ");if(!e){return 'missing';}e.click();return 'clicked';})()");
        if (!"clicked".equals(clicked)) {
            throw new IllegalStateException("nothing to click at " + selector);
        }
    }

    /** A PNG of the whole page. */
    byte[] screenshot() throws Exception {
        ObjectNode params = JSON.createObjectNode();
        params.put("format", "png");
        params.put("captureBeyondViewport", true);
        JsonNode metrics = command("Page.getLayoutMetrics", null);
        JsonNode size = metrics.path("cssContentSize");
        ObjectNode clip = params.putObject("clip");
        clip.put("x", 0);
        clip.put("y", 0);
        clip.put("width", 1280);
        clip.put("height", Math.min(2000, Math.max(600, size.path("height").asDouble(1000))));
        clip.put("scale", 1);
        return Base64.getDecoder().decode(command("Page.captureScreenshot", params).get("data").asText());
    }

    @Override
    public void close() {
        socket.abort();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The Chromium on the PATH; skips the test when there is none. */
    static String binary() {
        Optional<Path> found = findOnPath("chromium").or(() -> findOnPath("chromium-browser"));
        Assumptions.assumeTrue(found.isPresent(),
                "no chromium binary on the PATH: install it (Debian: apt-get install -y chromium) to run the "
                        + "console's browser tests");
        return found.get().toString();
    }

    private static Optional<Path> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(Pattern.quote(File.pathSeparator))) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
