package io.tributary.routes.api;

/**
 * A request the API refuses: the HTTP status and the text of the {@code {"error": "..."}} answer, which says
 * what is wrong in terms the caller can act on.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    int status() {
        return status;
    }
}
