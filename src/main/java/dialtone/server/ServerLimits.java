package dialtone.server;

/** Per-listener limits: TLS handshake time, whole-request deadline and body size. */
public record ServerLimits(int handshakeTimeoutMillis, int requestTimeoutMillis, int maxBodyBytes) {}
