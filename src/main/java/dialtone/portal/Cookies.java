package dialtone.portal;

import dialtone.server.Request;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;

/**
 * The portal's cookies: the session and the login form's CSRF token. Both are {@code __Host-} cookies (Secure,
 * Path=/, no Domain), HttpOnly and SameSite=Strict.
 */
final class Cookies {

    static final String SESSION = "__Host-dialtone-session";
    static final String LOGIN_CSRF = "__Host-dialtone-login";

    private Cookies() {}

    static String read(Request request, String name) {
        String header = request.header("Cookie");
        if (header == null) {
            return null;
        }
        for (Cookie cookie : ServerCookieDecoder.STRICT.decodeAll(header)) {
            if (cookie.name().equals(name)) {
                return cookie.value();
            }
        }
        return null;
    }

    static String set(String name, String value) {
        return name + "=" + value + "; Path=/; Secure; HttpOnly; SameSite=Strict";
    }

    static String clear(String name) {
        return name + "=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Strict";
    }
}
