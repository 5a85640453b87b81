package dialtone.server;

import static org.assertj.core.api.Assertions.assertThat;

import dialtone.security.ServerCertificate;
import dialtone.testing.Await;
import dialtone.testing.HttpsClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full worker pool answers 503 with Retry-After at once instead of making clients wait. */
class WorkerPoolOverloadTest {

    @TempDir
    Path dir;

    @Test
    void fullPoolAnswers503WithRetryAfterAndRecovers() throws Exception {
        Path cert = dir.resolve("s.crt");
        ServerCertificate.ensure(cert, dir.resolve("s.key"), List.of());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        RequestHandler slow = request -> {
            if (request.rawPath().equals("/block")) {
                busy.countDown();
                release.await(20, TimeUnit.SECONDS);
            }
            return Response.of(200, "text/plain", "ok".getBytes());
        };
        try (WorkerPool pool = new WorkerPool("test", 1, 1);
             TlsContext tls = new TlsContext(cert, dir.resolve("s.key"), false, false, "auto", 100);
             HttpServer server = HttpServer.start("test", "127.0.0.1", 0,
                     tls, new ServerLimits(5000, 5000, 1024, 1 << 20, 100), slow, pool,
                     new ClientAddresses(List.of()))) {
            HttpsClient client = new HttpsClient("https://127.0.0.1:" + server.port(), cert);
            List<CompletableFuture<HttpResponse<String>>> blocked = new ArrayList<>();
            blocked.add(CompletableFuture.supplyAsync(() -> get(client, "/block")));
            assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
            blocked.add(CompletableFuture.supplyAsync(() -> get(client, "/queued")));
            Await.until("the second request waiting in the queue", pool::queued, n -> n == 1);

            HttpResponse<String> rejected = client.get("/rejected");

            assertThat(rejected.statusCode()).isEqualTo(503);
            assertThat(rejected.headers().firstValue("Retry-After")).hasValue("5");
            release.countDown();
            for (CompletableFuture<HttpResponse<String>> f : blocked) {
                assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            assertThat(client.get("/again").statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> get(HttpsClient client, String path) {
        try {
            return client.get(path);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
