package dialtone.server;

/**
 * Per-listener limits: TLS handshake time, whole-request deadline, the largest body any route of the
 * listener takes (each route names its own, see {@link RequestHandler#maxBodyBytes}), the bytes of bodies
 * the listener holds at once, and the connections one source address may hold open.
 */
public record ServerLimits(int handshakeTimeoutMillis, int requestTimeoutMillis, int maxBodyBytes, long bodyMemoryBytes,
                           int maxConnectionsPerAddress) {

    /** Limits with a body budget of 64 bodies of the largest size and 256 connections per source address. */
    public ServerLimits(int handshakeTimeoutMillis, int requestTimeoutMillis, int maxBodyBytes) {
        this(handshakeTimeoutMillis, requestTimeoutMillis, maxBodyBytes, 64L * maxBodyBytes, 256);
    }
}
