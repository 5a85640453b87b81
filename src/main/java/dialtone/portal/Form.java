package dialtone.portal;

import dialtone.core.Problem;
import dialtone.core.Text;
import dialtone.server.Request;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** A submitted HTML form (url-encoded or multipart): its text fields and its uploaded files. */
final class Form {

    static final Form EMPTY = new Form(Map.of(), Map.of());
    private final Map<String, String> fields;
    private final Map<String, byte[]> files;

    private Form(Map<String, String> fields, Map<String, byte[]> files) {
        this.fields = fields;
        this.files = files;
    }

    static Form parse(Request request) {
        if (!request.method().equals("POST") || request.body().length == 0) {
            return EMPTY;
        }
        FullHttpRequest copy = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, request.uri(),
                Unpooled.wrappedBuffer(request.body()));
        copy.headers().set(request.headers());
        // Everything in memory: the listener has already capped the body's size.
        HttpPostRequestDecoder decoder = null;
        try {
            decoder = new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), copy);
            Map<String, String> fields = new HashMap<>();
            Map<String, byte[]> files = new HashMap<>();
            for (InterfaceHttpData data : decoder.getBodyHttpDatas()) {
                if (data instanceof FileUpload upload) {
                    if (upload.length() > 0) {
                        files.put(upload.getName(), upload.get());
                    }
                } else if (data instanceof Attribute attribute) {
                    String value = attribute.getValue();
                    if (Text.containsNul(value)) {
                        throw Problem.badField(attribute.getName(), Text.NUL_REASON);
                    }
                    fields.putIfAbsent(attribute.getName(), value);
                }
            }
            return new Form(fields, files);
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException | IOException e) {
            throw Problem.badField("form", "the form could not be read; reload the page and try again");
        } finally {
            if (decoder != null) {
                decoder.destroy();
            }
            copy.release();
        }
    }

    /** The field's value with surrounding spaces removed; null when absent or blank. */
    String text(String name) {
        String value = fields.get(name);
        if (value == null) {
            return null;
        }
        String stripped = value.strip();
        return stripped.isEmpty() ? null : stripped;
    }

    /** The field exactly as typed (passwords: spaces are part of them); null when absent. */
    String raw(String name) {
        return fields.get(name);
    }

    boolean checked(String name) {
        String value = fields.get(name);
        return value != null && !value.isEmpty() && !value.equals("false");
    }

    byte[] file(String name) {
        return files.get(name);
    }

    /** What was typed, to show again next to the field errors. */
    Map<String, String> values() {
        return fields;
    }
}
