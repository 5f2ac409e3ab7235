package io.tributary.it.support;

/** Stops what a test started, in the order given, whatever fails on the way. */
public final class Teardown {

    private Teardown() {
    }

    /**
     * Closes each resource that is not null, in order; one that fails does not keep the later ones open.
     *
     * @throws Exception the first failure, with the later ones suppressed in it
     */
    public static void closeInOrder(AutoCloseable... resources) throws Exception {
        Exception first = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
