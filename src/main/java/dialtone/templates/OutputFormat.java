package dialtone.templates;

/** How a rendered file is structured, and so how every inserted value must be escaped. */
public enum OutputFormat {
    XML("application/xml"),
    INI("text/plain"),
    TEXT("text/plain");

    private final String contentType;

    OutputFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType + "; charset=utf-8";
    }

    /** Makes a value safe to insert: it can never end an element, an attribute or a line. */
    public String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (this == XML) {
                switch (c) {
                    case '<' -> out.append("&lt;");
                    case '>' -> out.append("&gt;");
                    case '&' -> out.append("&amp;");
                    case '"' -> out.append("&quot;");
                    case '\'' -> out.append("&apos;");
                    default -> out.append(Character.isISOControl(c) && c != '\t' ? ' ' : c);
                }
            } else {
                out.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return out.toString();
    }
}
