package dialtone.pbx;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer to FreeSWITCH's {@code mod_xml_curl} for {@code section=directory}: the user with its {@code a1-hash}
 * (never the password unless the operator allowed it) and its forwards as channel variables, named as FusionPBX
 * names them; or FreeSWITCH's documented "not found" result, the same for every negative answer.
 */
final class FreeSwitchDirectory {

    /** The domain's dial string from FreeSWITCH's sample directory: how {@code user/<id>} reaches a registration. */
    static final String DIAL_STRING = "{^^:sip_invite_domain=${dialed_domain}:presence_id=${dialed_user}@${dialed_domain}}"
            + "${sofia_contact(*/${dialed_user}@${dialed_domain})}";
    static final String CONTENT_TYPE = "text/xml; charset=utf-8";
    static final String NOT_FOUND = """
            <?xml version="1.0" encoding="UTF-8" standalone="no"?>
            <document type="freeswitch/xml">
              <section name="result">
                <result status="not found"/>
              </section>
            </document>
            """;

    private FreeSwitchDirectory() {}

    static String document(Subscriber s) {
        StringBuilder xml = new StringBuilder(1024);
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n")
                .append("<document type=\"freeswitch/xml\">\n")
                .append("  <section name=\"directory\">\n")
                .append("    <domain name=\"").append(attr(s.domain())).append("\">\n")
                .append("      <params>\n")
                .append("        <param name=\"dial-string\" value=\"").append(attr(DIAL_STRING)).append("\"/>\n")
                .append("      </params>\n")
                .append("      <user id=\"").append(attr(s.username())).append("\" number-alias=\"")
                .append(attr(s.extension())).append("\">\n")
                .append("        <params>\n");
        param(xml, "a1-hash", s.ha1());
        if (s.password() != null) {
            param(xml, "password", s.password());
        }
        xml.append("        </params>\n        <variables>\n");
        variables(s).forEach((name, value) -> xml.append("          <variable name=\"").append(attr(name))
                .append("\" value=\"").append(attr(value)).append("\"/>\n"));
        return xml.append("        </variables>\n      </user>\n    </domain>\n  </section>\n</document>\n").toString();
    }

    private static Map<String, String> variables(Subscriber s) {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("user_context", s.domain());
        vars.put("effective_caller_id_name", s.displayName());
        vars.put("effective_caller_id_number", s.extension());
        if (s.number() != null) {
            vars.put("outbound_caller_id_number", s.number());
        }
        Subscriber.Forward unreachable = s.unreachableForward();
        if (unreachable != null) {
            vars.put("forward_user_not_registered_enabled", "true");
            vars.put("forward_user_not_registered_destination", unreachable.target());
        }
        Subscriber.Forward noAnswer = s.noAnswerForward();
        if (noAnswer != null) {
            vars.put("forward_no_answer_enabled", "true");
            vars.put("forward_no_answer_destination", noAnswer.target());
            vars.put("call_timeout", Integer.toString(noAnswer.seconds()));
        }
        return vars;
    }

    private static void param(StringBuilder xml, String name, String value) {
        xml.append("          <param name=\"").append(attr(name)).append("\" value=\"").append(attr(value))
                .append("\"/>\n");
    }

    /** XML attribute text: the five predefined entities, and control characters dropped. */
    static String attr(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
