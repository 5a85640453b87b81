package dialtone.server;

import dialtone.core.Problem;
import dialtone.core.Text;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * One complete HTTP request, copied off the event loop so that handlers may block.
 *
 * @param uri the request target exactly as sent (path and query)
 * @param rawPath the path exactly as sent (still percent-encoded), without the query
 * @param clientAddress the client's address (the peer, or X-Forwarded-For from a trusted proxy)
 * @param peerCertificates the TLS client certificate chain, empty when none was presented
 */
public record Request(String method, String uri, String rawPath, Map<String, List<String>> query, HttpHeaders headers,
                      byte[] body, InetAddress clientAddress, boolean secure, List<X509Certificate> peerCertificates) {

    /** The path of a request target: everything before the query. */
    public static String pathOf(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    public static Map<String, List<String>> parseQuery(String uri) {
        return uri.indexOf('?') < 0 ? Map.of() : new QueryStringDecoder(uri).parameters();
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** The first value of a query parameter; 400 naming it if it carries a NUL. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        String value = values == null || values.isEmpty() ? null : values.get(0);
        if (Text.containsNul(value)) {
            throw Problem.badField(name, Text.NUL_REASON);
        }
        return value;
    }
}
