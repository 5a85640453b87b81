package dialtone.provisioning;

import dialtone.testing.HttpsClient;
import java.net.http.HttpResponse;

/** {@link Phone} for tests outside this package. */
public final class PhoneProbe {

    private final Phone phone;

    public PhoneProbe(HttpsClient http, String userAgent, String username, String password) {
        this.phone = new Phone(http, userAgent, username, password);
    }

    public HttpResponse<String> getProven(String path) throws Exception {
        return phone.getProven(path);
    }
}
